import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Full tiles of the transparency log never change, so the ones served are kept in memory (oldest dropped first past
/// `capacity` bytes) and answered without a database read, like a static file. Partial tiles and the checkpoint, which
/// do change, are never kept.
final class TileCache: Sendable {
    private struct State {
        var tiles: [String: Data] = [:]
        var order: [String] = []
        var first = 0
        var bytes = 0
    }

    private let state = NIOLockedValueBox(State())
    let capacity: Int

    init(capacity: Int = 32 << 20) { self.capacity = capacity }

    func get(_ key: String) -> Data? { state.withLockedValue { $0.tiles[key] } }

    func put(_ key: String, _ data: Data) {
        guard data.count <= capacity else { return }
        state.withLockedValue { s in
            guard s.tiles[key] == nil else { return }
            s.tiles[key] = data
            s.order.append(key)
            s.bytes += data.count
            while s.bytes > capacity, s.first < s.order.count {
                let old = s.order[s.first]
                s.first += 1
                s.bytes -= s.tiles.removeValue(forKey: old)?.count ?? 0
            }
            if s.first > 4_096 {
                s.order.removeFirst(s.first)
                s.first = 0
            }
        }
    }

    var count: Int { state.withLockedValue { $0.tiles.count } }
}

extension Application {
    private struct TileCacheKey: StorageKey { typealias Value = TileCache }

    var tileCache: TileCache {
        get { storage[TileCacheKey.self] ?? TileCache(capacity: 0) }
        set { storage[TileCacheKey.self] = newValue }
    }
}
