import Crypto
import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Public verification as an outsider meets it: what a number alone reveals, the cache after a status change, and a
/// validly signed credential that names someone else's record.
@Suite struct VerificationDefectTests {
    func certificate(_ app: Application) async throws -> (EvaluationWorld, CertificateRecord) {
        let w = try await EvaluationWorld.make(app)
        let batch = try await w.finalBatch(app)
        return (w, try await CertificateRecord.query(on: app.db).filter(\.$batchID == batch).sort(\.$number).first()!)
    }

    func get(_ app: Application, _ path: String) async throws -> [String: Any] {
        let res = try await app.testing().sendRequest(.GET, path)
        #expect(res.status == .ok)
        return (try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any]) ?? [:]
    }

    @Test func a_number_alone_masks_the_name_and_a_name_or_the_printed_link_shows_it() async throws {
        try await withTestApp { app in
            let (_, cert) = try await certificate(app)
            let alone = try await get(app, "/api/v1/verify/\(cert.number)")
            let facts = alone["certificate"] as? [String: Any] ?? [:]
            #expect(alone.string("status") == "valid")
            #expect(facts.string("holderName") == "考*")
            #expect(facts.string("citizenIdMasked") == "", "no ID digits by number alone")
            #expect(facts.string("occupationCode") == cert.occupationCode && facts.string("level") == cert.level)

            let named = try await get(
                app, "/api/v1/verify/\(cert.number)?name=\("考生一".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect((named["certificate"] as? [String: Any])?.string("holderName") == "考生一")
            let wrong = try await get(
                app, "/api/v1/verify/\(cert.number)?name=\("考生二".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(wrong.string("status") == "unknown" && wrong["certificate"] == nil)

            // The printed certificate's QR link carries the secret; a made-up one shows the masked answer.
            let secret = PublicVerificationService(app).linkSecret(cert.number)
            let printed = try await get(app, "/api/v1/verify/\(cert.number)?k=\(secret)")
            #expect((printed["certificate"] as? [String: Any])?.string("holderName") == "考生一")
            let guessed = try await get(app, "/api/v1/verify/\(cert.number)?k=AAAAAAAAAAAAAAAAAAAAAA")
            #expect((guessed["certificate"] as? [String: Any])?.string("holderName") == "考*")

            // The page says the same, and the print page's QR link is the one with the secret.
            let page = try await app.testing().sendRequest(.GET, "/verify/\(cert.number)").body.string
            #expect(page.contains("考*") && !page.contains("考生一") && page.contains("name-masked"))
            let full = try await app.testing().sendRequest(.GET, "/verify/\(cert.number)?k=\(secret)").body.string
            #expect(full.contains("考生一"))
        }
    }

    @Test func misses_are_counted_per_address_and_slow_it_past_the_free_ones() async throws {
        try await withTestApp { app in
            let (_, cert) = try await certificate(app)
            app.verificationMisses = VerificationMisses()
            for n in 1...3 {
                _ = try await get(app, "/api/v1/verify/Y00004419000126400\(String(format: "%04d", 9000 + n))")
            }
            _ = try await get(app, "/api/v1/verify/\(cert.number)?name=%E7%8E%8B%E4%BA%94")
            _ = try await get(app, "/api/v1/verify/\(cert.number)")
            // Three unknown numbers and one wrong name; a correct lookup is not a miss.
            #expect(app.verificationMisses.count("unknown", now: app.now) == 4)
            let policy = PublicVerification.MissPolicy()
            #expect(policy.delayMilliseconds(misses: 4) == 0)
            #expect(policy.delayMilliseconds(misses: policy.free + 4) == 4 * policy.stepMilliseconds)
        }
    }

    @Test func the_cache_is_keyed_by_the_canonical_number_cleared_on_change_and_bounded() async throws {
        try await withTestApp { app in
            let (_, cert) = try await certificate(app)
            let n = cert.number
            let spaced = "\(n.prefix(5)) \(n.dropFirst(5).prefix(8))-\(n.dropFirst(13))".lowercased()
            #expect(
                try await get(app, "/api/v1/verify/\(spaced.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)").string("status")
                    == "valid")
            #expect(try await get(app, "/api/v1/verify/\(n)").string("status") == "valid")
            let hr = try await APIClient(app, "hr")
            #expect(
                try await hr.call(.POST, "/api/v1/certificates/\(n)/status", ["action": "suspend", "category": "other", "reason": "复核"]).0 == .ok)
            // Every spelling answers the new status at once.
            #expect(
                try await get(app, "/api/v1/verify/\(spaced.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)").string("status")
                    == "suspended")
            #expect(try await get(app, "/api/v1/verify/\(n.lowercased())").string("status") == "suspended")
            #expect(app.verificationCache.count == 1, "one entry however it was typed")

            let small = VerificationCache(capacity: 100)
            let sample = try #require(app.verificationCache.get(n, now: app.now))
            for i in 0..<1_000 { small.put("N\(i)", sample, now: app.now) }
            #expect(small.count <= 100)
            #expect(small.get("N999", now: app.now) != nil, "the newest entries stay")
        }
    }

    @Test func a_validly_signed_credential_naming_another_record_is_tampered_with_the_check_named() async throws {
        try await withTestApp { app in
            let (w, cert) = try await certificate(app)
            let original = try JSONValue.parse(cert.credential).removing("proof")
            func check(_ result: [String: Any], _ name: String) -> Bool? {
                ((result["checks"] as? [[String: Any]]) ?? []).first { $0.string("name") == name }?["ok"] as? Bool
            }
            func present(_ doc: JSONValue) async throws -> [String: Any] {
                var out: [String: Any] = [:]
                try await app.testing().test(
                    .POST, "/api/v1/verify",
                    beforeRequest: { req in
                        req.headers.contentType = .json
                        req.body = ByteBuffer(string: CanonicalJSON.string(.object(["credential": doc])))
                    }
                ) { res in out = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any]) ?? [:] }
                return out
            }
            let now = ISO8601DateFormatter().string(from: Date())

            // The issuer itself signs a credential for the same number but another person: the signature is good, the subject is not.
            let (key, privateKey) = try await app.write { db in try await CertificateService(app).activeKey(w.enterprise.id!, on: db) }
            let did = CertificateService(app).did(w.enterprise.id!)
            let otherSubject = original.setting("credentialSubject", original["credentialSubject"]!.setting("name", .string("冒名者")))
            let forged = try EddsaJcs2022.sign(otherSubject, verificationMethod: "\(did)#\(key.publicMultibase)", created: now, key: privateKey)
            let r1 = try await present(forged)
            #expect(r1.string("status") == "tampered")
            #expect(check(r1, "signature") == true && check(r1, "subject") == false)
            #expect(r1["certificate"] == nil)

            // Another body signs the same credential as its own: its key resolves, the record is not its.
            let other = w.outsider.id!
            let (otherKey, otherPrivate) = try await app.write { db in try await CertificateService(app).activeKey(other, on: db) }
            let otherDID = CertificateService(app).did(other)
            let claimed = original.setting("issuer", original["issuer"]!.setting("id", .string(otherDID)))
            let r2 = try await present(
                try EddsaJcs2022.sign(claimed, verificationMethod: "\(otherDID)#\(otherKey.publicMultibase)", created: now, key: otherPrivate))
            #expect(r2.string("status") == "tampered")
            #expect(check(r2, "issuerKey") == true && check(r2, "signature") == true && check(r2, "issuer") == false)

            // The genuine credential passes both new checks.
            let r3 = try await present(try JSONValue.parse(cert.credential))
            // (Not yet valid: the test batch was finalised 30 days ahead, so its validFrom lies in the future.)
            #expect(r3.string("status") == "expired" && r3["certificate"] != nil)
            #expect(check(r3, "issuer") == true && check(r3, "subject") == true)
        }
    }
}
