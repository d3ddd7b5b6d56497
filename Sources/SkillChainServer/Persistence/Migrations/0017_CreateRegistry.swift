import Fluent
import SQLKit

/// The registry of bases, studios and industrial colleges, and skill competitions with their results (issue 6).
struct M0017CreateRegistry: AsyncMigration {
    var name: String { "0017_CreateRegistry" }
    func prepare(on db: any Database) async throws {
        try await db.schema("skill_bases")
            .id()
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("host_organization_id", .uuid, .required, .references("organizations", "id"))
            .field("region_code", .string, .required)
            .field("tier", .string, .required)
            .field("approval_year", .int, .required)
            .field("funding_granted", .int, .required)
            .field("funding_spent", .int, .required)
            .field("activity", .string, .required)  // the host's latest account of what it did
            .field("created_by_organization_id", .uuid, .required, .references("organizations", "id"))
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "host_organization_id", "kind", "name")
            .create()
        try await db.schema("skill_base_links")
            .id()
            .field("base_id", .uuid, .required, .references("skill_bases", "id"))
            .field("kind", .string, .required)  // program | master
            .field("target_id", .uuid, .required)  // a program, or a person (the master)
            .unique(on: "base_id", "target_id")
            .create()
        try await db.schema("competitions")
            .id()
            .field("name", .string, .required)
            .field("tier", .string, .required)
            .field("organizer_organization_id", .uuid, .required, .references("organizations", "id"))
            .field("region_code", .string, .required)
            .field("occupation_code", .string, .required)
            .field("year", .int, .required)
            .field("held_on", .string, .required)
            .field("entrants", .int, .required)
            .field("status", .string, .required)  // open | resultsPublished
            .field("created_at", .datetime)
            .create()
        try await db.schema("competition_results")
            .id()
            .field("competition_id", .uuid, .required, .references("competitions", "id"))
            .field("person_id", .uuid, .references("people", "id"))
            .field("citizen_id_index", .string, .required)
            .field("name", .string, .required)
            .field("citizen_id_masked", .string, .required)
            .field("rank", .int, .required)
            .field("is_student", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "competition_id", "citizen_id_index")
            .create()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "competition_results_index_idx").on("competition_results").column("citizen_id_index").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("competition_results").delete()
        try await db.schema("competitions").delete()
        try await db.schema("skill_base_links").delete()
        try await db.schema("skill_bases").delete()
    }
}
