import Fluent

/// The government dashboard's stored counts for large regions (issue 6): one row per question asked (region, filters,
/// language), with when it was counted and how long counting took. See `DashboardFreshness`.
struct M0019DashboardSnapshots: AsyncMigration {
    var name: String { "0019_DashboardSnapshots" }
    func prepare(on db: any Database) async throws {
        try await db.schema("dashboard_snapshots")
            .id()
            .field("key", .string, .required)
            .field("body", .string, .required)
            .field("counted_at", .datetime, .required)
            .field("milliseconds", .int, .required)
            .unique(on: "key")
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("dashboard_snapshots").delete()
    }
}
