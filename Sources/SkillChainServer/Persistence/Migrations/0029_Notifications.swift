import Fluent
import SQLKit

/// The inbox: one row per notification and recipient.
struct M0029Notifications: AsyncMigration {
    var name: String { "0029_Notifications" }

    func prepare(on db: any Database) async throws {
        try await db.schema("notifications")
            .id()
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("kind", .string, .required)
            .field("args", .string, .required)
            .field("link", .string, .required)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX notifications_user_created ON notifications (user_id, created_at)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("notifications").delete()
    }
}
