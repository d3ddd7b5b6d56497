import Fluent
import Foundation

/// A browser session. Only the SHA-256 of the cookie value is stored.
final class BrowserSessionRecord: Model, @unchecked Sendable {
    static let schema = "sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "membership_id") var membershipID: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "user_agent") var userAgent: String?
    @OptionalField(key: "address") var address: String?
    /// Password accepted, second factor not yet: the session can only finish signing in.
    @Field(key: "second_factor_pending") var secondFactorPending: Bool

    init() {}
}

/// A bearer token for the API. Only the SHA-256 of the token is stored.
final class APITokenRecord: Model, @unchecked Sendable {
    static let schema = "api_tokens"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "user_id") var userID: UUID
    @Field(key: "membership_id") var membershipID: UUID
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @OptionalField(key: "user_agent") var userAgent: String?
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "last_used_at") var lastUsedAt: Date?

    init() {}
}

/// A one-time password reset link (only its SHA-256 is kept), valid 30 minutes, made by an organization admin.
final class PasswordResetRecord: Model, @unchecked Sendable {
    static let schema = "password_resets"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "token_hash") var tokenHash: String
    @OptionalField(key: "created_by") var createdBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?

    init() {}
}

/// Failed-login counters per account and per client address, kept in the database so that
/// every instance sees the same limits.
final class LoginThrottleRecord: Model, @unchecked Sendable {
    static let schema = "login_throttles"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "window_start") var windowStart: Date
    @Field(key: "failures") var failures: Int

    init() {}
}
