/// How long an organization keeps personal data of people it no longer works with (PIPL art. 19 and 47: no longer than
/// needed). A person is due for erasure when the organization set a period, nothing about them is open (an enrollment
/// under way, a registration in a batch not yet final, an invitation waiting, a correction request), they hold no
/// certificate (certificate records are kept as the certificate rules require), and their last recorded activity is
/// older than the period.
public struct RetentionFacts: Sendable, Equatable {
    public var lastActivity: Day
    public var hasCertificate: Bool
    public var hasOpenRecord: Bool
    public init(lastActivity: Day, hasCertificate: Bool, hasOpenRecord: Bool) {
        self.lastActivity = lastActivity
        self.hasCertificate = hasCertificate
        self.hasOpenRecord = hasOpenRecord
    }
}

public enum Retention {
    public static func isDue(_ f: RetentionFacts, retentionDays: Int?, today: Day) -> Bool {
        guard let days = retentionDays, days > 0, !f.hasCertificate, !f.hasOpenRecord else { return false }
        return f.lastActivity.plusDays(days) < today
    }

    /// What an erased record shows instead of a name, a phone or an ID number.
    public static let erasedMark = "—"
}
