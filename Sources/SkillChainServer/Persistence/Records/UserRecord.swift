import Fluent
import Foundation

final class UserRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "is_active") var isActive: Bool
    @OptionalField(key: "person_id") var personID: UUID?
    @OptionalField(key: "created_at") var createdAt: Date?
    /// Set by a reset link: the next sign-in must choose a new password before anything else.
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @OptionalField(key: "password_changed_at") var passwordChangedAt: Date?
    /// The TOTP secret (RFC 6238), sealed; enrolled once the first code was confirmed.
    @OptionalField(key: "totp_secret_sealed") var totpSecretSealed: String?
    @OptionalField(key: "totp_enrolled_at") var totpEnrolledAt: Date?
    /// The last time step a code was accepted for, so a code is good once.
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?
    /// SHA-256 digests of the unused recovery codes, JSON, sealed.
    @OptionalField(key: "recovery_codes_sealed") var recoveryCodesSealed: String?
    /// Where notifications are e-mailed (`EmailAddress.normalise`d); nil: the inbox only.
    @OptionalField(key: "email") var email: String?
    /// The language e-mails are written in (`AppLocale`'s raw value): the one last chosen on the site.
    @OptionalField(key: "locale") var locale: String?

    init() {}
}

final class MembershipRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "memberships"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "role") var role: String
    @OptionalField(key: "created_at") var createdAt: Date?
    /// A deactivated membership acts for nobody: its sessions and tokens are refused from the next request.
    @OptionalField(key: "deactivated_at") var deactivatedAt: Date?

    init() {}
}
