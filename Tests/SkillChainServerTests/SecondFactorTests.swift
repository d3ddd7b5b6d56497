import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Two-step verification as an officer sets it up and signs in with it (the browser test does the same with pyotp).
typealias OneTimeCode = SkillChainCore.TOTP

@Suite struct SecondFactorTests {
    func officer(_ app: Application) async throws {
        let gov = try await Fixture.org(app, kind: .governmentDepartment, name: "东莞人社局")
        try await Fixture.user(app, "gov", org: gov, role: .governmentOfficer)
    }

    /// Sets up the second factor through the pages; returns the secret and the recovery codes shown once.
    func enrol(_ app: Application, _ browser: Browser) async throws -> (OneTimeCode, [String]) {
        #expect(try await browser.post("/account/second-factor", form: [:]).status == .seeOther)
        let page = try await browser.get("/account").body.string
        let secret = try #require(page.firstMatch(#"id="totp-secret">([A-Z2-7]+)<"#))
        let totp = try #require(OneTimeCode(base32: secret))
        #expect(page.contains("<svg"), "the set-up QR code is drawn")
        let wrong = try await browser.post("/account/second-factor/confirm", form: ["code": "000000" == totp.code(at: Date()) ? "111111" : "000000"])
        #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("动态码不正确"))
        let done = try await browser.post("/account/second-factor/confirm", form: ["code": totp.code(at: Date())])
        #expect(done.status == .ok)
        let codes = done.body.string.allMatches(#"<li><code>([a-z0-9]{4}-[a-z0-9]{4})</code></li>"#)
        #expect(codes.count == 10)
        return (totp, codes)
    }

    @Test func an_officer_enrols_and_then_signs_in_with_a_code_or_a_recovery_code_once() async throws {
        try await withTestApp { app in
            try await officer(app)
            let setup = Browser(app)
            _ = try await setup.login("gov")
            let (totp, codes) = try await enrol(app, setup)
            let user = try await UserRecord.query(on: app.db).filter(\.$username == "gov").first()!
            #expect(user.totpEnrolledAt != nil && user.totpSecretSealed?.contains(totp.base32) == false, "the secret is sealed")

            // Password first, then the code; the half-signed-in session can do nothing else.
            let b = Browser(app)
            let first = try await b.login("gov")
            #expect(first.headers.first(name: .location)?.hasPrefix("/login/code") == true)
            #expect(try await b.get("/dashboard").status == .seeOther)
            #expect(try await b.get("/login/code").body.string.contains("动态码"))
            let bad = try await b.post("/login/code", form: ["code": "12345", "next": "/dashboard"])
            #expect(bad.status == .unauthorized)
            // The code used for enrolment is spent; the next step's code (inside the ±1 window) works.
            let next = totp.code(counter: totp.step(at: Date()) + 1)
            let ok = try await b.post("/login/code", form: ["code": next, "next": "/dashboard"])
            #expect(ok.status == .seeOther && ok.headers.first(name: .location) == "/dashboard")
            #expect(try await b.get("/dashboard").status == .ok)
            let stranger = Browser(app)
            _ = try await stranger.get("/login")
            let noSession = try await stranger.post("/login/code", form: ["code": next])
            #expect(
                noSession.status == .seeOther && noSession.headers.first(name: .location)?.hasPrefix("/login") == true,
                "no pending session: back to sign-in")

            // The API asks for the code too; a recovery code works once.
            func token(_ body: [String: String]) async throws -> (HTTPStatus, String) {
                var out: (HTTPStatus, String) = (.ok, "")
                try await app.testing().test(.POST, "/api/v1/auth/token", beforeRequest: { try $0.content.encode(body) }) { res in
                    out = (res.status, res.body.string)
                }
                return out
            }
            let missing = try await token(["username": "gov", "password": Fixture.password])
            #expect(missing.0 == .unauthorized && missing.1.contains("second-factor"))
            #expect(try await token(["username": "gov", "password": Fixture.password, "code": codes[0].uppercased()]).0 == .created)
            #expect(try await token(["username": "gov", "password": Fixture.password, "code": codes[0]]).0 == .unauthorized)
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "account.recoveryCodeUsed").count() == 1)

            // Turning it off needs the password and a code.
            let off = try await setup.post("/account/second-factor/removal", form: ["currentPassword": "wrong one!", "code": "123456"])
            #expect(off.status == .unprocessableEntity)
            // (Every code of the current window is spent by now: a recovery code stands in.)
            let offOK = try await setup.post("/account/second-factor/removal", form: ["currentPassword": Fixture.password, "code": codes[1]])
            #expect(offOK.status == .seeOther)
            #expect(try await UserRecord.query(on: app.db).filter(\.$username == "gov").first()?.totpEnrolledAt == nil)
            #expect(try await Browser(app).login("gov").headers.first(name: .location) == "/", "no code asked any more")
        }
    }

    @Test func a_role_that_requires_it_must_enrol_after_the_grace_period_and_cannot_switch_it_off() async throws {
        try await withTestApp(adjust: { $0.secondFactor = .init(roles: [.governmentOfficer], graceDays: 0) }) { app in
            try await officer(app)
            let b = Browser(app)
            _ = try await b.login("gov")
            let blocked = try await b.get("/dashboard")
            #expect(blocked.status == .seeOther && blocked.headers.first(name: .location) == "/account")
            #expect(try await b.get("/account").body.string.contains("must-enrol"))
            let token = try await Fixture.token(app, "gov")
            let (status, problem) = try await APIClient(app: app, token: token).call(.GET, "/api/v1/dashboard?region=441900")
            #expect(status == .unprocessableEntity && problem.errorCodes == ["account.mustEnrolSecondFactor"])

            let (totp, _) = try await enrol(app, b)
            #expect(try await b.get("/dashboard").status == .ok)
            #expect(!(try await b.get("/account").body.string.contains("secondFactor/removal")))
            let refused = try await b.post(
                "/account/second-factor/removal", form: ["currentPassword": Fixture.password, "code": totp.code(at: Date())])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("不能关闭"))
        }
    }
}

extension String {
    /// The first capture group of `pattern`.
    func firstMatch(_ pattern: String) -> String? { allMatches(pattern).first }

    func allMatches(_ pattern: String) -> [String] {
        guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = self as NSString
        return re.matches(in: self, range: NSRange(location: 0, length: ns.length)).compactMap {
            $0.numberOfRanges > 1 ? ns.substring(with: $0.range(at: 1)) : nil
        }
    }
}
