import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct AccountPageTests {
    @Test func an_enterprise_admin_adds_a_master_to_their_own_enterprise_only() async throws {
        try await withTestApp { app in
            let mine = try await Fixture.org(app, name: "甲企业")
            let other = try await Fixture.org(app, name: "乙企业")
            try await Fixture.user(app, "hr", org: mine, role: .enterpriseAdmin)
            let browser = Browser(app)
            _ = try await browser.login("hr")
            let page = try await browser.get("/accounts")
            #expect(page.body.string.contains("为本机构添加账号"))
            #expect(!page.body.string.contains("value=\"governmentOfficer\""), "only roles that fit an enterprise are offered")
            let added = try await browser.post(
                "/accounts",
                form: [
                    "username": "wang.master", "displayName": "王师傅", "password": "initial pass 1",
                    "role": "master", "organizationId": other.id!.uuidString,
                ])
            #expect(added.status == .seeOther)
            let m = try #require(try await MembershipRecord.query(on: app.db).filter(\.$role == "master").first())
            #expect(m.organizationID == mine.id, "the organization field is ignored for organization admins")
            #expect(try await Browser(app).login("wang.master", password: "initial pass 1").status == .seeOther)
            let list = try await browser.get("/accounts")
            #expect(list.body.string.contains("王师傅"))
            let bad = try await browser.post("/accounts", form: ["username": "X", "password": "short", "role": "governmentOfficer"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("用户名为 2–40 位小写字母"))
            #expect(bad.body.string.contains("密码至少 8 个字符"), "every field error at once")
            let forbidden = try await browser.post(
                "/accounts", form: ["username": "gov2", "password": "long enough pass", "role": "governmentOfficer"])
            #expect(forbidden.status == .forbidden)
            #expect(try await MembershipRecord.query(on: app.db).count() == 2)
        }
    }

    @Test func other_roles_see_only_their_own_memberships() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "hr", org: org, role: .enterpriseAdmin)
            try await Fixture.user(app, "master1", org: org, role: .master)
            let browser = Browser(app)
            _ = try await browser.login("master1")
            let page = try await browser.get("/accounts")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("master1"))
            #expect(!page.body.string.contains("<code>hr</code>"))
            #expect(!page.body.string.contains("为本机构添加账号"))
            #expect(
                try await browser.post("/accounts", form: ["username": "x2", "password": "long enough pass", "role": "master"]).status == .forbidden)
        }
    }

    @Test func a_role_with_many_pages_finds_them_in_menus_by_stage_and_an_assessor_in_one_line() async throws {
        try await withTestApp { app in
            _ = try await EvaluationWorld.make(app)
            let gov = Browser(app)
            try await gov.login("gov")
            let page = try await gov.get("/dashboard").body.string
            let nav = String(page[page.range(of: "<nav class=\"main\"")!.lowerBound..<page.range(of: "</nav>")!.upperBound])
            // The officer's pages: grouped under the loop's stages, the current one marked, every page still one click away.
            #expect(nav.contains("<summary>评价</summary>") && nav.contains("<summary>激励</summary>"))
            #expect(nav.contains("<a href=\"/dashboard\" aria-current=\"page\">全景看板</a>") && nav.contains("href=\"/honours\""))
            let registry = try await gov.get("/registry").body.string
            #expect(registry.contains("<summary class=\"active\">激励</summary>"))
            // An assessor has few pages: one line, no menus.
            let assessor = Browser(app)
            try await assessor.login("a1")
            let own = try await assessor.get("/").body.string
            #expect(!own.contains("nav-group") && own.contains("href=\"/evaluation-plans\""))
        }
    }
}
