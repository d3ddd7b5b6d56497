import Foundation
import SkillChainCore
import Vapor

/// What services take from the world instead of reading it directly: for now the clock. Set once by `configure` with
/// the system clock; a test replaces it (before its first request) to move time through HTTP.
struct Dependencies: Sendable {
    var clock: any WallClock = SystemClock()
}

extension Application {
    private struct DependenciesKey: StorageKey { typealias Value = Dependencies }

    var dependencies: Dependencies {
        get { storage[DependenciesKey.self] ?? Dependencies() }
        set { storage[DependenciesKey.self] = newValue }
    }

    /// The current time from the application's clock.
    var now: Date { dependencies.clock.now() }
    /// Today (China Standard Time) from the application's clock.
    var today: Day { dependencies.clock.today() }
}

extension Request {
    var now: Date { application.now }
    var today: Day { application.today }
}
