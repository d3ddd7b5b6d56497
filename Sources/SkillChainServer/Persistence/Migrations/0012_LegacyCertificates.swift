import Fluent
import SQLKit

/// Certificates imported from before the platform have no batch or registration here: both columns become optional.
/// SQLite cannot drop a NOT NULL constraint, so the table is rebuilt from its own definition (rows, constraints and
/// indexes kept); PostgreSQL alters the columns in place.
struct M0012LegacyCertificates: AsyncMigration {
    var name: String { "0012_LegacyCertificates" }
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            let row = try await sql.raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'certificates'").first()
            guard let definition = try row?.decode(column: "sql", as: String.self) else { return }
            let relaxed =
                definition
                .replacingOccurrences(of: "CREATE TABLE \"certificates\"", with: "CREATE TABLE \"certificates_rebuilt\"")
                .replacingOccurrences(of: "\"batch_id\" UUID NOT NULL", with: "\"batch_id\" UUID")
                .replacingOccurrences(of: "\"registration_id\" UUID NOT NULL", with: "\"registration_id\" UUID")
            try await sql.raw(SQLQueryString(relaxed)).run()
            try await sql.raw("INSERT INTO \"certificates_rebuilt\" SELECT * FROM \"certificates\"").run()
            try await sql.raw("DROP TABLE \"certificates\"").run()
            try await sql.raw("ALTER TABLE \"certificates_rebuilt\" RENAME TO \"certificates\"").run()
            try await sql.create(index: "certificates_citizen_id_index_idx").on("certificates").column("citizen_id_index").run()
            try await sql.create(index: "certificates_batch_id_idx").on("certificates").column("batch_id").run()
        } else {
            try await sql.raw("ALTER TABLE certificates ALTER COLUMN batch_id DROP NOT NULL").run()
            try await sql.raw("ALTER TABLE certificates ALTER COLUMN registration_id DROP NOT NULL").run()
        }
    }

    /// Nothing to undo on its own: the optional columns hold no meaning without 0011, whose revert drops the table.
    func revert(on database: any Database) async throws {}
}
