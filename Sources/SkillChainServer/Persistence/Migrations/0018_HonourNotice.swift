import Fluent

/// Honours go on public notice before they are awarded: the notice period on the campaign, and objections to a
/// shortlisted nominee (issue 6).
struct M0018HonourNotice: AsyncMigration {
    var name: String { "0018_HonourNotice" }
    func prepare(on db: any Database) async throws {
        try await db.schema("honour_campaigns").field("notice_from", .string).update()
        try await db.schema("honour_campaigns").field("notice_until", .string).update()
        try await db.schema("honour_objections")
            .id()
            .field("campaign_id", .uuid, .required, .references("honour_campaigns", "id"))
            .field("nomination_id", .uuid, .required, .references("honour_nominations", "id"))
            .field("text", .string, .required)
            .field("contact_sealed", .string, .required)
            .field("status", .string, .required)  // open | upheld | dismissed
            .field("resolution", .string)
            .field("created_at", .datetime)
            .field("resolved_at", .datetime)
            .create()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("honour_objections").delete()
        try await db.schema("honour_campaigns").deleteField("notice_until").update()
        try await db.schema("honour_campaigns").deleteField("notice_from").update()
    }
}
