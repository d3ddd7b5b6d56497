import Fluent
import SQLKit

/// Issue 6: skill-based pay — an enterprise's pay grid by level and its employees' actual monthly pay.
struct M0014CreatePay: AsyncMigration {
    var name: String { "0014_CreatePay" }
    func prepare(on db: any Database) async throws {
        try await db.schema("pay_grids")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("bands", .string, .required)  // JSON: [{level, minimum, maximum, allowance}]
            .field("middle_manager_pay", .int)
            .field("senior_manager_pay", .int)
            .field("updated_at", .datetime)
            .unique(on: "organization_id")
            .create()
        try await db.schema("pay_records")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("person_id", .uuid, .references("people", "id"))  // nil for managers' pay (no person needed)
            .field("citizen_id_index", .string, .required)
            .field("month", .string, .required)  // YYYY-MM
            .field("monthly_pay", .int, .required)
            .field("post", .string, .required)  // skill | management
            .field("created_at", .datetime)
            .unique(on: "organization_id", "citizen_id_index", "month", "post")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("pay_records").delete()
        try await db.schema("pay_grids").delete()
    }
}
