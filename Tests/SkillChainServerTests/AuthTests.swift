import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct AuthTests {
    @Test func login_sets_a_hardened_cookie_and_a_new_session_each_time() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "hr1", org: org, role: .enterpriseAdmin)
            let browser = Browser(app)
            let first = try await browser.login("hr1")
            #expect(first.status == .seeOther)
            let cookie = try #require(first.headers[.setCookie].first { $0.hasPrefix("skillchain-session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            let firstID = try #require(browser.cookies["skillchain-session"])
            // the database keeps only a digest of the session id
            #expect(try await BrowserSessionRecord.query(on: app.db).filter(\.$tokenHash == firstID).count() == 0)
            #expect(try await BrowserSessionRecord.query(on: app.db).filter(\.$tokenHash == Tokens.digest(firstID)).count() == 1)
            _ = try await browser.login("hr1")
            let secondID = try #require(browser.cookies["skillchain-session"])
            #expect(secondID != firstID)
            #expect(try await BrowserSessionRecord.query(on: app.db).count() == 1, "the old session is gone")
        }
    }

    @Test func wrong_password_is_a_localized_error_and_logout_ends_the_session() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "hr2", org: org, role: .enterpriseAdmin)
            let browser = Browser(app)
            let bad = try await browser.login("hr2", password: "wrong password!")
            #expect(bad.status == .unauthorized)
            #expect(bad.body.string.contains("用户名或密码不正确"))
            #expect(try await browser.login("hr2").status == .seeOther)
            #expect(try await browser.get("/").status == .ok)
            let out = try await browser.post("/logout", form: [:])
            #expect(out.status == .seeOther)
            #expect(try await BrowserSessionRecord.query(on: app.db).count() == 0)
            let after = try await browser.get("/")
            #expect(after.status == .seeOther)
            #expect(after.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test func long_chinese_passphrase_is_not_truncated() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            let passphrase = String(repeating: "技能生态链", count: 13)  // 65 characters, 195 bytes
            try await AccountService(app).addMembership(
                .init(username: "long", password: passphrase, organizationId: org.id, role: "enterpriseAdmin"),
                actor: nil)
            let browser = Browser(app)
            #expect(try await browser.login("long", password: passphrase).status == .seeOther)
            let almost = String(passphrase.dropLast()) + "路"
            #expect(try await Browser(app).login("long", password: almost).status == .unauthorized)
        }
    }

    @Test func repeated_failures_are_throttled_with_retry_after() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "victim", org: org, role: .enterpriseAdmin)
            let browser = Browser(app)
            for _ in 0..<app.config.loginFailuresPerAccount {
                #expect(try await browser.login("victim", password: "not the password").status == .unauthorized)
            }
            let blocked = try await browser.login("victim")
            #expect(blocked.status == .tooManyRequests)
            let retry = Int(blocked.headers.first(name: "Retry-After") ?? "") ?? 0
            #expect(retry > 0 && retry <= 900)
            // the API shares the limit
            try await app.testing().test(
                .POST, "/api/v1/auth/token",
                beforeRequest: { req in
                    try req.content.encode(["username": "victim", "password": Fixture.password])
                }
            ) { res in
                #expect(res.status == .tooManyRequests)
                #expect(res.headers.first(name: "Retry-After") != nil)
            }
        }
    }

    @Test func forms_without_csrf_token_or_from_another_site_are_refused() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "hr3", org: org, role: .enterpriseAdmin)
            let browser = Browser(app)
            _ = try await browser.login("hr3")
            let form = ["name": "李四", "citizenId": Fixture.citizenID(7), "phone": "13900000000", "education": "associate", "category": "employee"]
            #expect(try await browser.post("/people", form: form, csrf: false).status == .forbidden)
            #expect(try await browser.post("/people", form: form, headers: ["Origin": "https://evil.example"]).status == .forbidden)
            #expect(try await browser.post("/people", form: form, headers: ["Sec-Fetch-Site": "cross-site"]).status == .forbidden)
            #expect(try await PersonRecord.query(on: app.db).count() == 0)
            let ok = try await browser.post("/people", form: form, headers: ["Origin": "http://127.0.0.1:8080", "Sec-Fetch-Site": "same-origin"])
            #expect(ok.status == .seeOther)
            #expect(try await PersonRecord.query(on: app.db).count() == 1)
            // login itself needs the token too
            #expect(try await Browser(app).post("/login", form: ["username": "hr3", "password": Fixture.password], csrf: false).status == .forbidden)
        }
    }

    @Test func bearer_tokens_work_expire_and_can_be_revoked() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "api", org: org, role: .enterpriseAdmin)
            let token = try await Fixture.token(app, "api")
            #expect(try await APITokenRecord.query(on: app.db).filter(\.$tokenHash == token).count() == 0, "stored hashed")
            let auth: HTTPHeaders = ["Authorization": "Bearer \(token)"]
            try await app.testing().test(.GET, "/api/v1/me", headers: auth) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("\"role\":\"enterpriseAdmin\""))
            }
            try await app.testing().test(.DELETE, "/api/v1/auth/token", headers: auth) { res in #expect(res.status == .noContent) }
            try await app.testing().test(.GET, "/api/v1/me", headers: auth) { res in
                #expect(res.status == .unauthorized)
                #expect(res.headers.first(name: .wwwAuthenticate) == "Bearer")
            }
            let second = try await Fixture.token(app, "api")
            try await APITokenRecord.query(on: app.db).filter(\.$tokenHash == Tokens.digest(second)).set(
                \.$expiresAt, to: Date(timeIntervalSinceNow: -1)
            ).update()
            try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(second)"]) { res in
                #expect(res.status == .unauthorized)
            }
        }
    }

    @Test func the_api_ignores_session_cookies() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "cookieonly", org: org, role: .enterpriseAdmin)
            let browser = Browser(app)
            _ = try await browser.login("cookieonly")
            #expect(try await browser.get("/api/v1/me").status == .unauthorized)
        }
    }

    @Test func a_user_switches_between_memberships() async throws {
        try await withTestApp { app in
            let enterprise = try await Fixture.org(app, name: "甲企业")
            try await Fixture.user(app, "zhang", org: enterprise, role: .master)
            let second = try await Fixture.user(app, "zhang", org: enterprise, role: .assessor)
            let browser = Browser(app)
            _ = try await browser.login("zhang")
            #expect(try await browser.get("/").body.string.contains("企业师傅"))
            let switched = try await browser.post("/switch", form: ["membershipId": second.id!.uuidString])
            #expect(switched.status == .seeOther)
            let home = try await browser.get("/")
            #expect(home.body.string.contains("当前身份：考评员"))
            // a membership of somebody else cannot be taken over
            let other = try await Fixture.user(app, "li", org: enterprise, role: .enterpriseAdmin)
            #expect(try await browser.post("/switch", form: ["membershipId": other.id!.uuidString]).status == .notFound)
        }
    }
}

@Suite struct APICookieTests {
    @Test func api_answers_set_no_cookies() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/api/v1/openapi.json") { res in
                #expect(res.status == .ok)
                #expect(res.headers[.setCookie].isEmpty)
                #expect(res.headers.first(name: .cacheControl) == "no-store")
            }
        }
    }
}
