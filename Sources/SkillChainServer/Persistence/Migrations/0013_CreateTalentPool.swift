import Fluent
import SQLKit

/// Issue 6, first part: the talent pool (consent to be found), invitations to positions and placements.
struct M0013CreateTalentPool: AsyncMigration {
    var name: String { "0013_CreateTalentPool" }
    func prepare(on db: any Database) async throws {
        try await db.schema("talent_consents")
            .id()
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("citizen_id_index", .string, .required)
            .field("declared_occupation_code", .string)  // self-declared, never verified
            .field("declared_level", .string)
            .field("consented_at", .datetime, .required)
            .field("withdrawn_at", .datetime)
            .unique(on: "person_id")
            .create()
        try await db.schema("invitations")
            .id()
            .field("position_id", .uuid, .required, .references("positions", "id"))
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("citizen_id_index", .string, .required)
            .field("score", .double, .required)
            .field("reasons", .string, .required)  // the match factors at the time, JSON
            .field("message", .string, .required)
            .field("status", .string, .required)  // invited | accepted | declined | withdrawn | placed
            .field("created_at", .datetime)
            .field("answered_at", .datetime)
            .unique(on: "position_id", "citizen_id_index")
            .create()
        try await db.schema("placements")
            .id()
            .field("position_id", .uuid, .required, .references("positions", "id"))
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("citizen_id_index", .string, .required)
            .field("invitation_id", .uuid, .references("invitations", "id"))
            .field("region_code", .string, .required)
            .field("occupation_code", .string, .required)
            .field("start_date", .string, .required)
            .field("monthly_wage", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "position_id", "citizen_id_index")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "talent_consents_index_idx").on("talent_consents").column("citizen_id_index").run()
            try await sql.create(index: "placements_citizen_id_index_idx").on("placements").column("citizen_id_index").run()
            try await sql.create(index: "certificates_occupation_code_idx").on("certificates").column("occupation_code").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("placements").delete()
        try await db.schema("invitations").delete()
        try await db.schema("talent_consents").delete()
    }
}
