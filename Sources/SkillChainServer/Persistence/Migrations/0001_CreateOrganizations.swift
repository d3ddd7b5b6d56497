import Fluent

struct M0001CreateOrganizations: AsyncMigration {
    var name: String { "0001_CreateOrganizations" }

    func prepare(on db: any Database) async throws {
        try await db.schema("organizations")
            .id()
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("credit_code", .string, .required)
            .field("region_code", .string, .required)
            .field("flags", .int, .required)
            .field("insured_employees", .int, .required)
            .field("created_at", .datetime)
            .unique(on: "credit_code")
            .unique(on: "name")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("organizations").delete()
    }
}
