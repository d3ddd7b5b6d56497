import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct ChainTests {
    struct World {
        let lead: OrganizationRecord
        let partner: OrganizationRecord
        let school: OrganizationRecord
        let outsider: OrganizationRecord
        let gov: OrganizationRecord
        let farGov: OrganizationRecord
    }

    func world(_ app: Application) async throws -> World {
        let w = World(
            lead: try await Fixture.org(app, flags: ["chainLeader"]),
            partner: try await Fixture.org(app),
            school: try await Fixture.org(app, kind: .technicalCollege),
            outsider: try await Fixture.org(app),
            gov: try await Fixture.org(app, kind: .governmentDepartment, region: "441900"),
            farGov: try await Fixture.org(app, kind: .governmentDepartment, region: "110000"))
        try await Fixture.user(app, "hr", org: w.lead, role: .enterpriseAdmin)
        try await Fixture.user(app, "partnerhr", org: w.partner, role: .enterpriseAdmin)
        try await Fixture.user(app, "outsider", org: w.outsider, role: .enterpriseAdmin)
        try await Fixture.user(app, "school", org: w.school, role: .schoolAdmin)
        try await Fixture.user(app, "gov", org: w.gov, role: .governmentOfficer)
        try await Fixture.user(app, "fargov", org: w.farGov, role: .governmentOfficer)
        return w
    }

    func bearer(_ app: Application, _ user: String) async throws -> HTTPHeaders {
        ["Authorization": "Bearer \(try await Fixture.token(app, user))"]
    }

    @Test func a_chain_goes_from_draft_to_approved_through_the_api() async throws {
        try await withTestApp { app in
            let w = try await world(app)
            let hr = try await bearer(app, "hr")
            var chainID = UUID()
            try await app.testing().test(
                .POST, "/api/v1/chains", headers: hr,
                beforeRequest: {
                    try $0.content.encode(ChainInput(name: "测试链", industry: "智能传感", regionCode: "441900", postsCommitted: 200))
                }
            ) { res in
                #expect(res.status == .created)
                let c = try res.content.decode(ChainResponse.self)
                chainID = c.id
                #expect(c.status == "draft")
                #expect(c.members.count == 1)
                #expect(c.checks.first { $0.key == "chain.check.posts" }?.actual == 200)
            }
            for (org, contributions, posts) in [(w.partner, ["posts", "masters"], 150), (w.school, ["students", "teachers"], 0)] {
                try await app.testing().test(
                    .POST, "/api/v1/chains/\(chainID)/members", headers: hr,
                    beforeRequest: {
                        try $0.content.encode(ChainMemberInput(organizationId: org.id, contributions: contributions, postsCommitted: posts))
                    }
                ) { res in #expect(res.status == .created) }
            }
            try await app.testing().test(
                .POST, "/api/v1/chains/\(chainID)/members", headers: hr,
                beforeRequest: {
                    try $0.content.encode(ChainMemberInput(organizationId: w.partner.id, contributions: ["posts"], postsCommitted: 1))
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("chain.member.already"))
            }
            // a member can see the chain, an outsider cannot even learn it exists
            try await app.testing().test(.GET, "/api/v1/chains/\(chainID)", headers: try await bearer(app, "school")) { res in
                #expect(res.status == .ok)
            }
            try await app.testing().test(.GET, "/api/v1/chains/\(chainID)", headers: try await bearer(app, "outsider")) { res in
                #expect(res.status == .notFound)
            }
            // only the lead edits
            try await app.testing().test(.POST, "/api/v1/chains/\(chainID)/submit", headers: try await bearer(app, "partnerhr")) { res in
                #expect(res.status == .forbidden)
            }
            try await app.testing().test(.POST, "/api/v1/chains/\(chainID)/submit", headers: hr) { res in
                #expect(res.status == .ok)
                let c = try res.content.decode(ChainResponse.self)
                #expect(c.status == "submitted")
                let posts = c.checks.first { $0.key == "chain.check.posts" }
                #expect(posts == ChainCheck(key: "chain.check.posts", required: 300, actual: 350, passed: true))
                #expect(c.checks.first { $0.key == "chain.check.memberEnterprises" }?.passed == false)
            }
            // a submitted chain is frozen
            try await app.testing().test(
                .POST, "/api/v1/chains/\(chainID)/members", headers: hr,
                beforeRequest: {
                    try $0.content.encode(ChainMemberInput(organizationId: w.outsider.id, contributions: ["posts"], postsCommitted: 1))
                }
            ) { res in #expect(res.status == .unprocessableEntity) }
            // government of another region: 404; of this region: decides
            try await app.testing().test(
                .POST, "/api/v1/chains/\(chainID)/decision", headers: try await bearer(app, "fargov"),
                beforeRequest: {
                    try $0.content.encode(ChainDecisionInput(decision: "approve"))
                }
            ) { res in #expect(res.status == .notFound) }
            let gov = try await bearer(app, "gov")
            try await app.testing().test(
                .POST, "/api/v1/chains/\(chainID)/decision", headers: gov,
                beforeRequest: {
                    try $0.content.encode(ChainDecisionInput(decision: "return"))
                }
            ) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("chain.returnReason.required"))
            }
            try await app.testing().test(
                .POST, "/api/v1/chains/\(chainID)/decision", headers: gov,
                beforeRequest: {
                    try $0.content.encode(ChainDecisionInput(decision: "return", reason: "成员企业不足 5 家"))
                }
            ) { res in
                let c = try res.content.decode(ChainResponse.self)
                #expect(c.status == "returned")
                #expect(c.returnReason == "成员企业不足 5 家")
            }
            try await app.testing().test(.POST, "/api/v1/chains/\(chainID)/submit", headers: hr) { res in #expect(res.status == .ok) }
            try await app.testing().test(
                .POST, "/api/v1/chains/\(chainID)/decision", headers: gov,
                beforeRequest: {
                    try $0.content.encode(ChainDecisionInput(decision: "approve"))
                }
            ) { res in
                let c = try res.content.decode(ChainResponse.self)
                #expect(c.status == "approved")
                #expect(c.returnReason == nil)
            }
            try await app.testing().test(
                .POST, "/api/v1/chains/\(chainID)/decision", headers: gov,
                beforeRequest: {
                    try $0.content.encode(ChainDecisionInput(decision: "approve"))
                }
            ) { res in #expect(res.status == .unprocessableEntity, "approved once only") }
            let actions = try await AuditEventRecord.query(on: app.db).filter(\.$objectType == "chain").sort(\.$sequence).all().map(\.action)
            #expect(
                actions == [
                    "chain.created", "chain.memberAdded", "chain.memberAdded", "chain.submitted", "chain.returned", "chain.submitted",
                    "chain.approved",
                ])
        }
    }

    @Test func schools_cannot_lead_chains() async throws {
        try await withTestApp { app in
            _ = try await world(app)
            try await app.testing().test(
                .POST, "/api/v1/chains", headers: try await bearer(app, "school"),
                beforeRequest: {
                    try $0.content.encode(ChainInput(name: "学校链", industry: "x", regionCode: "441900"))
                }
            ) { res in #expect(res.status == .forbidden) }
            #expect(try await ChainRecord.query(on: app.db).count() == 0)
        }
    }

    @Test func chain_page_draws_members_and_checks_and_the_government_decides_there() async throws {
        try await withTestApp { app in
            let w = try await world(app)
            let hrActor = try #require(try await DemoData.actor(app, username: "hr"))
            let chain = try await ChainService(app).create(
                .init(name: "页面链", industry: "视觉", regionCode: "441900", postsCommitted: 120), actor: hrActor)
            try await ChainService(app).addMember(
                chain.id!, .init(organizationId: w.school.id, contributions: ["students", "teachers"], postsCommitted: 0),
                actor: hrActor)
            let hr = Browser(app)
            _ = try await hr.login("hr")
            let page = try await hr.get("/chains/\(chain.id!)")
            let html = page.body.string
            #expect(page.status == .ok)
            #expect(html.contains("<svg"))
            #expect(html.contains("<title id=\"chain-svg-title\">页面链 成员分工图</title>"))
            #expect(html.contains("出学生、出教师"))
            #expect(html.contains("现有 120，要求 300"))
            #expect(html.contains("提交审批"))
            let bad = try await hr.post("/chains/\(chain.id!)/members", form: ["organizationId": w.partner.id!.uuidString, "postsCommitted": "abc"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("请至少选择一项提供内容"))
            #expect(bad.body.string.contains("应在 0 到 1000000 之间"))
            #expect(try await hr.post("/chains/\(chain.id!)/submit", form: [:]).status == .seeOther)
            let gov = Browser(app)
            _ = try await gov.login("gov")
            let govPage = try await gov.get("/chains/\(chain.id!)?lang=en")
            #expect(govPage.body.string.contains("Return for changes"))
            // Thresholds not met: the warning names them beside the buttons, and returning is the primary action.
            #expect(govPage.body.string.contains("These thresholds are not met") && govPage.body.string.contains("Approve anyway"))
            let zhPage = try await gov.get("/chains/\(chain.id!)?lang=zh-Hans").body.string
            #expect(zhPage.contains("以下门槛未达到") && zhPage.contains("（120，应至少 300）"))
            #expect(zhPage.contains(#"<button type="submit" name="decision" value="return" class="primary">"#))
            #expect(!zhPage.contains(#"value="approve" class="primary""#))
            _ = try await gov.get("/chains/\(chain.id!)?lang=en")
            let returned = try await gov.post("/chains/\(chain.id!)/decision", form: ["decision": "return", "reason": ""])
            #expect(returned.status == .unprocessableEntity)
            #expect(returned.body.string.contains("Give a reason when returning a chain."))
            #expect(try await gov.post("/chains/\(chain.id!)/decision", form: ["decision": "approve"]).status == .seeOther)
            #expect(try await ChainRecord.find(chain.id, on: app.db)?.status == "approved")
            #expect(try await gov.get("/chains/\(chain.id!)").body.string.contains("Chain approved: its members can now open programmes"))
            let farGov = Browser(app)
            _ = try await farGov.login("fargov")
            #expect(try await farGov.get("/chains/\(chain.id!)").status == .notFound)
            #expect(!(try await farGov.get("/chains").body.string.contains("页面链")))
        }
    }
}

@Suite struct ChainDiagramTests {
    @Test func escapes_names_and_draws_one_box_per_member() {
        let svg = ChainDiagram.svg(
            title: "A & B", description: "d",
            nodes: [
                .init(name: "<script>链主</script>", kind: "enterprise", provides: "出岗位", isLead: true),
                .init(name: "学校", kind: "technicalCollege", provides: "出学生", isLead: false),
                .init(name: "政府", kind: "governmentDepartment", provides: "出政策", isLead: false),
            ])
        #expect(svg.hasPrefix("<svg"))
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;"))
        #expect(svg.contains("<title id=\"chain-svg-title\">A &amp; B</title>"))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 3)
        #expect(svg.components(separatedBy: "<line").count - 1 == 2)
    }
}
