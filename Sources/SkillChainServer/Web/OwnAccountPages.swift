import Fluent
import SkillChainCore
import Vapor

/// One's own account (`/account`): change the password, see and end one's sessions and tokens, set up or remove the
/// second factor. A reset password or a required second factor brings the user here before anything else.
enum OwnAccountPages {
    struct SessionRow: Encodable {
        let kind: String
        let device: String
        let address: String
        let lastUsed: String
        let current: Bool
        let endAction: String
    }
    struct Body: Encodable {
        let username: String
        let displayName: String
        let memberships: String
        let mustChangePassword: Bool
        let mustEnrol: Bool
        let errors: [String: String]
        let passwordAction: String
        let enrolled: Bool
        let canDisable: Bool
        let pendingSecret: String?
        let pendingQR: String
        let startAction: String
        let confirmAction: String
        let disableAction: String
        let recoveryCodes: [String]?
        let sessions: [SessionRow]
        let myDataHref: String
        let notifications: NotificationSettingsPages.Card
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(
        _ req: Request, errors: [String: String] = [:], recoveryCodes: [String]? = nil, notificationInput: NotificationSettingsInput? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.requireActor()
        guard let user = try await UserRecord.find(actor.userID, on: req.db) else { throw DomainError.notFound }
        let pending = try await SecondFactorService(req.application).pending(actor: actor)
        let pendingQR =
            try pending.map { totp in
                let uri = totp.uri(issuer: req.t("app.name"), account: user.username)
                return try QRCode(text: uri, correction: .medium).svg(scale: 4, title: req.t("secondFactor.qrTitle"))
            } ?? ""
        let roles = actor.memberships.compactMap { Role(rawValue: $0.role) }
        let sessions = try await AccountLifecycleService.sessions(of: actor, now: req.now, on: req.db)
        return try await Page.render(
            "account", title: req.t("account.title"),
            Body(
                username: user.username, displayName: user.displayName,
                memberships: actor.memberships.map { "\($0.organizationName) · \(req.t("role.\($0.role)"))" }.joined(separator: "；"),
                mustChangePassword: actor.mustChangePassword, mustEnrol: actor.mustEnrolSecondFactor, errors: errors,
                passwordAction: SiteURL.ownPassword.path,
                enrolled: user.totpEnrolledAt != nil, canDisable: req.application.config.secondFactor.mayDisable(roles: roles),
                pendingSecret: pending?.base32, pendingQR: pendingQR,
                startAction: SiteURL.ownSecondFactor.path, confirmAction: SiteURL.ownSecondFactorConfirm.path,
                disableAction: SiteURL.ownSecondFactorDisable.path,
                recoveryCodes: recoveryCodes,
                sessions: sessions.map { s in
                    SessionRow(
                        kind: req.t("account.kind.\(s.kind)"), device: s.userAgent ?? "—", address: s.address ?? "—",
                        lastUsed: Page.time(s.lastUsedAt ?? s.createdAt), current: s.current, endAction: SiteURL.ownSessionEnd(s.id).path)
                }, myDataHref: SiteURL.ownData.path,
                notifications: try await NotificationSettingsPages.card(req, input: notificationInput)), req, status: status)
    }

    static func changePassword(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.content.decode(PasswordChangeInput.self)
        return try await Page.attempt(req) {
            try await AccountLifecycleService(req.application).changePassword(input, actor: actor)
            return Page.redirect(.ownAccount, flash: "flash.passwordChanged", req)
        } onFailure: {
            try await render(req, errors: $0, status: .unprocessableEntity)
        }
    }

    static func endSession(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try await AccountLifecycleService(req.application).endOwn(try req.idParameter(), actor: actor)
        return Page.redirect(.ownAccount, flash: "flash.sessionEnded", req)
    }

    static func startSecondFactor(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return try await Page.attempt(req) {
            _ = try await SecondFactorService(req.application).start(actor: actor)
            return req.redirect(to: SiteURL.ownAccount.path + "#second-factor", redirectType: .normal)
        } onFailure: {
            try await render(req, errors: $0, status: .unprocessableEntity)
        }
    }

    static func confirmSecondFactor(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Form: Content { var code: String? }
        let code = try req.content.decode(Form.self).code ?? ""
        return try await Page.attempt(req) {
            let codes = try await SecondFactorService(req.application).confirm(code: code, actor: actor)
            // Shown once, on this answer only: the actor is reloaded so the page no longer asks to enrol.
            var enrolled = actor
            enrolled.mustEnrolSecondFactor = false
            req.actor = enrolled
            return try await render(req, recoveryCodes: codes)
        } onFailure: {
            try await render(req, errors: $0, status: .unprocessableEntity)
        }
    }

    static func removeSecondFactor(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Form: Content {
            var currentPassword: String?
            var code: String?
        }
        let form = try req.content.decode(Form.self)
        return try await Page.attempt(req) {
            try await SecondFactorService(req.application).disable(password: form.currentPassword ?? "", code: form.code ?? "", actor: actor)
            return Page.redirect(.ownAccount, flash: "flash.secondFactorRemoved", req)
        } onFailure: { errors in
            var shown = errors
            shown["removePassword"] = errors["currentPassword"]
            shown["removeCode"] = errors["code"]
            shown["currentPassword"] = nil
            shown["code"] = nil
            return try await render(req, errors: shown, status: .unprocessableEntity)
        }
    }
}

/// Signing in with a second factor, and choosing a new password from a reset link: pages anyone may open (the pending
/// session or the link is what identifies the user).
enum SignInPages {
    struct CodeBody: Encodable {
        let next: String
        let error: String?
        let action: String
    }

    static func showCode(_ req: Request) async throws -> Response {
        guard req.cookies[req.application.cookieNames.session] != nil else { return req.redirect(to: SiteURL.login(next: nil).path) }
        let next = req.query[String.self, at: "next"].flatMap { SiteURL.isSafeLocalPath($0) ? $0 : nil } ?? "/"
        return try await Page.render(
            "login-code", title: req.t("secondFactor.signInTitle"), CodeBody(next: next, error: nil, action: SiteURL.loginCode.path), req)
    }

    static func submitCode(_ req: Request) async throws -> Response {
        struct Form: Content {
            var code: String?
            var next: String?
        }
        let form = try req.content.decode(Form.self)
        let next = form.next.flatMap { SiteURL.isSafeLocalPath($0) ? $0 : nil } ?? "/"
        let names = req.application.cookieNames
        let step = try await SecondFactorService.completeSignIn(
            pendingCookie: req.cookies[names.session]?.string ?? "",
            code: String((form.code ?? "").prefix(20)), req: req)
        switch step {
        case .noPendingSession:
            return Page.redirect(.login(next: next), flash: "flash.signInAgain", req)
        case .wrongCode:
            return try await Page.render(
                "login-code", title: req.t("secondFactor.signInTitle"),
                CodeBody(next: next, error: req.t("secondFactor.codeWrong"), action: SiteURL.loginCode.path), req, status: .unauthorized)
        case .signedIn(let cookie):
            let response = req.redirect(to: next, redirectType: .normal)
            response.cookies[names.session] = names.cookie(cookie, maxAge: Int(req.application.config.sessionAbsoluteLifetime))
            return response
        }
    }

    struct ResetBody: Encodable {
        let valid: Bool
        let username: String
        let errors: [String: String]
        let action: String
    }

    static func showReset(_ req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let target = try await AccountLifecycleService.resetTarget(token, now: req.now, on: req.db)
        return try await Page.render(
            "reset", title: req.t("reset.title"),
            ResetBody(valid: target != nil, username: target?.1.username ?? "", errors: [:], action: SiteURL.passwordReset(token: token).path),
            req, status: target == nil ? .notFound : .ok)
    }

    static func submitReset(_ req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        struct Form: Content {
            var newPassword: String?
            var confirmPassword: String?
        }
        let form = try req.content.decode(Form.self)
        let username = try await AccountLifecycleService.resetTarget(token, now: req.now, on: req.db)?.1.username ?? ""
        return try await Page.attempt(req) {
            _ = try await AccountLifecycleService(req.application).useResetLink(
                token, newPassword: form.newPassword ?? "", confirm: form.confirmPassword)
            return Page.redirect(.login(next: nil), flash: "flash.passwordResetDone", req)
        } onFailure: { errors in
            try await Page.render(
                "reset", title: req.t("reset.title"),
                ResetBody(valid: !username.isEmpty, username: username, errors: errors, action: SiteURL.passwordReset(token: token).path),
                req, status: .unprocessableEntity)
        }
    }
}
