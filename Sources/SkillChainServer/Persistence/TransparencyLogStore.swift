import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The SQL of the transparency log: appending in the caller's transaction (the size row is locked, so two instances
/// never give out one index), reading entries and leaf hashes by index, the checkpoints and the log key.
struct TransparencyLogStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    private var sql: any SQLDatabase { db as! any SQLDatabase }
    private var lockClause: String { sql.dialect.name == "postgresql" ? " FOR UPDATE" : "" }

    /// Appends entries after the last; answers the index of the first.
    @discardableResult
    func append(_ entries: [LogEntry]) async throws -> Int {
        let size =
            try await sql.raw("SELECT size FROM log_state WHERE id = 1\(unsafeRaw: lockClause)").first()?.decode(column: "size", as: Int.self) ?? 0
        guard !entries.isEmpty else { return size }
        let rows: [[BulkValue]] = entries.enumerated().map { i, e in
            let text = e.text
            return [.int(size + i), .text(text), .text(MerkleTree.leafHash(Data(text.utf8)).base64EncodedString()), .optional(e.number)]
        }
        try await BulkInsert.run("log_entries", columns: ["idx", "entry", "leaf_hash", "number"], rows: rows, on: db)
        try await sql.raw("UPDATE log_state SET size = \(bind: size + entries.count) WHERE id = 1").run()
        try await storeCompletedNodes(from: size, to: size + entries.count)
        return size
    }

    /// Stores the inner nodes that growing the log from `old` to `new` leaves completed, level by level.
    func storeCompletedNodes(from old: Int, to new: Int) async throws {
        for level in 1...StoredTree.storedLevels {
            let completed = (old / StoredTree.span(level))..<(new / StoredTree.span(level))
            guard !completed.isEmpty else { continue }
            let below = try await nodes(level: level - 1, (completed.lowerBound * 256)..<(completed.upperBound * 256))
            let rows: [[BulkValue]] = completed.map { i in
                let first = (i - completed.lowerBound) * 256
                let hash = MerkleTree.root(below[first..<(first + 256)])
                return [.int(level), .int(i), .text(hash.base64EncodedString())]
            }
            try await BulkInsert.run("log_nodes", columns: ["level", "idx", "hash"], rows: rows, on: db)
        }
    }

    /// Nodes of `level` (0: the leaf hashes) with indices in `range`, in order.
    func nodes(level: Int, _ range: Range<Int>) async throws -> [Data] {
        guard level > 0 else { return try await leafHashes(range) }
        return try await sql.raw(
            """
            SELECT hash FROM log_nodes WHERE level = \(bind: level) AND idx >= \(bind: range.lowerBound) AND idx < \(bind: range.upperBound) \
            ORDER BY idx
            """
        ).all().map { Data(base64Encoded: try $0.decode(column: "hash", as: String.self)) ?? Data() }
    }

    /// The tree of the first `size` leaves, with the nodes a root and the proofs about `focus` read.
    func tree(size: Int, focus: [Int] = []) async throws -> StoredTree {
        var tree = StoredTree(size: size)
        for (level, range) in StoredTree.needed(size: size, focus: focus) {
            tree.add(level: level, first: range.lowerBound, hashes: try await nodes(level: level, range))
        }
        return tree
    }

    func size() async throws -> Int {
        try await sql.raw("SELECT size FROM log_state WHERE id = 1").first()?.decode(column: "size", as: Int.self) ?? 0
    }

    /// Leaf hashes of `range` (in order).
    func leafHashes(_ range: Range<Int>) async throws -> [Data] {
        try await sql.raw(
            "SELECT leaf_hash FROM log_entries WHERE idx >= \(bind: range.lowerBound) AND idx < \(bind: range.upperBound) ORDER BY idx"
        ).all().map { Data(base64Encoded: try $0.decode(column: "leaf_hash", as: String.self)) ?? Data() }
    }

    func entries(_ range: Range<Int>) async throws -> [String] {
        try await sql.raw(
            "SELECT entry FROM log_entries WHERE idx >= \(bind: range.lowerBound) AND idx < \(bind: range.upperBound) ORDER BY idx"
        ).all().map { try $0.decode(column: "entry", as: String.self) }
    }

    /// The index of the newest entry about a certificate.
    func latestIndex(number: String) async throws -> Int? {
        try await sql.raw("SELECT MAX(idx) AS idx FROM log_entries WHERE number = \(bind: number)").first()?.decode(column: "idx", as: Int?.self)
    }

    /// The audit heads the log holds, oldest first (sequence, hash); `newestOnly`: just the last.
    func auditHeads(newestOnly: Bool = false) async throws -> [(sequence: Int64, hash: String)] {
        let prefix = LogEntry(event: .auditHead, fields: []).text
        let order = newestOnly ? "DESC LIMIT 1" : "ASC"
        return try await sql.raw(
            "SELECT entry FROM log_entries WHERE number IS NULL AND entry LIKE \(bind: prefix + "%") ORDER BY idx \(unsafeRaw: order)"
        ).all().compactMap { r in
            guard let e = LogEntry(text: try r.decode(column: "entry", as: String.self)), e.event == .auditHead,
                let sequence = e.fields.first(where: { $0.0 == "sequence" }).flatMap({ Int64($0.1) }),
                let hash = e.fields.first(where: { $0.0 == "hash" })?.1
            else { return nil }
            return (sequence, hash)
        }
    }

    func latestCheckpoint() async throws -> (size: Int, note: String)? {
        guard let r = try await sql.raw("SELECT size, note FROM log_checkpoints ORDER BY size DESC LIMIT 1").first() else { return nil }
        return (try r.decode(column: "size", as: Int.self), try r.decode(column: "note", as: String.self))
    }

    func checkpoint(size: Int) async throws -> String? {
        try await sql.raw("SELECT note FROM log_checkpoints WHERE size = \(bind: size)").first()?.decode(column: "note", as: String.self)
    }

    func saveCheckpoint(size: Int, note: String) async throws {
        guard try await checkpoint(size: size) == nil else { return }
        try await sql.raw("INSERT INTO log_checkpoints (size, note) VALUES (\(bind: size), \(bind: note))").run()
    }

    func key() async throws -> (publicKey: String, privateSealed: String)? {
        guard let r = try await sql.raw("SELECT public_key, private_sealed FROM log_keys WHERE id = 1").first() else { return nil }
        return (try r.decode(column: "public_key", as: String.self), try r.decode(column: "private_sealed", as: String.self))
    }

    func saveKey(publicKey: String, privateSealed: String) async throws {
        try await sql.raw("INSERT INTO log_keys (id, public_key, private_sealed) VALUES (1, \(bind: publicKey), \(bind: privateSealed))").run()
    }

    // MARK: Certificates from before the log

    /// Notes every certificate that has no log entry (run once, by migration 0034).
    func noteUnloggedCertificates() async throws {
        try await sql.raw(
            """
            INSERT INTO log_backfill (number) SELECT c.number FROM certificates c \
            WHERE NOT EXISTS (SELECT 1 FROM log_entries l WHERE l.number = c.number)
            """
        ).run()
    }

    func pendingBackfill(limit: Int) async throws -> [String] {
        try await sql.raw("SELECT number FROM log_backfill ORDER BY number LIMIT \(bind: limit)").all()
            .map { try $0.decode(column: "number", as: String.self) }
    }

    func clearBackfill(_ numbers: [String]) async throws {
        guard !numbers.isEmpty else { return }
        try await sql.raw("DELETE FROM log_backfill WHERE number IN \(SQLBind.group(numbers))").run()
    }
}
