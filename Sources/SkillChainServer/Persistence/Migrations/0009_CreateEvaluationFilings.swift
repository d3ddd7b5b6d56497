import Fluent

/// Evaluation bodies' filings (备案) with the HR bureau and the occupations × levels each may evaluate.
struct M0009CreateEvaluationFilings: AsyncMigration {
    var name: String { "0009_CreateEvaluationFilings" }

    func prepare(on db: any Database) async throws {
        try await db.schema("evaluation_filings")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("institution_type", .string, .required)
            .field("institution_code", .string, .required)
            .field("province_code", .string, .required)
            .field("site_serial", .string, .required)
            .field("region_code", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string, .required)
            .field("status", .string, .required)
            .field("reason", .string)
            .field("created_at", .datetime)
            .field("decided_at", .datetime)
            .unique(on: "organization_id")
            .unique(on: "institution_type", "institution_code", "province_code", "site_serial")
            .create()
        try await db.schema("filing_scopes")
            .id()
            .field("filing_id", .uuid, .required, .references("evaluation_filings", "id"))
            .field("occupation_edition", .string, .required)
            .field("occupation_code", .string, .required)
            .field("level", .string, .required)
            .unique(on: "filing_id", "occupation_edition", "occupation_code", "level")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("filing_scopes").delete()
        try await db.schema("evaluation_filings").delete()
    }
}
