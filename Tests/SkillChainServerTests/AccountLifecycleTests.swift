import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Accounts after creation, as an HR admin, a master and an officer meet them.
@Suite struct AccountLifecycleTests {
    struct World {
        let enterprise: OrganizationRecord
        let other: OrganizationRecord
        let master: MembershipRecord
    }

    func world(_ app: Application) async throws -> World {
        let enterprise = try await Fixture.org(app, name: "东莞精工")
        let other = try await Fixture.org(app, name: "别家企业")
        let gov = try await Fixture.org(app, kind: .governmentDepartment, name: "东莞人社局")
        try await Fixture.user(app, "hr", org: enterprise, role: .enterpriseAdmin)
        try await Fixture.user(app, "outsider", org: other, role: .enterpriseAdmin)
        try await Fixture.user(app, "gov", org: gov, role: .governmentOfficer)
        let master = try await Fixture.user(app, "master", org: enterprise, role: .master)
        return World(enterprise: enterprise, other: other, master: master)
    }

    func token(_ app: Application, _ username: String, password: String = Fixture.password) async throws -> (HTTPStatus, String) {
        var out: (HTTPStatus, String) = (.ok, "")
        try await app.testing().test(
            .POST, "/api/v1/auth/token",
            beforeRequest: { req in
                try req.content.encode(["username": username, "password": password])
            }
        ) { res in
            out = (res.status, (try? res.content.decode(AuthAPI.TokenResponse.self).token) ?? "")
        }
        return out
    }

    func me(_ app: Application, _ token: String) async throws -> HTTPStatus {
        try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]).status
    }

    @Test func changing_ones_password_needs_the_current_one_and_ends_every_other_session_and_token() async throws {
        try await withTestApp { app in
            _ = try await world(app)
            let phone = Browser(app)
            let laptop = Browser(app)
            #expect(try await phone.login("master").status == .seeOther)
            #expect(try await laptop.login("master").status == .seeOther)
            let (_, oldToken) = try await token(app, "master")
            let page = try await laptop.get("/account")
            #expect(page.status == .ok && page.body.string.contains("修改密码"))

            let wrong = try await laptop.post(
                "/account/password",
                form: ["currentPassword": "not it at all", "newPassword": "a new passphrase", "confirmPassword": "a new passphrase"])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("当前密码不正确"))
            let short = try await laptop.post(
                "/account/password", form: ["currentPassword": Fixture.password, "newPassword": "short", "confirmPassword": "short"])
            #expect(short.status == .unprocessableEntity && short.body.string.contains("密码至少"))
            #expect(try await me(app, oldToken) == .ok, "nothing changed on failure")

            let done = try await laptop.post(
                "/account/password",
                form: ["currentPassword": Fixture.password, "newPassword": "a new passphrase", "confirmPassword": "a new passphrase"])
            #expect(done.status == .seeOther)
            #expect(try await laptop.get("/").status == .ok, "this session goes on")
            #expect(try await phone.get("/").status == .seeOther, "the other session ended")
            #expect(try await me(app, oldToken) == .unauthorized, "the token ended")
            #expect(try await token(app, "master").0 == .unauthorized)
            #expect(try await token(app, "master", password: "a new passphrase").0 == .created)
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "account.passwordChanged").count() == 1)
        }
    }

    @Test func a_deactivated_masters_token_is_refused_at_once_and_reactivation_restores_it() async throws {
        try await withTestApp { app in
            let w = try await world(app)
            let (_, masterToken) = try await token(app, "master")
            let masterBrowser = Browser(app)
            _ = try await masterBrowser.login("master")
            let hr = try await APIClient(app, "hr")
            let id = w.master.id!.uuidString.lowercased()

            // Another enterprise cannot; the master cannot deactivate themself or anyone.
            #expect(try await APIClient(app, "outsider").call(.POST, "/api/v1/memberships/\(id)/deactivation").0 == .notFound)
            #expect(try await APIClient(app, "master").call(.POST, "/api/v1/memberships/\(id)/deactivation").0 == .forbidden)

            let (ok, body) = try await hr.call(.POST, "/api/v1/memberships/\(id)/deactivation")
            #expect(ok == .ok && body["active"] as? Bool == false)
            #expect(try await me(app, masterToken) == .unauthorized)
            #expect(try await masterBrowser.get("/").status == .seeOther)
            #expect(try await token(app, "master").0 == .unauthorized, "cannot sign in either")
            #expect(try await hr.call(.POST, "/api/v1/memberships/\(id)/deactivation").0 == .conflict)

            // HR's accounts page shows it deactivated with a way back.
            let hrBrowser = Browser(app)
            _ = try await hrBrowser.login("hr")
            let list = try await hrBrowser.get("/accounts").body.string
            #expect(list.contains("已停用") && list.contains("/accounts/\(id)/reactivation"))
            #expect(try await hrBrowser.post("/accounts/\(id)/reactivation", form: [:]).status == .seeOther)
            #expect(try await token(app, "master").0 == .created)
            let actions = try await AuditEventRecord.query(on: app.db).filter(\.$objectID == id).all().map(\.action)
            #expect(actions.contains("membership.deactivated") && actions.contains("membership.reactivated"))
        }
    }

    @Test func a_reset_link_works_once_within_thirty_minutes_and_the_user_must_choose_a_new_password() async throws {
        try await withTestApp { app in
            let w = try await world(app)
            let hr = try await APIClient(app, "hr")
            let id = w.master.id!.uuidString.lowercased()
            #expect(try await APIClient(app, "outsider").call(.POST, "/api/v1/memberships/\(id)/password-reset").0 == .notFound)
            let (created, link) = try await hr.call(.POST, "/api/v1/memberships/\(id)/password-reset")
            #expect(created == .created)
            let url = link.string("url")
            let path = try #require(URL(string: url)?.path)
            #expect(path.hasPrefix("/reset/"))
            #expect(try await PasswordResetRecord.query(on: app.db).first()?.tokenHash != String(path.dropFirst(7)), "only a digest is kept")

            // With the old password the master can do nothing but choose a new one.
            let master = Browser(app)
            _ = try await master.login("master")
            let home = try await master.get("/programs")
            #expect(home.status == .seeOther && home.headers.first(name: .location) == "/account")
            let (_, t) = try await token(app, "master")
            let (blocked, problem) = try await APIClient(app: app, token: t).call(.GET, "/api/v1/programs")
            #expect(blocked == .unprocessableEntity && problem.errorCodes == ["account.mustChangePassword"])

            // The link: a form, bad input kept out, then the new password; the link is spent.
            let visitor = Browser(app)
            #expect(try await visitor.get(path).body.string.contains("master"))
            let mismatch = try await visitor.post(path, form: ["newPassword": "fresh passphrase", "confirmPassword": "other passphrase"])
            #expect(mismatch.status == .unprocessableEntity && mismatch.body.string.contains("两次输入的新密码不一致"))
            #expect(
                try await visitor.post(path, form: ["newPassword": "fresh passphrase", "confirmPassword": "fresh passphrase"]).status == .seeOther)
            #expect(try await token(app, "master", password: "fresh passphrase").0 == .created)
            #expect(try await master.get("/").status == .seeOther, "old sessions ended")
            let again = try await Browser(app).get(path)
            #expect(again.status == .notFound && again.body.string.contains("链接无效"))
            let u = try await UserRecord.query(on: app.db).filter(\.$username == "master").first()!
            #expect(u.mustChangePassword == false)
        }
    }

    @Test func an_expired_reset_link_is_refused() async throws {
        try await withTestApp { app in
            let w = try await world(app)
            let link = try await AccountLifecycleService(app).createResetLink(
                ofMembership: w.master.id!, actor: try await DemoData.actor(app, username: "hr")!)
            try await PasswordResetRecord.query(on: app.db).set(\.$expiresAt, to: Date().addingTimeInterval(-1)).update()
            let path = URL(string: link.url)!.path
            #expect(try await Browser(app).get(path).status == .notFound)
            let post = try await Browser(app).post(
                path, form: ["newPassword": "fresh passphrase", "confirmPassword": "fresh passphrase"], csrf: false)
            #expect(post.status != .seeOther)
            #expect(try await token(app, "master", password: "fresh passphrase").0 == .unauthorized)
        }
    }

    @Test func each_user_sees_and_ends_their_own_sessions_and_tokens_only() async throws {
        try await withTestApp { app in
            _ = try await world(app)
            let (_, t1) = try await token(app, "master")
            let (_, t2) = try await token(app, "master")
            let client = APIClient(app: app, token: t1)
            let (_, list) = try await client.call(.GET, "/api/v1/me/sessions")
            let items = (list["items"] as? [[String: Any]]) ?? []
            #expect(items.count == 2 && items.filter { $0["current"] as? Bool == true }.count == 1)
            let other = try #require(items.first { $0["current"] as? Bool == false })
            #expect(try await APIClient(app, "hr").call(.POST, "/api/v1/me/sessions/\(other.string("id"))/end").0 == .notFound)
            #expect(try await client.call(.POST, "/api/v1/me/sessions/\(other.string("id"))/end").0 == .noContent)
            #expect(try await me(app, t2) == .unauthorized)
            #expect(try await me(app, t1) == .ok)
        }
    }

    @Test func failures_for_an_account_from_one_address_do_not_lock_it_out_from_another() async throws {
        try await withTestApp(adjust: { $0.trustedProxies = [CIDR("127.0.0.1")!] }) { app in
            _ = try await world(app)
            let live = try app.testing(method: .running(hostname: "127.0.0.1", port: 0))
            func login(_ password: String, from address: String) async throws -> HTTPStatus {
                var status = HTTPStatus.ok
                try await live.test(
                    .POST, "/api/v1/auth/token",
                    beforeRequest: { req in
                        req.headers.replaceOrAdd(name: .xForwardedFor, value: address)
                        try req.content.encode(["username": "gov", "password": password])
                    }
                ) { res in status = res.status }
                return status
            }
            for _ in 0..<5 { #expect(try await login("guessing wrong", from: "203.0.113.66") == .unauthorized) }
            // The attacker's address is blocked for gov; the officer at the bureau is not.
            #expect(try await login(Fixture.password, from: "203.0.113.66") == .tooManyRequests)
            #expect(try await login(Fixture.password, from: "198.51.100.20") == .created)
            // The address the audit log recorded is the forwarded client, not the proxy.
            let failures = try await AuditEventRecord.query(on: app.db).filter(\.$action == "auth.login").filter(\.$outcome == "failure").all()
            #expect(failures.count == 5 && failures.allSatisfy { $0.detail.contains("203.0.113.66") })
        }
    }
}

extension APIClient {
    init(app: Application, token: String) {
        self.app = app
        self.headers = ["Authorization": "Bearer \(token)"]
    }
}
