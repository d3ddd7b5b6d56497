import Fluent

/// Issue 6: honours campaigns and nominations.
struct M0015CreateHonours: AsyncMigration {
    var name: String { "0015_CreateHonours" }
    func prepare(on db: any Database) async throws {
        try await db.schema("honour_campaigns")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))  // the government body
            .field("region_code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("tier", .string, .required)
            .field("year", .int, .required)
            .field("quota", .int, .required)
            .field("criteria", .string, .required)  // JSON HonourCriteria
            .field("status", .string, .required)  // open | review | notice | awarded
            .field("created_at", .datetime)
            .create()
        try await db.schema("honour_nominations")
            .id()
            .field("campaign_id", .uuid, .required, .references("honour_campaigns", "id"))
            .field("organization_id", .uuid, .required, .references("organizations", "id"))  // the nominating employer
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("citizen_id_index", .string, .required)
            .field("facts", .string, .required)  // JSON NomineeFacts (level verified at nomination)
            .field("statement", .string, .required)
            .field("shortfalls", .string, .required)  // JSON [String]
            .field("contributions", .string, .required)  // JSON [HonourContribution]
            .field("rule_score", .double, .required)
            .field("panel_scores", .string, .required)  // JSON [Double]
            .field("status", .string, .required)  // nominated | ineligible | shortlisted | awarded | notAwarded
            .field("credential", .string)
            .field("created_at", .datetime)
            .unique(on: "campaign_id", "citizen_id_index")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("honour_nominations").delete()
        try await db.schema("honour_campaigns").delete()
    }
}
