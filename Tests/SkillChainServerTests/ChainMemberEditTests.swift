import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// The lead takes a member off a draft chain or changes what it brings; once submitted the membership is locked.
@Suite struct ChainMemberEditTests {
    @Test func hr_removes_a_member_from_a_draft_chain_and_cannot_once_it_is_submitted() async throws {
        try await withTestApp { app in
            let lead = try await Fixture.org(app, flags: ["chainLeader"], name: "东莞精工")
            let partner = try await Fixture.org(app, name: "伙伴企业")
            let school = try await Fixture.org(app, kind: .technicalCollege, name: "东莞技师学院")
            let other = try await Fixture.org(app, name: "别家企业")
            try await Fixture.user(app, "hr", org: lead, role: .enterpriseAdmin)
            try await Fixture.user(app, "partner", org: partner, role: .enterpriseAdmin)
            try await Fixture.user(app, "outsider", org: other, role: .enterpriseAdmin)
            let hr = try await APIClient(app, "hr")
            let (_, chain) = try await hr.call(
                .POST, "/api/v1/chains", ["name": "测试生态链", "industry": "精密制造", "regionCode": "441900", "postsCommitted": 10])
            let id = chain.string("id").lowercased()
            for (org, c) in [(partner, ["posts"]), (school, ["students", "teachers"])] {
                #expect(
                    try await hr.call(
                        .POST, "/api/v1/chains/\(id)/members",
                        [
                            "organizationId": org.id!.uuidString, "contributions": c,
                            "postsCommitted": 5,
                        ]
                    ).0 == .created)
            }
            let partnerPath = "/api/v1/chains/\(id)/members/\(partner.id!.uuidString.lowercased())"
            // Change what the partner brings; bad input is refused and changes nothing.
            let (bad, badBody) = try await hr.call(.PATCH, partnerPath, ["contributions": ["gold"], "postsCommitted": -1])
            #expect(bad == .unprocessableEntity && Set(badBody.errorFields) == ["contributions", "postsCommitted"])
            let (ok, changed) = try await hr.call(.PATCH, partnerPath, ["contributions": ["posts", "masters"], "postsCommitted": 12])
            #expect(ok == .ok)
            let member = ((changed["members"] as? [[String: Any]]) ?? []).first { $0.string("organizationId") == partner.id!.uuidString }
            #expect(member?["postsCommitted"] as? Int == 12)
            // Only the lead; the lead itself stays.
            #expect(try await APIClient(app, "partner").call(.DELETE, partnerPath).0 == .forbidden)
            #expect(try await APIClient(app, "outsider").call(.DELETE, partnerPath).0 == .notFound)
            let (leadStays, leadBody) = try await hr.call(.DELETE, "/api/v1/chains/\(id)/members/\(lead.id!.uuidString.lowercased())")
            #expect(leadStays == .notFound || leadBody.errorCodes == ["chain.member.leadStays"])

            // The page: HR removes the school with the button in its row.
            let b = Browser(app)
            _ = try await b.login("hr")
            let page = try await b.get("/chains/\(id)").body.string
            let schoolRemoval = "/chains/\(id)/members/\(school.id!.uuidString.lowercased())/removal"
            #expect(page.contains(schoolRemoval))
            #expect(try await b.post(schoolRemoval, form: [:]).status == .seeOther)
            #expect(try await ChainMemberRecord.query(on: app.db).filter(\.$organizationID == school.id!).count() == 0)
            let actions = try await AuditEventRecord.query(on: app.db).filter(\.$objectID == id.lowercased()).all().map(\.action)
            #expect(actions.contains("chain.memberRemoved") && actions.contains("chain.memberChanged"))

            // Submitted: locked.
            #expect(try await hr.call(.POST, "/api/v1/chains/\(id)/submit").0 == .ok)
            let (locked, lockedBody) = try await hr.call(.DELETE, partnerPath)
            #expect(locked == .unprocessableEntity && lockedBody.errorCodes == ["chain.member.locked"])
            #expect(!(try await b.get("/chains/\(id)").body.string.contains("/removal")))
        }
    }
}
