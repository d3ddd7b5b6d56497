import Fluent
import Foundation
import SQLKit
import Vapor

/// A FIFO async mutex. SQLite allows one writer; with one pooled connection per event loop, two
/// deferred transactions that both upgrade to writing deadlock (SQLITE_BUSY without the busy
/// handler). Every write transaction in this process therefore queues here first.
actor AsyncMutex {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func lock() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func unlock() {
        if waiters.isEmpty { locked = false } else { waiters.removeFirst().resume() }
    }
}

extension Application {
    private struct WriteMutexKey: StorageKey { typealias Value = AsyncMutex }
    var writeMutex: AsyncMutex {
        if let m = storage[WriteMutexKey.self] { return m }
        let m = AsyncMutex()
        storage[WriteMutexKey.self] = m
        return m
    }

    var isPostgres: Bool {
        if case .postgres = config.database { return true }
        return false
    }

    /// Runs `body` as one transaction: everything in it commits together or not at all.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let mutex = writeMutex
        let asked = DispatchTime.now().uptimeNanoseconds
        await mutex.lock()
        AppMetrics.writeWaited(nanoseconds: DispatchTime.now().uptimeNanoseconds - asked)
        do {
            let result = try await db.transaction { try await body($0) }
            await mutex.unlock()
            return result
        } catch {
            await mutex.unlock()
            throw error
        }
    }
}

extension Request {
    /// One transaction per user action; see `Application.write`.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await application.write(body)
    }
}
