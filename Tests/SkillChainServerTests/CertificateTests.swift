import Crypto
import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct CertificateTests {
    @Test func final_results_are_certified_in_one_transaction_with_numbers_proofs_and_jwts() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let batch = try await w.finalBatch(app)
            let certs = try await CertificateRecord.query(on: app.db).filter(\.$batchID == batch).sort(\.$number).all()
            #expect(certs.map(\.holderName) == ["考生一", "考生二"])
            let year = Day(Date()).plusDays(30).year % 100
            #expect(
                certs.map(\.number) == [
                    "Y00004419000\(1)\(String(format: "%02d", year))4000001", "Y00004419000\(1)\(String(format: "%02d", year))4000002",
                ])
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "certificate.issued").count() == 2)
            // The JWT is stored with its payload detached (the payload is the credential); served whole below.
            #expect(certs.allSatisfy { $0.jwt.contains("..") })

            // The credential: VC 2.0 context first, OB 3.0 type, hashed ID (never the number), results, two status entries.
            let hr = try await APIClient(app, "hr")
            let number = certs[0].number
            var raw = ""
            try await app.testing().test(.GET, "/api/v1/certificates/\(number)/credential", headers: hr.headers) { res in
                #expect(res.status == .ok)
                raw = res.body.string
            }
            let credential = try JSONValue.parse(raw)
            #expect(credential["@context"]?.array?.first == .string("https://www.w3.org/ns/credentials/v2"))
            #expect(credential["type"]?.array?.contains(.string("OpenBadgeCredential")) == true)
            let idNumber = try app.personalData.open(w.people["考生一"]!.citizenIDSealed)
            #expect(!raw.contains(idNumber))
            let identifier = credential["credentialSubject"]!["identifier"]!.array![0]
            #expect(identifier["identityHash"]?.string == CertificateCredential.identityHash(idNumber, salt: identifier["salt"]!.string!))
            #expect(credential["credentialStatus"]?.array?.count == 2)
            // Resolve the key over the DID document, as an outside verifier would.
            var didDoc = JSONValue.null
            let issuer = credential["issuer"]!["id"]!.string!
            #expect(issuer.hasPrefix("did:web:127.0.0.1%3A8080:orgs:"))
            try await app.testing().test(.GET, "/orgs/\(w.enterprise.id!.uuidString.lowercased())/did.json") { res in
                didDoc = try JSONValue.parse(res.body.string)
            }
            let method = didDoc["verificationMethod"]!.array![0]
            #expect(method["type"] == .string("Multikey") && didDoc["assertionMethod"]?.array?.first == method["id"])
            let key = try #require(Multikey.decode(method["publicKeyMultibase"]!.string!))
            try EddsaJcs2022.verify(credential, key: key)
            #expect(throws: EddsaJcs2022.Failure.badSignature) {
                try EddsaJcs2022.verify(
                    credential.setting("credentialSubject", credential["credentialSubject"]!.setting("name", .string("考生二"))), key: key)
            }
            var jwt = ""
            try await app.testing().test(.GET, "/api/v1/certificates/\(number)/credential.jwt", headers: hr.headers) { res in jwt = res.body.string }
            let payload = try VCJWT.verify(jwt, key: key)
            #expect(payload["jti"] == credential["id"] && payload["iss"] == .string(issuer))

            // Another enterprise sees none of it; the holder (learner) sees their own.
            #expect(try await APIClient(app, "outsider").call(.GET, "/api/v1/certificates/\(number)/credential").0 == .notFound)
            #expect(try await APIClient(app, "learner").call(.GET, "/api/v1/certificates/\(number)/credential").0 == .ok)
            #expect(try await APIClient(app, "learner").call(.GET, "/api/v1/certificates/\(certs[1].number)/credential").0 == .notFound)
        }
    }

    @Test func revocation_shows_in_the_status_list_and_in_verification_and_tampering_is_named() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let batch = try await w.finalBatch(app)
            let cert = try await CertificateRecord.query(on: app.db).filter(\.$batchID == batch).sort(\.$number).first()!
            let hr = try await APIClient(app, "hr")
            #expect(
                try await hr.call(.POST, "/api/v1/certificates/\(cert.number)/status", ["action": "revoke", "category": "fraud"]).1.errorCodes == [
                    "certificate.reason.required"
                ])
            let (ok, revoked) = try await hr.call(
                .POST, "/api/v1/certificates/\(cert.number)/status", ["action": "revoke", "category": "fraud", "reason": "材料造假"])
            #expect(ok == .ok && revoked.string("status") == "revoked")
            #expect(
                try await hr.call(.POST, "/api/v1/certificates/\(cert.number)/status", ["action": "reinstate"]).1.errorCodes == [
                    "certificate.status.notAllowed"
                ])
            // The public status list has exactly that bit set and is signed.
            var list = JSONValue.null
            try await app.testing().test(.GET, "/status/\(w.enterprise.id!.uuidString.lowercased())-revocation") { res in
                #expect(res.headers.first(name: .cacheControl) == "public, max-age=300")
                list = try JSONValue.parse(res.body.string)
            }
            let bits = try #require(BitstringStatusList(encodedList: list["credentialSubject"]!["encodedList"]!.string!))
            #expect(bits[cert.revocationIndex] && bits.bytes.reduce(0) { $0 + $1.nonzeroBitCount } == 1)
            let key = try #require(Multikey.decode(cert.keyID))
            try EddsaJcs2022.verify(list, key: key)
            // Verification by number and by the presented credential.
            let (_, byNumber) = try await APIClient(app, "outsider").call(.GET, "/api/v1/verify/\(cert.number)")
            #expect(byNumber.string("status") == "revoked")
            let presented = try JSONValue.parse(cert.credential)
            let (_, result) = try await hr.call(.POST, "/api/v1/verify", ["credential": try CertificateService.jwt(cert)])
            #expect(result.string("status") == "revoked" && result["verified"] as? Bool == false)
            let logged = (result["checks"] as? [[String: Any]])?.first { $0.string("name") == "logged" }
            #expect(logged?["ok"] as? Bool == true && logged?.string("detail").hasPrefix("已记入公开透明日志（第 ") == true)
            let tampered = presented.setting("validFrom", .string("2020-01-01T00:00:00Z"))
            let (_, t) = try await hr.call(.POST, "/api/v1/verify", ["credential": CanonicalJSON.string(tampered)])
            #expect(t.string("status") == "tampered")
            let checks = (t["checks"] as? [[String: Any]]) ?? []
            #expect(checks.first { $0.string("name") == "signature" }?["ok"] as? Bool == false)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/verify/Y000044190001999999999").body.string.contains("\"unknown\""))

            // Rotation: a new key signs from now on, the old one stays in the DID document so this certificate still verifies.
            _ = try await CertificateService(app).rotate(w.enterprise.id!, actor: nil)
            let doc = try await CertificateService(app).didDocument(w.enterprise.id!)
            #expect(doc["verificationMethod"]?.array?.count == 2)
            let (_, still) = try await hr.call(.POST, "/api/v1/verify", ["credential": try CertificateService.jwt(cert)])
            #expect((still["checks"] as? [[String: Any]])?.first { $0.string("name") == "signature" }?["ok"] as? Bool == true)
        }
    }

    @Test func the_verification_page_works_without_signing_in() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let batch = try await w.finalBatch(app)
            let cert = try await CertificateRecord.query(on: app.db).filter(\.$batchID == batch).first()!
            // The printed certificate's QR link shows the holder; the number alone does not (VerificationDefectTests).
            let page = try await app.testing().sendRequest(
                .GET, SiteURL.verifyNumber(cert.number, key: PublicVerificationService(app).linkSecret(cert.number)).path)
            #expect(page.status == .ok && page.body.string.contains("有效") && page.body.string.contains(cert.citizenIDMasked))
            let wrongName = try await app.testing().sendRequest(.GET, "/verify?number=\(cert.number)&name=%E5%88%AB%E4%BA%BA")
            #expect(
                wrongName.body.string.contains("姓名不符") && !wrongName.body.string.contains("未找到")
                    && !wrongName.body.string.contains(cert.citizenIDMasked))
        }
    }

    @Test func revoking_a_certificate_flags_the_subsidy_settled_on_it() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            // 考生一 completed an apprenticeship in this occupation; its subsidy was settled as "with an intermediate certificate".
            let program = try await w.program(app, year: 2025, status: .completed, subsidyPerYear: 5000)
            let e = EnrollmentRecord()
            e.programID = program.id!
            e.personID = w.people["考生一"]!.id!
            e.status = "completed"
            try await e.create(on: app.db)
            let claim = SubsidyClaimRecord()
            claim.enrollmentID = e.id!
            claim.programID = program.id!
            claim.organizationID = w.enterprise.id!
            claim.regionCode = "441900"
            claim.yearIndex = 1
            claim.status = "settled"
            claim.advanceRequested = 2500
            claim.advancePaid = 2500
            claim.outcome = "intermediateCertificate"
            try await claim.create(on: app.db)
            let batch = try await w.finalBatch(app)
            let cert = try await CertificateRecord.query(on: app.db).filter(\.$batchID == batch).filter(\.$holderName == "考生一").first()!
            let hr = try await APIClient(app, "hr")
            _ = try await hr.call(.POST, "/api/v1/certificates/\(cert.number)/status", ["action": "suspend", "category": "other", "reason": "核查中"])
            #expect(try await SubsidyClaimRecord.find(claim.id, on: app.db)?.revokedCertificate == nil)  // a suspension does not
            _ = try await hr.call(.POST, "/api/v1/certificates/\(cert.number)/status", ["action": "revoke", "category": "fraud", "reason": "材料造假"])
            #expect(try await SubsidyClaimRecord.find(claim.id, on: app.db)?.revokedCertificate == cert.number)
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "subsidy.certificateRevoked").count() == 1)
        }
    }

    @Test func existing_certificates_import_all_or_nothing_and_verify_like_issued_ones() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let ids = try ["考生一", "考生二", "外人"].map { try app.personalData.open(w.people[$0]!.citizenIDSealed) }
            let browser = Browser(app)
            try await browser.login("hr")
            #expect(try await browser.get("/certificates/import").status == .ok)
            // One bad row (a holder from another enterprise, a national number whose level differs): nothing is imported.
            let bad = """
                姓名,身份证号,职业编码,工种,等级,发证日期,证书编号
                考生一,\(ids[0]),\(EvaluationWorld.occupation),,四级,2019-06-30,0944190301400012
                外人,\(ids[2]),\(EvaluationWorld.occupation),,三级,2020-03-01,1231000012345
                考生二,\(ids[1]),\(EvaluationWorld.occupation),,三级,2021-05-08,Y000044190001214000031
                """
            let refused = try await browser.post("/certificates/import", form: ["text": bad])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("持证人不在本单位人员名册中") && refused.body.string.contains("编号中的等级与所填等级不一致"))
            #expect(try await CertificateRecord.query(on: app.db).count() == 0)

            let good = """
                姓名,身份证号,职业编码,工种,等级,发证日期,证书编号
                考生一,\(ids[0]),\(EvaluationWorld.occupation),,四级,2019-06-30,0944190301400012
                考生二,\(ids[1]),\(EvaluationWorld.occupation),精密检测,中级工,2021/05/08,Y000044190001214000031
                """
            let accepted = try await browser.post("/certificates/import", form: ["text": good])
            #expect(accepted.status == .ok && accepted.body.string.contains("已导入 2 张证书"))
            let certs = try await CertificateRecord.query(on: app.db).sort(\.$number).all()
            #expect(certs.map(\.number) == ["0944190301400012", "Y000044190001214000031"])
            #expect(certs.allSatisfy { $0.batchID == nil && $0.registrationID == nil && $0.status == "valid" })
            #expect(certs.map(\.issueDate) == ["2019-06-30", "2021-05-08"] && certs[1].workType == "精密检测")
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "certificate.imported").count() == 2)
            // The same file again: every number is already on the platform.
            let again = try await browser.post("/certificates/import", form: ["text": good])
            #expect(again.status == .unprocessableEntity && again.body.string.contains("该证书编号已在平台登记"))

            // An imported certificate verifies like an issued one: public lookup, proof over did:web, JWT.
            let verified = try await APIClient(app, "outsider").call(.GET, "/api/v1/verify/0944190301400012")
            #expect(verified.0 == .ok && verified.1.string("status") == "valid")
            let credential = try JSONValue.parse(certs[0].credential)
            #expect(credential["validFrom"] == .string("2019-06-30T00:00:00Z"))
            var didDoc = JSONValue.null
            try await app.testing().test(.GET, "/orgs/\(w.enterprise.id!.uuidString.lowercased())/did.json") { res in
                didDoc = try JSONValue.parse(res.body.string)
            }
            let key = try #require(Multikey.decode(didDoc["verificationMethod"]!.array![0]["publicKeyMultibase"]!.string!))
            try EddsaJcs2022.verify(credential, key: key)
            _ = try VCJWT.verify(try CertificateService.jwt(certs[0]), key: key)

            // Key rotation from the page: the old key stays published, old certificates still verify, new ones use the new key.
            #expect(
                try await browser.get("/certificates/keys").body.string.contains(
                    didDoc["verificationMethod"]!.array![0]["publicKeyMultibase"]!.string!))
            let rotated = try await browser.post("/certificates/keys/rotate", form: [:])
            #expect(rotated.status == .seeOther)
            try await app.testing().test(.GET, "/orgs/\(w.enterprise.id!.uuidString.lowercased())/did.json") { res in
                didDoc = try JSONValue.parse(res.body.string)
            }
            #expect(didDoc["verificationMethod"]?.array?.count == 2 && didDoc["assertionMethod"]?.array?.count == 2)
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "keys.rotated").count() == 1)
            let checks = try await APIClient(app, "outsider").call(
                .POST, "/api/v1/verify", ["credential": try JSONSerialization.jsonObject(with: Data(certs[0].credential.utf8))])
            #expect(checks.1["verified"] as? Bool == true)
            // Another enterprise's people cannot use the page.
            let outsider = Browser(app)
            try await outsider.login("outsider")
            let page = try await outsider.get("/certificates/keys")
            #expect(page.status == .ok && !page.body.string.contains(w.enterprise.id!.uuidString.lowercased()))
        }
    }
}
