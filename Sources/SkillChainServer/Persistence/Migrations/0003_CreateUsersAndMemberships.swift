import Fluent

struct M0003CreateUsersAndMemberships: AsyncMigration {
    var name: String { "0003_CreateUsersAndMemberships" }

    func prepare(on db: any Database) async throws {
        try await db.schema("users")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("is_active", .bool, .required)
            .field("person_id", .uuid, .references("people", "id"))
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
        try await db.schema("memberships")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("role", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "user_id", "organization_id", "role")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("memberships").delete()
        try await db.schema("users").delete()
    }
}
