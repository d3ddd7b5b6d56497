import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// The offline verifier's server side: the trust list is signed by the log key and names every key a body has held,
/// so a certificate printed before a key rotation still checks, and the page pins the log key and its worker.
@Suite struct OfflineVerifyTests {
    @Test func a_record_printed_before_a_key_rotation_still_checks_against_the_new_trust_list() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let batch = try await w.finalBatch(app)
            let number = try #require(try await CertificateStore(app.db).ofBatch(batch).first?.number)
            let certificate = try #require(try await CertificateRecord.query(on: app.db).filter(\.$number == number).first())
            let before = try await CertificateService(app).compactRecord(certificate)
            _ = try await CertificateService(app).rotate(w.enterprise.id!, actor: nil)
            let after = try await CertificateService(app).compactRecord(certificate)
            #expect(before != after)

            let res = try await app.testing().sendRequest(.GET, SiteURL.trustList.path)
            #expect(res.status == .ok && res.headers.first(name: .cacheControl) == "no-cache")
            let list = try TrustList.open(res.body.string, verifierKey: try await TransparencyLog.verifierKey(app))
            let body = try #require(list.bodies.first { $0.did == CertificateService(app).did(w.enterprise.id!) })
            #expect(body.name == w.enterprise.name && body.keys.count == 2 && body.keys.filter { $0.retired == nil }.count == 1)

            let old = try CompactCertificate.verify(before, trust: list)
            #expect(old.claims.number == certificate.number && old.claims.holder == certificate.holderName && old.key.retired != nil)
            #expect(try CompactCertificate.verify(after, trust: list).key.retired == nil)
            // A list edited on the way (a stranger's key added) no longer opens under the log key.
            let edited = res.body.string.replacingOccurrences(of: w.enterprise.name, with: "冒名机构")
            let pinned = try await TransparencyLog.verifierKey(app)
            #expect(throws: TrustList.Problem.unsigned) { try TrustList.open(edited, verifierKey: pinned) }
        }
    }

    @Test func the_offline_page_pins_the_log_key_and_registers_its_worker_in_the_chosen_language() async throws {
        try await withTestApp { app in
            let key = try await TransparencyLog.verifierKey(app)
            let zh = try await app.testing().sendRequest(.GET, SiteURL.verifyOffline.path)
            #expect(zh.status == .ok && zh.body.string.contains("data-log-key=\"\(key)\"") && zh.body.string.contains("离线核验证书"))
            #expect(zh.body.string.contains("data-worker=\"\(SiteURL.offlineWorker.path)\""))
            let en = try await app.testing().sendRequest(.GET, SiteURL.verifyOffline.path + "?lang=en")
            #expect(en.body.string.contains("Check a certificate offline") && en.body.string.contains("Valid signature"))
            let worker = try await app.testing().sendRequest(.GET, SiteURL.offlineWorker.path)
            #expect(worker.status == .ok && worker.headers.contentType?.subType == "javascript")
            #expect(worker.body.string.contains("caches.open"))
        }
    }
}
