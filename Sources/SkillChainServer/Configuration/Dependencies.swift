import Foundation
import SkillChainCore
import Vapor

/// What services take from the world instead of reading it directly: the clock, the random source (ids, tokens, keys),
/// the bodies' signing keys and the mailer. Set once by
/// `configure` with the system's; a test replaces them (before its first request) to move time through HTTP or to know
/// the next token.
struct Dependencies: Sendable {
    var clock: any WallClock = SystemClock()
    var random: any RandomSource = SystemRandomSource()
    /// The evaluation bodies' signing keys (sealed in the database).
    var signingKeys: any SigningKeyStore = SealedSigningKeyStore()
    /// Where e-mail goes (`SKILLCHAIN_SMTP_URL`); nil: notifications stay in the inbox.
    var mailer: (any MailTransport)?
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
    /// The application's random source: tokens, salts, secrets.
    var random: any RandomSource { dependencies.random }
}

extension Request {
    var now: Date { application.now }
    var today: Day { application.today }
}
