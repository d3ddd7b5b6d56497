import Fluent

struct M0006CreateAuditEvents: AsyncMigration {
    var name: String { "0006_CreateAuditEvents" }

    func prepare(on db: any Database) async throws {
        try await db.schema("audit_events")
            .id()
            .field("sequence", .int64, .required)
            .field("occurred_at_ms", .int64, .required)
            .field("actor_user_id", .string)
            .field("acting_membership_id", .string)
            .field("action", .string, .required)
            .field("object_type", .string, .required)
            .field("object_id", .string)
            .field("outcome", .string, .required)
            .field("detail", .string, .required)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "sequence")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("audit_events").delete()
    }
}
