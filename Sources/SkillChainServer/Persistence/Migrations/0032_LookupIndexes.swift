import Fluent
import SQLKit

/// Indexes for finding a person's accounts by the blind index of their ID (every notification to a candidate, holder
/// or nominee goes through it): without them, telling a 10,000-candidate batch its results read the people and users
/// tables once per candidate.
struct M0032LookupIndexes: AsyncMigration {
    var name: String { "0032_LookupIndexes" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX people_citizen_id_index ON people (citizen_id_index)").run()
        try await sql.raw("CREATE INDEX users_person_id ON users (person_id)").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX people_citizen_id_index").run()
        try await sql.raw("DROP INDEX users_person_id").run()
    }
}
