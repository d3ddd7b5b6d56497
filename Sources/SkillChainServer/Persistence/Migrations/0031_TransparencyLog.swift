import Fluent
import SQLKit

/// The public transparency log (issue 19): its entries in order (with their leaf hashes, and the certificate number
/// they concern), its size under one lock row, the signed checkpoints, and the platform's log key (sealed).
struct M0031TransparencyLog: AsyncMigration {
    var name: String { "0031_TransparencyLog" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw(
            "CREATE TABLE log_entries (idx BIGINT PRIMARY KEY, entry TEXT NOT NULL, leaf_hash TEXT NOT NULL, number TEXT)"
        ).run()
        try await sql.raw("CREATE INDEX log_entries_number ON log_entries (number, idx)").run()
        try await sql.raw("CREATE TABLE log_state (id INTEGER PRIMARY KEY, size BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO log_state (id, size) VALUES (1, 0)").run()
        try await sql.raw("CREATE TABLE log_checkpoints (size BIGINT PRIMARY KEY, note TEXT NOT NULL)").run()
        try await sql.raw("CREATE TABLE log_keys (id INTEGER PRIMARY KEY, public_key TEXT NOT NULL, private_sealed TEXT NOT NULL)").run()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for table in ["log_keys", "log_checkpoints", "log_state", "log_entries"] { try await sql.raw("DROP TABLE \(unsafeRaw: table)").run() }
    }
}
