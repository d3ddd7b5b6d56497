import Crypto
import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The hash-chained audit log's store: appends inside the caller's transaction (so an event exists exactly when the
/// change it records was committed), and reads the chain back to verify it.
enum AuditLog {
    struct Event: Sendable {
        var action: String
        var objectType: String
        var objectID: String?
        var outcome: String = "success"
        /// Non-personal facts only (ids, states, codes): never names, ID numbers or phones.
        var detail: [String: String] = [:]
    }

    /// PostgreSQL: serialises appends across instances until this transaction ends (SQLite has one writer).
    private static func lockTail(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(7264001)").run()
        }
    }

    static func append(_ event: Event, actor: Actor?, on db: any Database, now: Date) async throws {
        try await lockTail(on: db)
        let last = try await AuditEventRecord.query(on: db).sort(\.$sequence, .descending).first()
        let detailJSON = String(decoding: try JSONSerialization.data(withJSONObject: event.detail, options: [.sortedKeys]), as: UTF8.self)
        let entry = AuditChain.seal(
            AuditEntry(
                sequence: 0, occurredAtMillis: Int64((now.timeIntervalSince1970 * 1000).rounded()),
                actorUserID: actor?.userID.uuidString.lowercased(),
                actingMembershipID: actor?.membershipID.uuidString.lowercased(),
                action: event.action, objectType: event.objectType, objectID: event.objectID,
                outcome: event.outcome, detail: detailJSON, previousHash: ""),
            after: last.map(entry(from:)))
        let record = AuditEventRecord()
        record.sequence = entry.sequence
        record.occurredAtMillis = entry.occurredAtMillis
        record.actorUserID = entry.actorUserID
        record.actingMembershipID = entry.actingMembershipID
        record.action = entry.action
        record.objectType = entry.objectType
        record.objectID = entry.objectID
        record.outcome = entry.outcome
        record.detail = entry.detail
        record.previousHash = entry.previousHash
        record.hash = entry.hash
        try await record.create(on: db)
    }

    /// Appends many events at once (a batch's certificates): the chain tail is read once, the entries are sealed in
    /// order in memory and written with multi-row inserts, in the caller's transaction.
    static func appendAll(_ events: [Event], actor: Actor?, on db: any Database, now: Date) async throws {
        guard !events.isEmpty else { return }
        try await lockTail(on: db)
        var previous = try await AuditEventRecord.query(on: db).sort(\.$sequence, .descending).first().map(entry(from:))
        let millis = Int64((now.timeIntervalSince1970 * 1000).rounded())
        var rows: [[BulkValue]] = []
        rows.reserveCapacity(events.count)
        for event in events {
            let detailJSON = String(decoding: try JSONSerialization.data(withJSONObject: event.detail, options: [.sortedKeys]), as: UTF8.self)
            let e = AuditChain.seal(
                AuditEntry(
                    sequence: 0, occurredAtMillis: millis, actorUserID: actor?.userID.uuidString.lowercased(),
                    actingMembershipID: actor?.membershipID.uuidString.lowercased(), action: event.action, objectType: event.objectType,
                    objectID: event.objectID, outcome: event.outcome, detail: detailJSON, previousHash: ""),
                after: previous)
            rows.append([
                // The entry's hash is unique (it chains the sequence and the previous hash): its first bytes are the id.
                .uuid(.derived(from: SHA256.hash(data: Data(e.hash.utf8)))), .int(Int(e.sequence)), .int(Int(e.occurredAtMillis)),
                .optional(e.actorUserID), .optional(e.actingMembershipID),
                .text(e.action), .text(e.objectType), .optional(e.objectID), .text(e.outcome), .text(e.detail), .text(e.previousHash), .text(e.hash),
            ])
            previous = e
        }
        try await BulkInsert.run(
            AuditEventRecord.schema,
            columns: [
                "id", "sequence", "occurred_at_ms", "actor_user_id", "acting_membership_id", "action",
                "object_type", "object_id", "outcome", "detail", "previous_hash", "hash",
            ], rows: rows, on: db)
    }

    static func entry(from r: AuditEventRecord) -> AuditEntry {
        AuditEntry(
            sequence: r.sequence, occurredAtMillis: r.occurredAtMillis, actorUserID: r.actorUserID,
            actingMembershipID: r.actingMembershipID, action: r.action, objectType: r.objectType,
            objectID: r.objectID, outcome: r.outcome, detail: r.detail, previousHash: r.previousHash, hash: r.hash)
    }

    /// Verifies the whole chain in pages of 1,000 rows.
    static func verify(on db: any Database) async throws -> AuditChain.Verification {
        var all: [AuditEntry] = []
        var after: Int64 = 0
        while true {
            let page = try await AuditEventRecord.query(on: db).filter(\.$sequence > after)
                .sort(\.$sequence, .ascending).limit(1000).all()
            all.append(contentsOf: page.map(entry(from:)))
            guard let last = page.last, page.count == 1000 else { break }
            after = last.sequence
        }
        return AuditChain.verify(all)
    }

    /// How many entries the log holds.
    static func count(on db: any Database) async throws -> Int { try await AuditEventRecord.query(on: db).count() }

    /// The entries at `range` of the log read newest first.
    static func newestFirst(_ range: Range<Int>, on db: any Database) async throws -> [AuditEventRecord] {
        try await AuditEventRecord.query(on: db).sort(\.$sequence, .descending).range(range).all()
    }
}
