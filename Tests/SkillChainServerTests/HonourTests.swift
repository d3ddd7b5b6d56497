import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct HonourTests {
    @Test func a_campaign_runs_from_nomination_to_a_signed_award() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)  // 考生一 and 考生二 certified at level 4; 考生三 failed
            let gov = try await APIClient(app, "gov")
            let hr = try await APIClient(app, "hr")
            let outsider = try await APIClient(app, "outsider")
            #expect(try await hr.call(.POST, "/api/v1/honours/campaigns", ["name": "x"]).0 == .forbidden)
            let incomplete = try await gov.call(
                .POST, "/api/v1/honours/campaigns", ["name": "x", "kind": "laborModel", "tier": "city", "minimumLevel": "level3"])
            #expect(incomplete.0 == .unprocessableEntity && Set(incomplete.1.errorFields) == ["year", "quota"])
            let (created, campaign) = try await gov.call(
                .POST, "/api/v1/honours/campaigns",
                [
                    "name": "东莞市技术能手", "kind": "technicalExpert", "tier": "city", "year": 2026, "quota": 1,
                    "minimumLevel": "level4", "frontLineRequired": true, "minimumYearsOfService": 3, "frontLineTilt": 0.2,
                ])
            #expect(created == .created)
            let cid = campaign.string("id")
            func nominate(_ client: APIClient, _ name: String, frontLine: Bool, years: Double) async throws -> (HTTPStatus, [String: Any]) {
                try await client.call(
                    .POST, "/api/v1/honours/nominations",
                    [
                        "campaign": cid, "person": w.people[name]!.id!.uuidString,
                        "frontLine": frontLine, "yearsOfService": years, "statement": "产线骨干",
                    ])
            }
            let (ok, first) = try await nominate(hr, "考生一", frontLine: true, years: 6)
            #expect(ok == .created && first["eligible"] as? Bool == true)
            #expect((first["contributions"] as? [[String: Any]])?.map { $0.string("factor") } == ["level", "service", "frontLineTilt"])
            #expect(first["ruleScore"] as? Double == 31.2)  // (20 + 6) × 1.2
            let (_, office) = try await nominate(hr, "考生二", frontLine: false, years: 8)
            #expect(office["eligible"] as? Bool == false && (office["shortfalls"] as? [String]) == ["honour.shortfall.frontLine"])
            let (_, failed) = try await nominate(hr, "考生三", frontLine: true, years: 8)
            #expect((failed["shortfalls"] as? [String]) == ["honour.shortfall.noCertificate"])
            #expect(try await nominate(hr, "考生一", frontLine: true, years: 6).0 == .conflict)
            let notYours = try await nominate(outsider, "考生一", frontLine: true, years: 6)
            #expect(notYours.0 == .unprocessableEntity && notYours.1.errorFields == ["person"])

            // Review: the bureau's panel scores; then the best eligible within the quota go on notice, then are awarded.
            #expect(try await gov.call(.POST, "/api/v1/honours/nominations/\(first.string("id"))/reviews", ["score": 90]).0 == .unprocessableEntity)
            #expect(try await gov.call(.POST, "/api/v1/honours/campaigns/\(cid)/transitions", ["event": "award"]).0 == .unprocessableEntity)
            _ = try await gov.call(.POST, "/api/v1/honours/campaigns/\(cid)/transitions", ["event": "review"])
            #expect(try await hr.call(.POST, "/api/v1/honours/nominations/\(first.string("id"))/reviews", ["score": 90]).0 == .forbidden)
            let (_, reviewed) = try await gov.call(.POST, "/api/v1/honours/nominations/\(first.string("id"))/reviews", ["score": 90])
            #expect(reviewed["finalScore"] as? Double == 60.6)
            _ = try await gov.call(.POST, "/api/v1/honours/campaigns/\(cid)/transitions", ["event": "notice"])

            // Public notice: the shortlisted nominee is listed without signing in; anyone may object; the award waits for
            // the end of the period and for every objection to be resolved.
            var notices: [String: Any] = [:]
            try await app.testing().test(.GET, "/api/v1/honours/notices") { res in
                notices = (try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any]) ?? [:]
            }
            let listed = ((notices["items"] as? [[String: Any]])?.first?["nominees"] as? [[String: Any]]) ?? []
            #expect(listed.map { $0.string("name") } == ["考生一"])
            let publicPage = try await Browser(app).get("/honours/notices?lang=en")
            #expect(publicPage.status == .ok && publicPage.body.string.contains("考生一") && publicPage.body.string.contains("Honours on public notice"))
            var objection = ""
            try await app.testing().test(
                .POST, "/api/v1/honours/nominations/\(first.string("id"))/objections",
                beforeRequest: { req in
                    try req.content.encode(["text": "该同志去年有安全事故记录。", "contact": "13900139000"])
                },
                afterResponse: { res in
                    #expect(res.status == .created)
                    objection = ((try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any]) ?? [:]).string("id")
                })
            try await app.testing().test(
                .POST, "/api/v1/honours/nominations/\(office.string("id"))/objections",
                beforeRequest: { req in
                    try req.content.encode(["text": "x", "contact": "y"])
                }, afterResponse: { res in #expect(res.status == .notFound) })  // not shortlisted
            #expect(
                try await gov.call(.POST, "/api/v1/honours/campaigns/\(cid)/transitions", ["event": "award"]).1.errorCodes == ["honour.noticeRunning"]
            )
            let campaignRow = try #require(try await HonourCampaignRecord.find(UUID(uuidString: cid)!, on: app.db))
            campaignRow.noticeFrom = Day(Date()).plusDays(-10).description
            campaignRow.noticeUntil = Day(Date()).plusDays(-1).description
            try await campaignRow.update(on: app.db)
            #expect(
                try await gov.call(.POST, "/api/v1/honours/campaigns/\(cid)/transitions", ["event": "award"]).1.errorCodes == [
                    "honour.objectionsOpen"
                ])
            let (_, objections) = try await gov.call(.GET, "/api/v1/honours/campaigns/\(cid)/objections")
            #expect(((objections["items"] as? [[String: Any]]) ?? []).map { $0.string("contact") } == ["13900139000"])
            #expect(try await hr.call(.GET, "/api/v1/honours/campaigns/\(cid)/objections").0 == .forbidden)
            #expect(
                try await gov.call(
                    .POST, "/api/v1/honours/objections/\(objection)/resolution", ["status": "dismissed", "resolution": "经核实，事故责任不在本人。"]
                ).0 == .ok)
            let (_, awarded) = try await gov.call(.POST, "/api/v1/honours/campaigns/\(cid)/transitions", ["event": "award"])
            #expect(awarded.string("status") == "awarded")
            let (_, list) = try await hr.call(.GET, "/api/v1/honours/nominations?campaign=\(cid)")
            let statuses = Dictionary(
                uniqueKeysWithValues: ((list["items"] as? [[String: Any]]) ?? []).map { ($0.string("name"), $0.string("status")) })
            #expect(statuses == ["考生一": "awarded", "考生二": "ineligible", "考生三": "ineligible"])
            #expect(((try await outsider.call(.GET, "/api/v1/honours/nominations?campaign=\(cid)").1["items"] as? [Any]) ?? []).isEmpty)

            // The award is an Open Badges credential signed by the bureau, verifiable over its DID document.
            var raw = ""
            try await app.testing().test(.GET, "/api/v1/honours/nominations/\(first.string("id"))/credential", headers: hr.headers) { res in
                #expect(res.status == .ok)
                raw = res.body.string
            }
            let credential = try JSONValue.parse(raw)
            #expect(credential["credentialSubject"]?["achievement"]?["achievementType"] == .string("Award"))
            let govOrg = try await OrganizationRecord.query(on: app.db).filter(\.$name == "东莞人社局").first()!
            var didDoc = JSONValue.null
            try await app.testing().test(.GET, "/orgs/\(govOrg.id!.uuidString.lowercased())/did.json") { res in
                didDoc = try JSONValue.parse(res.body.string)
            }
            let key = try #require(Multikey.decode(didDoc["verificationMethod"]!.array![0]["publicKeyMultibase"]!.string!))
            try EddsaJcs2022.verify(credential, key: key)
            #expect(!raw.contains(try app.personalData.open(w.people["考生一"]!.citizenIDSealed)))
        }
    }
}
