import Fluent

struct M0002CreatePeople: AsyncMigration {
    var name: String { "0002_CreatePeople" }

    func prepare(on db: any Database) async throws {
        try await db.schema("people")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("name", .string, .required)
            .field("citizen_id_sealed", .string, .required)
            .field("citizen_id_index", .string, .required)
            .field("citizen_id_masked", .string, .required)
            .field("sex", .string, .required)
            .field("birth_date", .string, .required)
            .field("phone_sealed", .string, .required)
            .field("phone_masked", .string, .required)
            .field("education", .string, .required)
            .field("category", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "organization_id", "citizen_id_index")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("people").delete()
    }
}
