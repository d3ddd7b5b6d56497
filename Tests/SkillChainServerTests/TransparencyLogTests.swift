import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Every certificate event is appended to the transparency log in its own transaction; the signed checkpoint and an
/// inclusion proof check out against the log key; no personal data enters the log.
@Suite struct TransparencyLogTests {
    @Test func each_certificate_of_a_batch_and_its_suspension_are_logged_and_provable_without_personal_data() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let batch = try await w.finalBatch(app)
            let certificates = try await CertificateStore(app.db).ofBatch(batch)
            let store = TransparencyLogStore(app.db)
            #expect(try await store.size() == certificates.count)
            let entries = try await store.entries(0..<certificates.count).compactMap(LogEntry.init(text:))
            #expect(Set(entries.compactMap(\.number)) == Set(certificates.map(\.number)))
            #expect(entries.allSatisfy { $0.event == .issued })
            let cert = try #require(certificates.first { $0.holderName == "考生一" })
            for e in try await store.entries(0..<certificates.count) {
                #expect(!e.contains("考生") && !e.contains(cert.citizenIDMasked))
            }

            // Suspended: one more entry, and the certificate's proof is now of that entry.
            let hr = try await APIClient(app, "hr")
            let (status, _) = try await hr.call(
                .POST, "/api/v1/certificates/\(cert.number)/status", ["action": "suspend", "category": "error", "reason": "核查中"])
            #expect(status == .ok)
            #expect(try await store.size() == certificates.count + 1)
            let proof = try await TransparencyLog.proof(number: cert.number, app: app)
            #expect(proof.index == certificates.count)

            // The checkpoint is signed by the log key and the proof leads to its root.
            let key = try #require(SignedNote.parseVerifierKey(try await TransparencyLog.verifierKey(app)))
            let body = try SignedNote.verify(proof.checkpoint, name: key.name, publicKey: key.publicKey)
            let checkpoint = try #require(Checkpoint(text: body))
            #expect(checkpoint.size == certificates.count + 1 && checkpoint.origin == "127.0.0.1/skillchain")
            let entry = try #require(try await store.entries(proof.index..<(proof.index + 1)).first)
            #expect(LogEntry(text: entry)?.event == .suspended)
            #expect(
                MerkleTree.verifyInclusion(
                    index: proof.index, size: checkpoint.size, leafHash: MerkleTree.leafHash(Data(entry.utf8)), proof: proof.hashes,
                    root: checkpoint.root))
            #expect(TlogProof(text: proof.text) == proof)
        }
    }
}
