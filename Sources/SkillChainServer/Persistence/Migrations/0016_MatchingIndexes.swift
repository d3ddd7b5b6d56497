import Fluent
import SQLKit

/// Matching reads certificates cell by cell (occupation × level × status, in citizen-ID index order) and counts the
/// consenting pool.
struct M0016MatchingIndexes: AsyncMigration {
    var name: String { "0016_MatchingIndexes" }
    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.create(index: "certificates_cell_idx").on("certificates").column("occupation_code").column("level").column("status")
            .column("citizen_id_index").run()
        try await sql.create(index: "talent_consents_withdrawn_idx").on("talent_consents").column("withdrawn_at").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.drop(index: "certificates_cell_idx").run()
        try await sql.drop(index: "talent_consents_withdrawn_idx").run()
    }
}
