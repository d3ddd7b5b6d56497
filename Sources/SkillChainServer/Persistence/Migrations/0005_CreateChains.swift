import Fluent

struct M0005CreateChains: AsyncMigration {
    var name: String { "0005_CreateChains" }

    func prepare(on db: any Database) async throws {
        try await db.schema("chains")
            .id()
            .field("name", .string, .required)
            .field("industry", .string, .required)
            .field("region_code", .string, .required)
            .field("lead_organization_id", .uuid, .required, .references("organizations", "id"))
            .field("status", .string, .required)
            .field("return_reason", .string)
            .field("submitted_at", .datetime)
            .field("decided_at", .datetime)
            .field("decided_by_organization_id", .uuid, .references("organizations", "id"))
            .field("created_at", .datetime)
            .create()
        try await db.schema("chain_members")
            .id()
            .field("chain_id", .uuid, .required, .references("chains", "id"))
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("contributions", .string, .required)
            .field("posts_committed", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "chain_id", "organization_id")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("chain_members").delete()
        try await db.schema("chains").delete()
    }
}
