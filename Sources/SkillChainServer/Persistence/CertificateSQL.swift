import SQLKit
import SkillChainCore

/// Certificate conditions shared by the SQL that counts and narrows (dashboard, matching, registry, chain conversion).
enum CertificateSQL {
    /// Valid today — Core's `CertificateFact.Status.today` in SQL: stored as valid and not past its `valid_until`.
    static func validOn(_ today: Day, alias: String = "c") -> SQLQueryString {
        "\(unsafeRaw: alias).status = \(bind: CertificateStatus.valid.rawValue) AND (\(unsafeRaw: alias).valid_until IS NULL OR \(unsafeRaw: alias).valid_until >= \(bind: today.description))"
    }
}
