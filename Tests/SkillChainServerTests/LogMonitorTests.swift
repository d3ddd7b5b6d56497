import Crypto
import Fluent
import Foundation
import SQLKit
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// The monitor a bureau runs: quiet on an honest log; it names a certificate slipped into the database behind the
/// platform's back, a status change that was not logged, a rewritten history and a checkpoint under another key; the
/// audit chain's logged heads catch a cut-off tail.
@Suite struct LogMonitorTests {
    func monitor(_ app: Application, key: String? = nil) async throws -> LogMonitor {
        let pinned = try await TransparencyLog.verifierKey(app)
        return try LogMonitor(verifierKey: key ?? pinned) { path in
            let res = try await app.testing().sendRequest(.GET, path)
            return res.status == .ok ? Data(res.body.readableBytesView) : nil
        }
    }

    /// A certificate written straight into the table, copying `o`: verifiable from the registry, absent from the log.
    func forge(_ app: Application, like o: CertificateRecord) async throws -> CertificateStore.Row {
        let forged = CertificateStore.Row(
            id: UUID(), number: o.number + "9", organizationID: o.organizationID, batchID: nil, registrationID: nil, personID: o.personID,
            citizenIDIndex: o.citizenIDIndex, holderName: o.holderName, citizenIDMasked: o.citizenIDMasked, occupationCode: o.occupationCode,
            occupationName: o.occupationName, workType: o.workType, level: SkillLevel(rawValue: o.level)!, issued: o.issueDate,
            validUntil: o.validUntil, credential: o.credential, jwt: o.jwt, keyID: o.keyID, revocationIndex: o.revocationIndex + 500,
            suspensionIndex: o.suspensionIndex + 500, status: .valid, createdAt: app.now)
        try await app.write { db in try await CertificateStore(db).insert([forged]) }
        return forged
    }

    func numbers(_ app: Application) async throws -> [String] {
        try await CertificateRecord.query(on: app.db).all().map(\.number)
    }

    @Test func an_honest_log_has_no_findings_and_a_certificate_added_behind_its_back_is_named() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let batch = try await w.finalBatch(app)
            let first = try await monitor(app).run(previous: nil, numbers: try await numbers(app))
            #expect(first.findings.isEmpty, "\(first.findings)")
            #expect(first.entries == (try await TransparencyLogStore(app.db).size()))

            // A certificate written straight into the table: verifiable from the registry, absent from the log.
            let forged = try await forge(app, like: try #require(try await CertificateStore(app.db).ofBatch(batch).first))
            let second = try await monitor(app).run(previous: first.state, numbers: try await numbers(app))
            #expect(second.findings == ["certificate \(forged.number) is answered for but not in the log"])
        }
    }

    @Test func certificates_from_before_the_log_are_appended_once_and_one_forged_after_the_upgrade_is_not() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let batch = try await w.finalBatch(app)
            let certificates = try await CertificateStore(app.db).ofBatch(batch)
            let revoked = try #require(certificates.first).number
            let (status, _) = try await APIClient(app, "hr").call(
                .POST, "/api/v1/certificates/\(revoked)/status", ["action": "revoke", "category": "error", "reason": "核查"])
            #expect(status == .ok)
            // As on a platform from before migration 0031: no log at all. The upgrade notes the certificates it finds.
            let sql = try #require(app.db as? any SQLDatabase)
            for table in ["log_entries", "log_nodes", "log_checkpoints"] { try await sql.raw("DELETE FROM \(unsafeRaw: table)").run() }
            try await sql.raw("UPDATE log_state SET size = 0").run()
            try await TransparencyLogStore(app.db).noteUnloggedCertificates()
            let forged = try await forge(app, like: try #require(certificates.last))

            try await LogCheckpointer(app: app).run()
            let report = try await monitor(app).run(previous: nil, numbers: try await numbers(app))
            #expect(report.findings == ["certificate \(forged.number) is answered for but not in the log"])
            let store = TransparencyLogStore(app.db)
            let index = try #require(try await store.latestIndex(number: revoked))
            #expect(LogEntry(text: try #require(try await store.entries(index..<(index + 1)).first))?.event == .revoked)
            #expect(try await TransparencyLog.backfill(app) == 0)
        }
    }

    @Test func one_changed_byte_of_a_served_tile_or_entry_bundle_is_named() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)
            let pinned = try await TransparencyLog.verifierKey(app)
            /// A monitor reading through something that flips the last byte of every answer whose path has `marker`.
            func tampered(_ marker: String) throws -> LogMonitor {
                try LogMonitor(verifierKey: pinned) { path in
                    let res = try await app.testing().sendRequest(.GET, path)
                    guard res.status == .ok else { return nil }
                    var data = Data(res.body.readableBytesView)
                    if path.contains(marker), let last = data.indices.last { data[last] ^= 1 }
                    return data
                }
            }
            let tile = try await tampered("/tile/0/").run(previous: nil)
            #expect(tile.findings.contains("the tiles do not give the signed root"))
            let bundle = try await tampered("/tile/entries/").run(previous: nil)
            #expect(bundle.findings == ["the entry bundles do not match the hash tiles"])
        }
    }

    @Test func an_unlogged_revocation_a_rewritten_history_and_another_key_are_found() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let batch = try await w.finalBatch(app)
            let seen = try await monitor(app).run(previous: nil)
            #expect(seen.findings.isEmpty)
            let cert = try #require(try await CertificateStore(app.db).ofBatch(batch).first)
            let sql = try #require(app.db as? any SQLDatabase)

            // Revoked in the database only: the status list shows it, the log does not.
            try await sql.raw("UPDATE certificates SET status = 'revoked' WHERE number = \(bind: cert.number)").run()
            let unlogged = try await monitor(app).run(previous: seen.state)
            #expect(unlogged.findings.contains { $0.contains(cert.number) && $0.contains("issued") })
            try await sql.raw("UPDATE certificates SET status = 'valid' WHERE number = \(bind: cert.number)").run()

            // An entry rewritten and the checkpoint signed again over the new tree: the last state seen no longer fits.
            let entry = try #require(try await TransparencyLogStore(app.db).entries(0..<1).first)
            let rewritten = entry.replacingOccurrences(of: "event issued", with: "event imported")
            let leaf = MerkleTree.leafHash(Data(rewritten.utf8)).base64EncodedString()
            try await sql.raw("UPDATE log_entries SET entry = \(bind: rewritten), leaf_hash = \(bind: leaf) WHERE idx = 0").run()
            try await sql.raw("DELETE FROM log_checkpoints").run()
            let rewrittenRun = try await monitor(app).run(previous: seen.state)
            #expect(rewrittenRun.findings.contains { $0.contains("history was rewritten") })

            // A checkpoint under a key that is not the pinned one.
            let other = SignedNote.verifierKey(
                name: TransparencyLog.origin(app), publicKey: Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)
            let foreign = try await monitor(app, key: other).run(previous: nil)
            #expect(foreign.findings.count == 1 && foreign.findings[0].contains("not signed by the pinned key"))
        }
    }

    @Test func removing_the_newest_audit_entries_is_caught_by_the_logged_audit_head() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)
            #expect(try await LogCheckpointer(app: app).run())
            #expect(!(try await LogCheckpointer(app: app).run()), "the head did not move")
            #expect(try await LogCheckpointer.missingAuditHeads(on: app.db).isEmpty)
            let newest = try #require(try await AuditEventRecord.query(on: app.db).sort(\.$sequence, .descending).first())
            try await newest.delete(on: app.db)
            #expect(try await LogCheckpointer.missingAuditHeads(on: app.db) == [newest.sequence])
            #expect(try await AuditLog.verify(on: app.db).isIntact, "the hash chain alone cannot see a cut-off tail")
        }
    }
}
