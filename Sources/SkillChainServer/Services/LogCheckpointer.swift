import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Every minute while serving: appends the audit chain's head to the transparency log when it moved (so removing the
/// audit log's newest entries shows: a logged head is then missing from the chain), and signs a checkpoint when the log
/// grew.
struct LogCheckpointer: Sendable {
    let app: Application

    /// One turn; answers whether an audit head was appended.
    @discardableResult
    func run() async throws -> Bool {
        try await TransparencyLog.backfill(app)
        let appended = try await app.write { db -> Bool in
            guard let head = try await AuditEventRecord.query(on: db).sort(\.$sequence, .descending).first() else { return false }
            let store = TransparencyLogStore(db)
            if let last = try await store.auditHeads(newestOnly: true).first, last.sequence >= head.sequence { return false }
            try await store.append([.auditHead(sequence: head.sequence, hash: head.hash, at: app.now)])
            return true
        }
        _ = try await TransparencyLog.checkpoint(app)
        return appended
    }

    /// The audit heads the log holds that the audit chain no longer has (sequence gone, or another hash there).
    static func missingAuditHeads(on db: any Database) async throws -> [Int64] {
        let heads = try await TransparencyLogStore(db).auditHeads()
        var chain: [Int64: String] = [:]
        // One read per thousand heads, not one per head (a head is logged every minute the audit log moved).
        for start in stride(from: 0, to: heads.count, by: 1000) {
            let sequences = heads[start..<min(start + 1000, heads.count)].map(\.sequence)
            for row in try await AuditEventRecord.query(on: db).filter(\.$sequence ~~ sequences).all() { chain[row.sequence] = row.hash }
        }
        return heads.filter { chain[$0.sequence] != $0.hash }.map(\.sequence)
    }

    func start() -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                do { try await run() } catch {
                    app.logger.error("transparency log checkpoint failed", metadata: ["error": .string(String(describing: error))])
                }
                try? await Task.sleep(nanoseconds: 60 * 1_000_000_000)
            }
        }
    }
}
