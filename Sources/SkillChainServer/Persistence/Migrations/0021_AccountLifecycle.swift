import Fluent
import SQLKit

/// Accounts that can be ended and recovered: a membership or a user is deactivated (and reactivated) rather than
/// deleted; a reset link makes the user choose a new password; sessions and tokens remember the device and address
/// they were opened from and when they were last used; an optional second factor (TOTP, sealed, with sealed recovery
/// code digests).
struct M0021AccountLifecycle: AsyncMigration {
    var name: String { "0021_AccountLifecycle" }

    func prepare(on db: any Database) async throws {
        try await db.schema("memberships").field("deactivated_at", .datetime).update()
        try await db.schema("users").field("must_change_password", .bool, .required, .sql(.default(false))).update()
        try await db.schema("users").field("password_changed_at", .datetime).update()
        try await db.schema("users").field("totp_secret_sealed", .string).update()
        try await db.schema("users").field("totp_enrolled_at", .datetime).update()
        try await db.schema("users").field("totp_last_step", .int64).update()
        try await db.schema("users").field("recovery_codes_sealed", .string).update()
        for table in ["sessions", "api_tokens"] {
            try await db.schema(table).field("user_agent", .string).update()
            try await db.schema(table).field("address", .string).update()
        }
        try await db.schema("sessions").field("second_factor_pending", .bool, .required, .sql(.default(false))).update()
        try await db.schema("api_tokens").field("last_used_at", .datetime).update()
        try await db.schema("password_resets")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("token_hash", .string, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("password_resets").delete()
        try await db.schema("api_tokens").deleteField("last_used_at").update()
        try await db.schema("sessions").deleteField("second_factor_pending").update()
        for table in ["sessions", "api_tokens"] {
            try await db.schema(table).deleteField("address").update()
            try await db.schema(table).deleteField("user_agent").update()
        }
        for field in [
            "recovery_codes_sealed", "totp_last_step", "totp_enrolled_at", "totp_secret_sealed", "password_changed_at",
            "must_change_password",
        ] {
            try await db.schema("users").deleteField(.string(field)).update()
        }
        try await db.schema("memberships").deleteField("deactivated_at").update()
    }
}
