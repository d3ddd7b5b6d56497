import Fluent
import SQLKit
import Vapor

enum SQLiteSetup {
    /// WAL (persistent in the file) and `synchronous=FULL` (per connection) on every pooled
    /// connection: there is one connection per event loop, so ask each loop's connection.
    static func applyPragmas(_ app: Application) async throws {
        for loop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(logger: app.logger, on: loop)! as! any SQLDatabase
            try await db.raw("PRAGMA journal_mode=WAL").run()
            try await db.raw("PRAGMA synchronous=FULL").run()
        }
    }

    struct PragmaReport: Decodable, Sendable {
        let journalMode: String
        let synchronous: Int
    }

    /// What each pooled connection reports (for tests and `readyz`).
    static func pragmas(_ app: Application) async throws -> [PragmaReport] {
        var reports: [PragmaReport] = []
        for loop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(logger: app.logger, on: loop)! as! any SQLDatabase
            // swift-format-ignore: AlwaysUseLowerCamelCase
            struct Mode: Decodable { let journal_mode: String }
            struct Sync: Decodable { let synchronous: Int }
            let mode = try await db.raw("PRAGMA journal_mode").first(decoding: Mode.self)
            let sync = try await db.raw("PRAGMA synchronous").first(decoding: Sync.self)
            reports.append(PragmaReport(journalMode: mode?.journal_mode ?? "", synchronous: sync?.synchronous ?? -1))
        }
        return reports
    }

    static func version(_ db: any Database) async throws -> String {
        struct V: Decodable { let v: String }
        return try await (db as! any SQLDatabase).raw("SELECT sqlite_version() AS v").first(decoding: V.self)?.v ?? ""
    }
}
