import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// Every saved pay grid is kept as a numbered version, so a grid replaced by a new one stays readable (what the
/// reference pay was when a gap was reported). The grid saved before this migration becomes version 1.
struct M0026PayGridVersions: AsyncMigration {
    var name: String { "0026_PayGridVersions" }

    func prepare(on db: any Database) async throws {
        try await db.schema("pay_grid_versions")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("version", .int, .required)
            .field("bands", .string, .required)
            .field("middle_manager_pay", .int)
            .field("senior_manager_pay", .int)
            .field("saved_at", .datetime, .required)
            .field("saved_by", .uuid)
            .unique(on: "organization_id", "version")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        // swift-format-ignore: AlwaysUseLowerCamelCase
        struct Grid: Decodable {
            let organization_id: UUID
            let bands: String
            let middle_manager_pay: Int?
            let senior_manager_pay: Int?
            let updated_at: Date?
        }
        for g in try await sql.select().columns("organization_id", "bands", "middle_manager_pay", "senior_manager_pay", "updated_at")
            .from("pay_grids").all(decoding: Grid.self)
        {
            try await sql.insert(into: "pay_grid_versions")
                .columns("id", "organization_id", "version", "bands", "middle_manager_pay", "senior_manager_pay", "saved_at")
                .values(
                    SQLBind(UUID()), SQLBind(g.organization_id), SQLBind(1), SQLBind(g.bands), SQLBind(g.middle_manager_pay),
                    SQLBind(g.senior_manager_pay), SQLBind(g.updated_at ?? SystemClock().now())
                )
                .run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("pay_grid_versions").delete()
    }
}
