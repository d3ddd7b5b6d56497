import Foundation

/// How a user wants to hear of one kind of event: in the inbox only, in the inbox and at once by e-mail, or in the inbox
/// and in one e-mail a day that lists them all.
public enum NotificationChannel: String, Sendable, Codable, CaseIterable {
    case inbox, email, digest

    /// What a user who has not chosen gets: a hand-over is worth an e-mail when they gave an address.
    public static let `default`: NotificationChannel = .email
}

/// Where the e-mail of one notification stands. A notification whose recipient has no address or chose the inbox has
/// none (`nil` in the database).
public enum EmailDeliveryState: String, Sendable, Codable, CaseIterable {
    /// Waiting for the worker (again, after a failed attempt, from `next attempt` on).
    case pending
    /// Accepted by the SMTP server.
    case sent
    /// Given up after `EmailRetryPolicy.maxAttempts`, or refused permanently (5xx): shown to the platform admin.
    case failed
    /// Waiting for the recipient's daily digest.
    case digest
    /// Listed in a digest that was sent.
    case digested
}

/// When a failed delivery is tried again, and when the worker gives up. Attempt 1 is the first try.
public struct EmailRetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    /// The wait after the first failure; each later failure doubles it, up to `maxDelay`.
    public var firstDelay: TimeInterval
    public var maxDelay: TimeInterval

    public init(maxAttempts: Int = 8, firstDelay: TimeInterval = 60, maxDelay: TimeInterval = 6 * 3600) {
        self.maxAttempts = maxAttempts
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
    }

    public enum Outcome: Sendable, Equatable {
        case retry(at: Date)
        case giveUp
    }

    /// What follows attempt number `attempt` failing at `now`: a permanent refusal (an SMTP 5xx: the address does not
    /// exist, the message is refused) is not tried again.
    public func after(attempt: Int, failedAt now: Date, permanent: Bool) -> Outcome {
        if permanent || attempt >= maxAttempts { return .giveUp }
        let delay = min(maxDelay, firstDelay * pow(2, Double(max(0, attempt - 1))))
        return .retry(at: now.addingTimeInterval(delay))
    }
}

/// The daily digest goes out at 08:00 China Standard Time (UTC+8, no daylight saving).
public enum DigestSchedule {
    public static let hour = 8

    /// The first 08:00 CST strictly after `now`.
    public static func next(after now: Date) -> Date {
        let offset: TimeInterval = 8 * 3600
        let local = now.timeIntervalSince1970 + offset
        var at = (local / 86400).rounded(.down) * 86400 + Double(hour) * 3600
        if at <= local { at += 86400 }
        return Date(timeIntervalSince1970: at - offset)
    }
}

/// The daily check's rules: a filing is flagged 60 days before it lapses; a signing key is due for rotation a year
/// after it was made, and flagged 60 days before.
public enum ExpiryWarning {
    public static let daysAhead = 60
    public static let keyLifetimeDays = 365

    /// Whether a filing valid until `until` is to be flagged on `today` (not yet lapsed, at most 60 days left).
    public static func filingDue(until: Day, today: Day) -> Bool {
        let left = until.daysSince1970 - today.daysSince1970
        return left >= 0 && left <= daysAhead
    }

    /// The day a key made on `created` should be replaced by.
    public static func keyRotationDay(created: Day) -> Day {
        var d = created
        for _ in 0..<keyLifetimeDays { d = d.next }
        return d
    }

    public static func keyDue(created: Day, today: Day) -> Bool {
        keyRotationDay(created: created).daysSince1970 - today.daysSince1970 <= daysAhead
    }
}
