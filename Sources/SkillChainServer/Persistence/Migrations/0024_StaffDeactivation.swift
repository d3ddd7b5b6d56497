import Fluent

/// An assessor, proctor or supervisor who no longer serves is deactivated, not deleted: they leave panels not yet held
/// and cannot be put on new ones; the scores they gave stay.
struct M0024StaffDeactivation: AsyncMigration {
    var name: String { "0024_StaffDeactivation" }

    func prepare(on db: any Database) async throws {
        try await db.schema("evaluation_staff").field("deactivated_at", .datetime).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("evaluation_staff").deleteField("deactivated_at").update()
    }
}
