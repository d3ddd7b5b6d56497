import Foundation

/// Where "now" comes from. Services read it from the application's dependencies, never from `Date()`, so a test (or a
/// rehearsal of a notice period) can move time.
public protocol WallClock: Sendable {
    func now() -> Date
}

extension WallClock {
    /// The calendar day of `now()` in China Standard Time.
    public func today() -> Day { Day(now()) }
}

/// The machine's clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that stands still until moved: for tests, and for rehearsing dated workflows.
public final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date) { current = start }

    public func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func set(_ date: Date) {
        lock.lock()
        current = date
        lock.unlock()
    }

    public func advance(days: Int) { advance(seconds: TimeInterval(days) * 86_400) }

    public func advance(seconds: TimeInterval) {
        lock.lock()
        current = current.addingTimeInterval(seconds)
        lock.unlock()
    }
}
