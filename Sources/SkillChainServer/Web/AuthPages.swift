import Fluent
import SkillChainCore
import Vapor

enum AuthPages {
    struct LoginBody: Encodable {
        let username: String
        let next: String
        let error: String?
    }
    struct LoginForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    static func show(_ req: Request) async throws -> Response {
        if req.actor != nil { return req.redirect(to: SiteURL.home.path) }
        let next = req.query[String.self, at: "next"].flatMap { SiteURL.isSafeLocalPath($0) ? $0 : nil } ?? "/"
        return try await Page.render("login", title: req.t("login.title"), LoginBody(username: "", next: next, error: nil), req)
    }

    static func submit(_ req: Request) async throws -> Response {
        let form = try req.content.decode(LoginForm.self)
        let username = String((form.username ?? "").prefix(100))
        let next = form.next.flatMap { SiteURL.isSafeLocalPath($0) ? $0 : nil } ?? "/"
        guard !username.isEmpty, let password = form.password, !password.isEmpty, password.count <= Password.maximumLength,
            let (user, membership) = try await AccountService.authenticate(username: username, password: password, req: req)
        else {
            return try await Page.render(
                "login", title: req.t("login.title"),
                LoginBody(username: username, next: next, error: req.t("login.failed")), req, status: .unauthorized)
        }
        let names = req.application.cookieNames
        let token = try await AccountService.startSession(
            user: user, membership: membership,
            replacing: req.cookies[names.session]?.string, req: req)
        // With a second factor the new session waits for the code first.
        let target =
            user.totpEnrolledAt == nil
            ? next : SiteURL.loginCode.path + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
        let response = req.redirect(to: target, redirectType: .normal)
        response.cookies[names.session] = names.cookie(token, maxAge: Int(req.application.config.sessionAbsoluteLifetime))
        return response
    }

    static func logout(_ req: Request) async throws -> Response {
        let names = req.application.cookieNames
        if let token = req.cookies[names.session]?.string {
            try await AccountService(req.application).endSession(tokenHash: Tokens.digest(token), actor: req.actor)
        }
        let response = Page.redirect(.login(next: nil), flash: "flash.signedOut", req)
        response.cookies[names.session] = names.expired()
        return response
    }

    struct SwitchForm: Content { var membershipId: UUID? }

    /// Changes the acting membership of the current session.
    static func switchMembership(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let form = try req.content.decode(SwitchForm.self)
        guard let target = form.membershipId, actor.memberships.contains(where: { $0.id == target }), let sessionID = actor.sessionID else {
            throw DomainError.notFound
        }
        try await AccountService(req.application).switchMembership(session: sessionID, to: target)
        return Page.redirect(.home, flash: "flash.switched", req)
    }
}
