import Fluent
import SQLKit

/// Training programmes get a version for optimistic concurrency, as people, organizations and positions did in 0022.
struct M0027ProgramVersions: AsyncMigration {
    var name: String { "0027_ProgramVersions" }

    func prepare(on db: any Database) async throws {
        try await db.schema("programs").field("version", .int, .required, .sql(.default(1))).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("programs").deleteField("version").update()
    }
}
