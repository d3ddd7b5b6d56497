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

    @Test func the_log_is_served_as_c2sp_tiles_a_checkpoint_and_proofs() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let batch = try await w.finalBatch(app)
            let certificates = try await CertificateStore(app.db).ofBatch(batch)
            let n = certificates.count
            let info = try await app.testing().sendRequest(.GET, "/log")
            let verifier = try await TransparencyLog.verifierKey(app)
            #expect(info.status == .ok && info.body.string.contains(verifier))
            let note = try await app.testing().sendRequest(.GET, "/log/checkpoint").body.string
            let key = try #require(SignedNote.parseVerifierKey(try await TransparencyLog.verifierKey(app)))
            let checkpoint = try #require(Checkpoint(text: try SignedNote.verify(note, name: key.name, publicKey: key.publicKey)))
            #expect(checkpoint.size == n)

            // The partial level-0 tile holds the leaf hashes; the entry bundle their entries, each after its length.
            let tile = try await app.testing().sendRequest(.GET, "/log/tile/0/000.p/\(n)")
            #expect(tile.status == .ok && tile.headers.first(name: .cacheControl)?.contains("immutable") == true)
            let hashes = stride(from: 0, to: n * 32, by: 32).map { Data(tile.body.getBytes(at: $0, length: 32) ?? []) }
            #expect(MerkleTree.root(hashes) == checkpoint.root)
            let bundle = try await app.testing().sendRequest(.GET, "/log/tile/entries/000.p/\(n)")
            var bytes = Data(bundle.body.readableBytesView)
            var entries: [Data] = []
            while bytes.count >= 2 {
                let length = Int(bytes[bytes.startIndex]) << 8 | Int(bytes[bytes.startIndex + 1])
                entries.append(Data(bytes.dropFirst(2).prefix(length)))
                bytes = Data(bytes.dropFirst(2 + length))
            }
            #expect(entries.map(MerkleTree.leafHash) == hashes)
            // A tile the log does not hold yet, or a malformed path, is not found.
            for path in ["/log/tile/0/000", "/log/tile/0/000.p/\(n + 1)", "/log/tile/0/x000/000", "/log/tile/0/00", "/log/tile/9/000"] {
                #expect(try await app.testing().sendRequest(.GET, path).status == .notFound, "\(path)")
            }

            // Anyone may ask for a certificate's proof.
            let number = try #require(certificates.first?.number)
            let proof = try #require(
                TlogProof(text: try await app.testing().sendRequest(.GET, "/api/v1/certificates/\(number)/log-proof").body.string))
            let entry = try #require(entries.firstIndex { String(decoding: $0, as: UTF8.self).contains("number \(number)\n") })
            #expect(proof.index == entry)
            #expect(
                MerkleTree.verifyInclusion(
                    index: proof.index, size: n, leafHash: MerkleTree.leafHash(entries[entry]), proof: proof.hashes, root: checkpoint.root))
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/certificates/NO-SUCH/log-proof").status == .notFound)
        }
    }

    @Test func a_log_grown_past_full_tiles_serves_their_hashes_and_proofs_from_stored_nodes() async throws {
        try await withTestApp { app in
            // 600 entries in three appends: the second and third each complete a tile of 256.
            var all: [LogEntry] = []
            for count in [200, 100, 300] {
                let entries = (all.count..<(all.count + count)).map {
                    LogEntry(event: .auditHead, fields: [("sequence", "\($0)"), ("hash", "h\($0)")])
                }
                try await app.write { db in try await TransparencyLog.append(entries, on: db) }
                all += entries
            }
            let leaves = all.map { MerkleTree.leafHash(Data($0.text.utf8)) }
            let tile = try await app.testing().sendRequest(.GET, "/log/tile/1/000.p/2")
            #expect(tile.status == .ok)
            #expect(Data(tile.body.readableBytesView) == MerkleTree.root(leaves[0..<256]) + MerkleTree.root(leaves[256..<512]))
            #expect(try await app.testing().sendRequest(.GET, "/log/tile/1/000.p/3").status == .notFound)
            // Full tiles are kept after the first answer; partial ones, which grow, never are.
            let cached = app.tileCache.count
            let full = try await app.testing().sendRequest(.GET, "/log/tile/0/001")
            #expect(app.tileCache.count == cached + 1)
            #expect(Data(full.body.readableBytesView) == leaves[256..<512].reduce(Data(), +))
            #expect(Data(try await app.testing().sendRequest(.GET, "/log/tile/0/001").body.readableBytesView) == Data(full.body.readableBytesView))
            _ = try await app.testing().sendRequest(.GET, "/log/tile/0/002.p/88")
            #expect(app.tileCache.count == cached + 1)

            let (size, note) = try await TransparencyLog.checkpoint(app)
            let key = try #require(SignedNote.parseVerifierKey(try await TransparencyLog.verifierKey(app)))
            let checkpoint = try #require(Checkpoint(text: try SignedNote.verify(note, name: key.name, publicKey: key.publicKey)))
            #expect(size == 600 && checkpoint.root == MerkleTree.root(leaves))
            let tree = try await TransparencyLogStore(app.db).tree(size: 600, focus: [10, 299])
            let proof = try tree.inclusionProof(10)
            #expect(proof == MerkleTree.inclusionProof(10, leaves[...]))
            #expect(try tree.consistencyProof(300) == MerkleTree.consistencyProof(300, leaves[...]))
        }
    }

    @Test func a_lookup_by_number_reports_the_log_entry_and_the_certificate_list_offers_the_proof() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let batch = try await w.finalBatch(app)
            let cert = try #require(try await CertificateStore(app.db).ofBatch(batch).first)
            let index = try #require(try await TransparencyLogStore(app.db).latestIndex(number: cert.number))
            let (_, byNumber) = try await APIClient(app, "outsider").call(.GET, "/api/v1/verify/\(cert.number)")
            let logged = try #require((byNumber["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "logged" })
            #expect(logged["ok"] as? Bool == true && logged["detail"] as? String == "已记入公开透明日志（第 \(index) 条）")

            let page = try await app.testing().sendRequest(
                .GET, SiteURL.verifyNumber(cert.number, key: PublicVerificationService(app).linkSecret(cert.number)).path)
            #expect(page.body.string.contains("已记入公开透明日志（第 \(index) 条）"))
            let hr = Browser(app)
            _ = try await hr.login("hr")
            let list = try await hr.get(SiteURL.certificates.path)
            #expect(list.body.string.contains("href=\"\(SiteURL.api(.certificateLogProof(cert.number)).path)\""))
        }
    }

    @Test func the_tile_cache_drops_its_oldest_tiles_past_its_capacity() {
        let cache = TileCache(capacity: 100)
        for (i, key) in ["a", "b", "c"].enumerated() { cache.put(key, Data(repeating: UInt8(i), count: 40)) }
        #expect(cache.get("a") == nil && cache.get("b")?.first == 1 && cache.get("c")?.first == 2)
        cache.put("huge", Data(count: 101))
        #expect(cache.get("huge") == nil && cache.count == 2)
    }

    @Test func tile_paths_are_parsed_strictly() {
        #expect(LogPages.parse(["0", "x001", "234.p", "17"])! == (0, 1234, 17))
        #expect(LogPages.parse(["entries", "005"])! == (-1, 5, 256))
        #expect(LogPages.parse(["0", "1234"]) == nil)
        #expect(LogPages.parse(["0", "001", "234"]) == nil)
        #expect(LogPages.parse(["0", "005.p", "256"]) == nil)
        #expect(LogPages.parse(["-1", "005"]) == nil)
    }
}
