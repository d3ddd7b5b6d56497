import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A short per-instance memory of resolved actors, keyed by the SHA-256 of the session cookie or bearer token.
///
/// Any request that may change data (every method but GET, HEAD and OPTIONS) clears it when it finishes, so a
/// revocation, sign-out, deactivation or role change made through this instance acts on the very next request.
/// Changes made through another instance (or the command line) act when an entry's few seconds are over.
/// A load that began before such a clear is not stored (the generation it read has moved on).
final class ActorCache: Sendable {
    struct Entry: Sendable {
        let actor: Actor
        let storedAt: Date
        /// When the credential itself ends (session or token expiry).
        let credentialExpiresAt: Date
        /// The credential's last recorded use; a due touch goes to the database.
        let touchedAt: Date
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// The bell's unread count per user, believed as long as an actor (issue 18): a notification is written by a
        /// changing request, which clears the cache when it finishes.
        var unread: [UUID: (count: Int, storedAt: Date)] = [:]
        var generation: UInt64 = 0
    }

    private let state = NIOLockedValueBox(State())
    /// Seconds an entry is believed (`SKILLCHAIN_ACTOR_CACHE_SECONDS`, 0 turns the cache off).
    let lifetime: TimeInterval
    let capacity: Int

    init(lifetime: TimeInterval, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    var generation: UInt64 { state.withLockedValue { $0.generation } }

    /// The entry for `key` while it is fresh and its credential has neither expired nor come due for a touch.
    func lookup(_ key: String, now: Date, touchEvery: TimeInterval) -> Actor? {
        guard lifetime > 0 else { return nil }
        return state.withLockedValue { s in
            guard let e = s.entries[key] else { return nil }
            guard now.timeIntervalSince(e.storedAt) < lifetime, now < e.credentialExpiresAt,
                now.timeIntervalSince(e.touchedAt) <= touchEvery
            else {
                s.entries[key] = nil
                return nil
            }
            return e.actor
        }
    }

    /// Keeps `entry` unless the cache was cleared after `generation` was read.
    func store(_ key: String, _ entry: Entry, loadedAt generation: UInt64) {
        guard lifetime > 0 else { return }
        state.withLockedValue { s in
            guard s.generation == generation else { return }
            if s.entries.count >= capacity { s.entries.removeAll(keepingCapacity: true) }
            s.entries[key] = entry
        }
    }

    /// A user's unread count while fresh.
    func unread(_ user: UUID, now: Date) -> Int? {
        guard lifetime > 0 else { return nil }
        return state.withLockedValue { s in
            guard let u = s.unread[user], now.timeIntervalSince(u.storedAt) < lifetime else { return nil }
            return u.count
        }
    }

    /// Keeps a counted unread number unless the cache was cleared after `generation` was read.
    func storeUnread(_ user: UUID, _ count: Int, at now: Date, loadedAt generation: UInt64) {
        guard lifetime > 0 else { return }
        state.withLockedValue { s in
            guard s.generation == generation else { return }
            if s.unread.count >= capacity { s.unread.removeAll(keepingCapacity: true) }
            s.unread[user] = (count, now)
        }
    }

    /// Forgets every entry, and any load still under way.
    func clear() {
        state.withLockedValue { s in
            s.generation &+= 1
            s.entries.removeAll(keepingCapacity: true)
            s.unread.removeAll(keepingCapacity: true)
        }
    }

    var count: Int { state.withLockedValue { $0.entries.count } }
}

extension Application {
    private struct ActorCacheKey: StorageKey { typealias Value = ActorCache }

    /// Set once by `configure` (storage is not safe to fill from concurrent requests).
    var actorCache: ActorCache {
        get {
            guard let c = storage[ActorCacheKey.self] else { fatalError("configure(app) not called") }
            return c
        }
        set { storage[ActorCacheKey.self] = newValue }
    }
}
