import Fluent
import Foundation
import SQLKit

/// The SQL an operator's tools run against the database itself: how many migrations it has, a consistent copy of a
/// SQLite file, and SQLite's integrity check.
struct DatabaseMaintenance {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    private var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Migrations applied to this database.
    func appliedMigrations() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// SQLite: writes a consistent copy of the live database to a new file at `path` (the server keeps running).
    func copy(to path: String) async throws {
        try await sql.raw("VACUUM INTO \(bind: path)").run()
    }

    /// SQLite: `["ok"]` for an intact file, otherwise the problems it names.
    func integrityCheck() async throws -> [String] {
        try await sql.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
    }
}
