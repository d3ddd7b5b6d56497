import Fluent
import Foundation
import SQLKit

/// Serialises check-then-write across instances: a service that checks a limit or uniqueness takes the lock of the row
/// the limit belongs to (a programme's capacity, a master's apprentices) inside its transaction, then checks again.
/// On PostgreSQL this is `SELECT … FOR UPDATE`; SQLite has one writer at a time (and `Application.write` queues every
/// write transaction of this process), so there the re-check inside the transaction is enough.
enum RowLock {
    static func lock(_ table: String, _ ids: [UUID], on db: any Database) async throws {
        guard !ids.isEmpty, let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        // In id order, so two transactions locking the same rows never wait for each other in a cycle.
        for id in ids.sorted(by: { $0.uuidString < $1.uuidString }) {
            try await sql.raw("SELECT id FROM \(ident: table) WHERE id = \(bind: id) FOR UPDATE").run()
        }
    }
}
