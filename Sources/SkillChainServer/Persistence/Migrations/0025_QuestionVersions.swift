import Fluent

/// A question already used on a paper is never changed in place (the paper must read as it was sat): it is retired and
/// a new version made, which points at the one it replaces.
struct M0025QuestionVersions: AsyncMigration {
    var name: String { "0025_QuestionVersions" }

    func prepare(on db: any Database) async throws {
        try await db.schema("question_items").field("retired_at", .datetime).update()
        try await db.schema("question_items").field("replaces_id", .uuid).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("question_items").deleteField("replaces_id").update()
        try await db.schema("question_items").deleteField("retired_at").update()
    }
}
