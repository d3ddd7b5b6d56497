import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct TalentTests {
    @Test func a_certified_person_who_consents_is_matched_with_reasons_invited_and_placed() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)
            let hr = try await APIClient(app, "hr")
            let learner = try await APIClient(app, "learner")
            let outsider = try await APIClient(app, "outsider")
            let (created, position) = try await hr.call(
                .POST, "/api/v1/positions",
                [
                    "title": "视觉检测工", "occupationCode": EvaluationWorld.occupation, "requiredLevel": "level4", "headcount": 1, "regionCode": "441900",
                    "wageMin": 6000, "wageMax": 9000, "frontLine": true, "description": "产线视觉检测",
                ])
            #expect(created == .created)
            let pid = position.string("id")

            // Nobody has consented yet: the pool is empty, and a certificate alone does not put anyone in it.
            let (_, empty) = try await hr.call(.GET, "/api/v1/positions/\(pid)/matches")
            #expect((empty["items"] as? [Any])?.isEmpty == true && empty["poolSize"] as? Int == 0)
            #expect(try await learner.call(.POST, "/api/v1/talent-pool/consent", [:]).0 == .unprocessableEntity)
            #expect(try await learner.call(.POST, "/api/v1/talent-pool/consent", ["consent": true]).0 == .ok)
            #expect(try await hr.call(.POST, "/api/v1/talent-pool/consent", ["consent": true]).0 == .forbidden)

            let (_, found) = try await hr.call(.GET, "/api/v1/positions/\(pid)/matches")
            let items = try #require(found["items"] as? [[String: Any]])
            #expect(items.count == 1 && items[0].string("name") == "考生一" && items[0]["verified"] as? Bool == true)
            let factors = (items[0]["factors"] as? [[String: Any]] ?? []).map { $0.string("factor") }
            #expect(factors == ["occupationExact", "levelMeets", "regionSame"])
            #expect(items[0]["score"] as? Double == 75)
            #expect(!String(describing: found).contains(try app.personalData.open(w.people["考生一"]!.citizenIDSealed)))
            // Another enterprise cannot rank this enterprise's position.
            #expect(try await outsider.call(.GET, "/api/v1/positions/\(pid)/matches").0 == .notFound)

            // Invite, answer, place.
            let candidate = items[0].string("candidate")
            let (invited, invitation) = try await hr.call(.POST, "/api/v1/positions/\(pid)/invitations", ["candidate": candidate, "message": "欢迎面试"])
            #expect(invited == .created && invitation.string("status") == "invited")
            #expect(try await hr.call(.POST, "/api/v1/positions/\(pid)/invitations", ["candidate": candidate]).0 == .conflict)
            #expect(
                try await hr.call(
                    .POST, "/api/v1/placements", ["invitation": invitation.string("id"), "startDate": "2026-12-01", "monthlyWage": 7000]
                ).0
                    == .unprocessableEntity)
            let (_, mine) = try await learner.call(.GET, "/api/v1/invitations")
            #expect((mine["items"] as? [[String: Any]])?.map { $0.string("positionTitle") } == ["视觉检测工"])
            #expect(try await outsider.call(.POST, "/api/v1/invitations/\(invitation.string("id"))/answer", ["answer": "accept"]).0 == .forbidden)
            #expect(
                try await learner.call(.POST, "/api/v1/invitations/\(invitation.string("id"))/answer", ["answer": "maybe"]).0 == .unprocessableEntity)
            #expect(
                try await learner.call(.POST, "/api/v1/invitations/\(invitation.string("id"))/answer", ["answer": "accept"]).1.string("status")
                    == "accepted")
            let badWage = try await hr.call(
                .POST, "/api/v1/placements", ["invitation": invitation.string("id"), "startDate": "2026-12-01", "monthlyWage": 10])
            #expect(badWage.0 == .unprocessableEntity && badWage.1.errorFields == ["monthlyWage"])
            let (placedStatus, placement) = try await hr.call(
                .POST, "/api/v1/placements", ["invitation": invitation.string("id"), "startDate": "2026-12-01", "monthlyWage": 7000])
            #expect(placedStatus == .created && placement.string("name") == "考生一" && placement["monthlyWage"] as? Int == 7000)
            #expect(
                try await AuditEventRecord.query(on: app.db).filter(
                    \.$action ~~ ["talent.consented", "invitation.created", "invitation.accepted", "placement.recorded"]
                ).count() == 4)
            for (client, expected) in [(hr, 1), (learner, 1), (outsider, 0)] {
                #expect((try await client.call(.GET, "/api/v1/placements").1["items"] as? [Any])?.count == expected)
            }
            #expect(try await APIClient(app, "gov").call(.GET, "/api/v1/placements").1["items"].map { ($0 as? [Any])?.count } == 1)

            // The match page shows the reasons and the invitation's state.
            let browser = Browser(app)
            try await browser.login("hr")
            let page = try await browser.get("/positions/\(pid)/matches")
            #expect(page.status == .ok && page.body.string.contains("持有本职业证书") && page.body.string.contains("已入职"))

            // Withdrawn consent: no longer found.
            #expect(try await learner.call(.POST, "/api/v1/talent-pool/consent", ["consent": false]).1["consented"] as? Bool == false)
            #expect((try await hr.call(.GET, "/api/v1/positions/\(pid)/matches").1["items"] as? [Any])?.isEmpty == true)
        }
    }
}
