import Fluent

struct M0004CreateSessionsAndTokens: AsyncMigration {
    var name: String { "0004_CreateSessionsAndTokens" }

    func prepare(on db: any Database) async throws {
        try await db.schema("sessions")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("membership_id", .uuid, .required, .references("memberships", "id"))
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        try await db.schema("api_tokens")
            .id()
            .field("token_hash", .string, .required)
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("membership_id", .uuid, .required, .references("memberships", "id"))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("revoked_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await db.schema("login_throttles")
            .field("key", .string, .identifier(auto: false))
            .field("window_start", .datetime, .required)
            .field("failures", .int, .required)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("login_throttles").delete()
        try await db.schema("api_tokens").delete()
        try await db.schema("sessions").delete()
    }
}
