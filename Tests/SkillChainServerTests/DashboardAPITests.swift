import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct DashboardAPITests {
    func chain(_ app: Application, lead: OrganizationRecord) async throws -> UUID {
        let c = ChainRecord()
        c.name = "\(lead.name)链"
        c.industry = "制造"
        c.regionCode = "441900"
        c.leadOrganizationID = lead.id!
        c.status = ChainStatus.approved.rawValue
        c.version = 1
        try await c.create(on: app.db)
        return c.id!
    }

    func stage(_ body: [String: Any], _ name: String) -> Int? {
        (body["funnel"] as? [[String: Any]])?.first { $0.string("stage") == name }?["count"] as? Int
    }

    @Test func a_chain_narrows_the_dashboard_to_its_lead_and_members() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)  // the enterprise certifies 考生一 and 考生二
            let gov = try await APIClient(app, "gov")
            let own = try await chain(app, lead: w.enterprise)
            let other = try await chain(app, lead: w.outsider)
            let (_, led) = try await gov.call(.GET, "/api/v1/dashboard?region=441900&chain=\(own)")
            #expect(stage(led, "evaluated") == 3 && stage(led, "certified") == 2)
            let (_, elsewhere) = try await gov.call(.GET, "/api/v1/dashboard?region=441900&chain=\(other)")
            #expect(stage(elsewhere, "evaluated") == 0 && stage(elsewhere, "certified") == 0)
            #expect((elsewhere["passRatesByBody"] as? [Any])?.isEmpty == true)
            // The enterprise joins the other chain as a member: its records count there too.
            let member = ChainMemberRecord()
            member.chainID = other
            member.organizationID = w.enterprise.id!
            member.contributions = ""
            member.postsCommitted = 0
            try await member.create(on: app.db)
            let (_, joined) = try await gov.call(.GET, "/api/v1/dashboard?region=441900&chain=\(other)&occupation=\(EvaluationWorld.occupation)")
            #expect(stage(joined, "certified") == 2)
        }
    }

    @Test func every_number_traces_back_to_records_and_only_the_region_sees_it() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)  // 3 evaluated, 考生一 and 考生二 certified (level 4)
            let hr = try await APIClient(app, "hr")
            let gov = try await APIClient(app, "gov")
            let learner = try await APIClient(app, "learner")
            let (_, position) = try await hr.call(
                .POST, "/api/v1/positions",
                [
                    "title": "视觉检测工", "occupationCode": EvaluationWorld.occupation, "requiredLevel": "level4", "headcount": 5, "regionCode": "441900",
                    "wageMin": 6000, "wageMax": 9000, "frontLine": true, "description": "",
                ])
            _ = try await learner.call(.POST, "/api/v1/talent-pool/consent", ["consent": true])
            let (_, before) = try await gov.call(.GET, "/api/v1/dashboard?region=441900")
            let funnel = Dictionary(
                uniqueKeysWithValues: (before["funnel"] as? [[String: Any]] ?? []).map { ($0.string("stage"), $0["count"] as? Int ?? -1) })
            #expect(funnel["evaluated"] == 3 && funnel["certified"] == 2 && funnel["placed"] == 0)
            let row = try #require((before["supplyDemand"] as? [[String: Any]])?.first { $0.string("occupationCode") == EvaluationWorld.occupation })
            #expect(row["openPosts"] as? Int == 5 && row["certified"] as? Int == 2 && row["available"] as? Int == 1 && row["gap"] as? Int == 4)
            let bodies = try #require(before["passRatesByBody"] as? [[String: Any]])
            #expect(bodies.count == 1 && bodies[0]["total"] as? Int == 3 && bodies[0]["passed"] as? Int == 2)

            // A placement moves one person from available to placed and fills one post.
            let (_, matches) = try await hr.call(.GET, "/api/v1/positions/\(position.string("id"))/matches")
            let candidate = ((matches["items"] as? [[String: Any]]) ?? [])[0].string("candidate")
            let (_, invitation) = try await hr.call(.POST, "/api/v1/positions/\(position.string("id"))/invitations", ["candidate": candidate])
            _ = try await learner.call(.POST, "/api/v1/invitations/\(invitation.string("id"))/answer", ["answer": "accept"])
            _ = try await hr.call(
                .POST, "/api/v1/placements", ["invitation": invitation.string("id"), "startDate": Day(Date()).description, "monthlyWage": 7000])
            let (_, after) = try await gov.call(.GET, "/api/v1/dashboard?region=441900&occupation=\(EvaluationWorld.occupation)")
            let row2 = try #require((after["supplyDemand"] as? [[String: Any]])?.first)
            #expect(row2["openPosts"] as? Int == 4 && row2["available"] as? Int == 0 && row2["gap"] as? Int == 4)
            #expect((after["funnel"] as? [[String: Any]])?.first { $0.string("stage") == "placed" }?["count"] as? Int == 1)
            // Pay cells under five people are not shown.
            #expect((after["payByLevel"] as? [Any])?.isEmpty == true)

            // Scope: an enterprise cannot open it; a region outside the bureau's is not found; a bad region is named.
            #expect(try await hr.call(.GET, "/api/v1/dashboard").0 == .forbidden)
            #expect(try await gov.call(.GET, "/api/v1/dashboard?region=440300").0 == .notFound)
            let bad = try await gov.call(.GET, "/api/v1/dashboard?region=999999")
            #expect(bad.0 == .unprocessableEntity && bad.1.errorFields == ["region"])

            // The page and the CSV carry the same numbers.
            let browser = Browser(app)
            try await browser.login("gov")
            let page = try await browser.get("/dashboard?region=441900")
            #expect(page.status == .ok && page.body.string.contains("<svg") && page.body.string.contains("结构性就业矛盾"))
            let csv = try await browser.get("/dashboard.csv?region=441900")
            #expect(csv.status == .ok && csv.body.string.contains("技能供需缺口") && csv.headers.contentType?.subType == "csv")
        }
    }
}
