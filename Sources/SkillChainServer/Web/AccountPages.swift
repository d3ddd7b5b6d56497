import Fluent
import SkillChainCore
import Vapor

/// Accounts of the acting organization: its admins add staff logins (masters, teachers, assessors…);
/// everyone else sees their own memberships.
enum AccountPages {
    struct Row: Encodable {
        let username: String
        let displayName: String
        let organization: String
        let role: String
        let active: Bool
        let status: String
        let canManage: Bool
        let deactivateAction: String
        let reactivateAction: String
        let resetAction: String
    }
    /// A reset link just made, shown once.
    struct ResetLink: Encodable {
        let username: String
        let url: String
        let expires: String
    }
    struct Body: Encodable {
        let rows: [Row]
        let pagination: Pagination
        let canCreate: Bool
        let values: [String: String]
        let errors: [String: String]
        let roles: [ChoiceOption]
        let organizations: [ChoiceOption]
        let chooseOrganization: Bool
        let action: String
        let resetLink: ResetLink?
        let q: String
        let searchAction: String
    }

    static func list(_ req: Request) async throws -> Response { try await render(req) }

    static func render(
        _ req: Request, input: MembershipInput? = nil, errors: [String: String] = [:], resetLink: ResetLink? = nil,
        search: String? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.requireActor()
        let grant = Policy.grant(actor.role, .createMembership)
        // `?q=` finds accounts by username or display name.
        let q = (search ?? req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        let matching =
            q.isEmpty
            ? nil
            : try await AccountService.users(matching: q, on: req.db)
        func query() -> QueryBuilder<MembershipRecord> {
            let query = AccountService.visibleMemberships(actor, on: req.db)
            if let matching { query.filter(\.$userID ~~ matching) }
            return query
        }
        let page = Pagination.requestedPage(req)
        let total = try await query().count()
        let rows = try await query().sort(\.$createdAt).range((page - 1) * Pagination.perPage..<page * Pagination.perPage).all()
        let userByID = try await UserRecord.byID(rows.map(\.userID), on: req.db)
        let orgByID = try await OrganizationRecord.names(rows.map(\.organizationID), \.name, on: req.db)
        let assignable = Role.allCases.filter { role in
            role.assignable(by: actor.role) && (grant == .all || role.allowed(in: actor.organizationKind))
        }
        let orgOptions =
            grant == .all
            ? try await DirectoryStore(req.db).activeOrganizations().map {
                ChoiceOption(
                    value: $0.id!.uuidString.lowercased(), label: $0.name,
                    selected: (input?.organizationId ?? actor.organizationID) == $0.id)
            }
            : []
        return try await Page.render(
            "accounts", title: req.t("accounts.title"),
            Body(
                rows: rows.map { m in
                    let user = userByID[m.userID]
                    let active = m.deactivatedAt == nil && user?.isActive == true
                    let canManage =
                        AccountLifecycleService.fact(m).map {
                            AccountRules.mayManageMembership(
                                actorRole: actor.role, actorOrganization: actor.organizationID, actorMembership: actor.membershipID, $0)
                        } ?? false
                    return Row(
                        username: user?.username ?? "", displayName: user?.displayName ?? "",
                        organization: orgByID[m.organizationID] ?? "", role: req.t("role.\(m.role)"),
                        active: active, status: req.t(active ? "accounts.status.active" : "accounts.status.inactive"),
                        canManage: canManage && Policy.grant(actor.role, .manageAccounts) != .none,
                        deactivateAction: SiteURL.accountDeactivation(m.id!).path, reactivateAction: SiteURL.accountReactivation(m.id!).path,
                        resetAction: SiteURL.accountPasswordReset(m.id!).path)
                },
                pagination: Pagination(page: page, total: total, req),
                canCreate: grant != .none,
                values: ["username": input?.username ?? "", "displayName": input?.displayName ?? ""],
                errors: errors,
                roles: assignable.map { ChoiceOption(value: $0.rawValue, label: req.t("role.\($0.rawValue)"), selected: input?.role == $0.rawValue) },
                organizations: orgOptions,
                chooseOrganization: grant == .all,
                action: SiteURL.accounts.path, resetLink: resetLink, q: q, searchAction: SiteURL.accounts.path), req, status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Form: Content {
            var username: String?
            var displayName: String?
            var password: String?
            var role: String?
            var organizationId: String?
        }
        let form = try req.content.decode(Form.self)
        let org =
            Policy.grant(actor.role, .createMembership) == .all
            ? form.organizationId.flatMap(UUID.init(uuidString:)) : actor.organizationID
        let input = MembershipInput(
            username: form.username, displayName: form.displayName, password: form.password,
            organizationId: org, role: form.role)
        do {
            try await AccountService(req.application).addMembership(input, actor: actor)
            return Page.redirect(.accounts, flash: "flash.accountCreated", req)
        } catch let failure as ValidationFailure {
            return try await render(req, input: input, errors: Page.errors(failure, req), status: .unprocessableEntity)
        }
    }

    /// Back to the list narrowed to the account acted on, so its new state is in view.
    static func setActive(_ req: Request, _ active: Bool) async throws -> Response {
        let actor = try req.requireActor()
        return try await Page.attempt(req) {
            let m = try await AccountLifecycleService(req.application).setMembershipActive(try req.idParameter(), active: active, actor: actor)
            let username = try await UserRecord.find(m.userID, on: req.db)?.username ?? ""
            return Page.redirect(.accountsMatching(username), flash: active ? "flash.accountReactivated" : "flash.accountDeactivated", req)
        } onFailure: {
            try await render(req, errors: $0, status: .unprocessableEntity)
        }
    }

    static func deactivate(_ req: Request) async throws -> Response { try await setActive(req, false) }

    static func reactivate(_ req: Request) async throws -> Response { try await setActive(req, true) }

    /// Makes a one-time reset link and shows it on this answer only (it is not kept anywhere it could be read again).
    static func resetPassword(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        return try await Page.attempt(req) {
            let link = try await AccountLifecycleService(req.application).createResetLink(ofMembership: id, actor: actor)
            let m = try await MembershipRecord.find(id, on: req.db)
            let username = try await m.asyncMap { try await UserRecord.find($0.userID, on: req.db)?.username } ?? nil
            let response = try await render(
                req, resetLink: ResetLink(username: username ?? "", url: link.url, expires: Page.time(link.expiresAt)),
                search: username ?? "")
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        } onFailure: {
            try await render(req, errors: $0, status: .unprocessableEntity)
        }
    }
}
