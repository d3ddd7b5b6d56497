import Fluent
import SQLKit

/// Certificates issued before the transparency log began (migration 0031) are not in it, so a monitor would report each
/// as "answered for but not logged". This migration notes exactly those, once; the log checkpointer then appends them
/// (`TransparencyLog.backfill`). A certificate written into the database later, behind the platform's back, is never
/// noted here, so the monitor still finds it.
struct M0034LogBackfill: AsyncMigration {
    var name: String { "0034_LogBackfill" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE TABLE log_backfill (number TEXT PRIMARY KEY)").run()
        try await TransparencyLogStore(db).noteUnloggedCertificates()
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP TABLE log_backfill").run()
    }
}
