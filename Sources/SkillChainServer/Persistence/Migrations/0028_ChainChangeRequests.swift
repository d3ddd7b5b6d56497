import Fluent

/// Membership changes of an approved chain, requested by the lead and decided by the region's bureau.
struct M0028ChainChangeRequests: AsyncMigration {
    var name: String { "0028_ChainChangeRequests" }

    func prepare(on db: any Database) async throws {
        try await db.schema("chain_change_requests")
            .id()
            .field("chain_id", .uuid, .required, .references("chains", "id"))
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("kind", .string, .required)
            .field("contributions", .string, .required)
            .field("posts_committed", .int)
            .field("explanation", .string, .required)
            .field("status", .string, .required)
            .field("decision_reason", .string)
            .field("requested_by", .uuid, .required)
            .field("decided_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("decided_at", .datetime)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("chain_change_requests").delete()
    }
}
