import Fluent
import SQLKit

/// Matching reads certificates cell by cell (occupation × level × status) and the pool by citizen-ID index.
struct M0016MatchingIndexes: AsyncMigration {
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "certificates_cell_idx").on("certificates").column("occupation_code").column("level").column("status").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "certificates_cell_idx").run()
    }
}
