import Fluent
import SQLKit

/// Records that can be corrected: a version for optimistic concurrency (the `ETag`) and, for records others refer to,
/// an archive mark instead of deletion; people's requests to correct what is held about them.
struct M0022RecordVersions: AsyncMigration {
    var name: String { "0022_RecordVersions" }

    func prepare(on db: any Database) async throws {
        for table in ["people", "organizations", "positions", "chains"] {
            try await db.schema(table).field("version", .int, .required, .sql(.default(1))).update()
        }
        for table in ["people", "organizations", "positions"] {
            try await db.schema(table).field("archived_at", .datetime).update()
        }
        try await db.schema("correction_requests")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("requested_by", .uuid, .required, .references("users", "id"))
            .field("field", .string, .required)
            .field("requested_value_sealed", .string, .required)
            .field("explanation", .string)
            .field("status", .string, .required)
            .field("decision_reason", .string)
            .field("decided_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("decided_at", .datetime)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("correction_requests").delete()
        for table in ["people", "organizations", "positions"] {
            try await db.schema(table).deleteField("archived_at").update()
        }
        for table in ["people", "organizations", "positions", "chains"] {
            try await db.schema(table).deleteField("version").update()
        }
    }
}
