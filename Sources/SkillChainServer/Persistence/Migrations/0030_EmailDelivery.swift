import Fluent
import SQLKit

/// E-mail for the inbox (issue 18): a user's address and the language their messages are written in, each notification's
/// delivery state (the transactional outbox: written with the notification, claimed by one worker under a lease), and
/// each user's choice of channel per kind of event.
struct M0030EmailDelivery: AsyncMigration {
    var name: String { "0030_EmailDelivery" }

    static let notificationFields: [(String, DatabaseSchema.DataType)] = [
        ("email_state", .string), ("email_attempts", .int), ("email_next_at", .datetime), ("email_lease_owner", .string),
        ("email_lease_until", .datetime), ("email_sent_at", .datetime), ("email_error", .string),
    ]

    func prepare(on db: any Database) async throws {
        try await db.schema("users").field("email", .string).update()
        try await db.schema("users").field("locale", .string).update()
        for (name, type) in Self.notificationFields {
            try await db.schema("notifications").field(FieldKey(stringLiteral: name), type).update()
        }
        try await db.schema("notification_preferences")
            .field("user_id", .uuid, .required, .references("users", "id"))
            .field("kind", .string, .required)
            .field("channel", .string, .required)
            .compositeIdentifier(over: "user_id", "kind")
            .create()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX notifications_email_due ON notifications (email_state, email_next_at)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("notification_preferences").delete()
        for (name, _) in Self.notificationFields { try await db.schema("notifications").deleteField(FieldKey(stringLiteral: name)).update() }
        try await db.schema("users").deleteField("locale").update()
        try await db.schema("users").deleteField("email").update()
    }
}
