import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// After the bureau approved a chain, its membership changes only through a request the bureau decides.
@Suite struct ChainChangeTests {
    @Test func the_lead_requests_a_membership_change_and_the_bureau_approves_or_returns_it() async throws {
        try await withTestApp { app in
            let lead = try await Fixture.org(app, flags: ["chainLeader"], name: "东莞精工")
            let partner = try await Fixture.org(app, name: "伙伴企业")
            let newcomer = try await Fixture.org(app, name: "新伙伴")
            let gov = try await Fixture.org(app, kind: .governmentDepartment, name: "东莞人社局")
            try await Fixture.user(app, "hr", org: lead, role: .enterpriseAdmin)
            try await Fixture.user(app, "partner", org: partner, role: .enterpriseAdmin)
            try await Fixture.user(app, "gov", org: gov, role: .governmentOfficer)
            let hr = try await APIClient(app, "hr")
            let (_, chain) = try await hr.call(
                .POST, "/api/v1/chains", ["name": "测试生态链", "industry": "精密制造", "regionCode": "441900", "postsCommitted": 10])
            let id = chain.string("id").lowercased()
            _ = try await hr.call(
                .POST, "/api/v1/chains/\(id)/members", ["organizationId": partner.id!.uuidString, "contributions": ["posts"], "postsCommitted": 5])
            // A draft needs no request.
            let (early, earlyBody) = try await hr.call(
                .POST, "/api/v1/chains/\(id)/change-requests",
                ["kind": "add", "organizationId": newcomer.id!.uuidString, "contributions": ["posts"], "reason": "x"])
            #expect(early == .unprocessableEntity && earlyBody.errorCodes == ["chainChange.onlyApproved"])
            #expect(try await hr.call(.POST, "/api/v1/chains/\(id)/submit").0 == .ok)
            let gb = try await APIClient(app, "gov")
            #expect(try await gb.call(.POST, "/api/v1/chains/\(id)/decision", ["decision": "approve"]).0 == .ok)

            // Approved: the member row is locked; a request instead, one at a time per organization.
            #expect(
                try await hr.call(.DELETE, "/api/v1/chains/\(id)/members/\(partner.id!.uuidString.lowercased())").1.errorCodes == [
                    "chain.member.locked"
                ])
            let (noReason, nr) = try await hr.call(
                .POST, "/api/v1/chains/\(id)/change-requests",
                ["kind": "add", "organizationId": newcomer.id!.uuidString, "contributions": ["posts"]])
            #expect(noReason == .unprocessableEntity && nr.errorFields == ["reason"])
            let (asked, request) = try await hr.call(
                .POST, "/api/v1/chains/\(id)/change-requests",
                [
                    "kind": "add", "organizationId": newcomer.id!.uuidString, "contributions": ["posts", "masters"],
                    "postsCommitted": 20, "reason": "新增配套企业",
                ])
            #expect(asked == .created && request.string("status") == "pending")
            #expect(
                try await hr.call(
                    .POST, "/api/v1/chains/\(id)/change-requests",
                    ["kind": "add", "organizationId": newcomer.id!.uuidString, "contributions": ["posts"], "reason": "再来"]
                ).1.errorCodes
                    == ["chainChange.pending"])
            #expect(
                try await APIClient(app, "partner").call(
                    .POST, "/api/v1/chains/\(id)/change-requests",
                    ["kind": "remove", "organizationId": lead.id!.uuidString, "reason": "x"]
                ).0 == .forbidden)
            let rid = request.string("id").lowercased()
            #expect(try await hr.call(.POST, "/api/v1/chain-change-requests/\(rid)/decision", ["decision": "approve"]).0 == .forbidden)

            // The bureau approves on the chain page: the newcomer is a member.
            let b = Browser(app)
            _ = try await b.login("gov")
            let page = try await b.get("/chains/\(id)").body.string
            #expect(page.contains("成员变更申请") && page.contains("新伙伴") && page.contains("新增配套企业"))
            // The bureau's home lists the request, linked to it on the chain's page.
            #expect(try await b.get("/").body.string.contains("href=\"/chains/\(id.lowercased())#change-requests\""))
            #expect(try await b.post("/chain-change-requests/\(rid)/decision", form: ["decision": "approve"]).status == .seeOther)
            #expect(
                try await ChainMemberRecord.query(on: app.db).filter(\.$chainID == UUID(uuidString: id)!).filter(\.$organizationID == newcomer.id!)
                    .first()?.postsCommitted == 20)

            // A removal returned without a reason is refused; with one, the member stays.
            let (_, removal) = try await hr.call(
                .POST, "/api/v1/chains/\(id)/change-requests",
                ["kind": "remove", "organizationId": partner.id!.uuidString, "reason": "合作结束"])
            let path = "/api/v1/chain-change-requests/\(removal.string("id").lowercased())/decision"
            #expect(try await gb.call(.POST, path, ["decision": "return"]).1.errorFields == ["reason"])
            let (returned, r) = try await gb.call(.POST, path, ["decision": "return", "reason": "请补充合作终止协议"])
            #expect(returned == .ok && r.string("status") == "returned")
            #expect(try await ChainMemberRecord.query(on: app.db).filter(\.$organizationID == partner.id!).count() == 1)
            let history = try await b.get("/chains/\(id)").body.string
            #expect(history.contains("修改记录") && history.contains("同意成员变更") && history.contains("退回成员变更"))
            let actions = try await AuditEventRecord.query(on: app.db).filter(\.$objectID == id).all().map(\.action)
            #expect(
                actions.filter { $0 == "chain.changeRequested" }.count == 2 && actions.contains("chain.changeApproved")
                    && actions.contains("chain.changeReturned"))
        }
    }
}

@Suite struct DraftDeletionTests {
    @Test func a_draft_never_submitted_is_deleted_and_anything_referenced_is_not() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let (_, chain) = try await hr.call(
                .POST, "/api/v1/chains", ["name": "误建的链", "industry": "x", "regionCode": "441900", "postsCommitted": 1])
            let id = chain.string("id").lowercased()
            #expect(try await APIClient(app, "outsider").call(.DELETE, "/api/v1/chains/\(id)").0 == .notFound)
            let b = Browser(app)
            _ = try await b.login("hr")
            #expect(try await b.get("/chains/\(id)").body.string.contains("delete-draft"))
            #expect(try await b.post("/chains/\(id)/deletion", form: [:]).status == .seeOther)
            #expect(try await ChainRecord.find(UUID(uuidString: id)!, on: app.db) == nil)
            // A submitted one stays (it is on the bureau's record).
            let (_, kept) = try await hr.call(
                .POST, "/api/v1/chains", ["name": "已提交的链", "industry": "x", "regionCode": "441900", "postsCommitted": 1])
            _ = try await hr.call(.POST, "/api/v1/chains/\(kept.string("id"))/submit")
            #expect(try await hr.call(.DELETE, "/api/v1/chains/\(kept.string("id"))").1.errorCodes == ["draft.notDeletable"])

            // A position: deleted while nothing refers to it; linked to a programme, refused.
            let body: [String: Any] = [
                "title": "临时岗位", "occupationCode": "6-18-02-04", "requiredLevel": "level4", "headcount": 1, "regionCode": "441900",
                "wageMin": 1, "wageMax": 2,
            ]
            let (_, loose) = try await hr.call(.POST, "/api/v1/positions", body)
            #expect(try await hr.call(.DELETE, "/api/v1/positions/\(loose.string("id"))").0 == .noContent)
            let (_, linked) = try await hr.call(.POST, "/api/v1/positions", body)
            _ = try await hr.call(.POST, "/api/v1/programs", w.programBody(positions: [linked.string("id")]))
            #expect(try await hr.call(.DELETE, "/api/v1/positions/\(linked.string("id"))").1.errorCodes == ["draft.referenced"])
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action ~~ ["chain.deleted", "position.deleted"]).count() == 2)
        }
    }
}
