import Fluent
import SkillChainCore
import Vapor

/// Accounts of the acting organization: its admins add staff logins (masters, teachers, assessors…);
/// everyone else sees their own memberships.
enum AccountPages {
    struct Row: Encodable { let username: String; let displayName: String; let organization: String; let role: String }
    struct Body: Encodable {
        let rows: [Row]; let pagination: Pagination; let canCreate: Bool
        let values: [String: String]; let errors: [String: String]; let roles: [ChoiceOption]; let organizations: [ChoiceOption]; let chooseOrganization: Bool
        let action: String
    }

    static func list(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, input: MembershipInput? = nil, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let grant = Policy.grant(actor.role, .createMembership)
        func query() -> QueryBuilder<MembershipRecord> { AccountService.visibleMemberships(actor, on: req.db) }
        let page = Pagination.requestedPage(req)
        let total = try await query().count()
        let rows = try await query().sort(\.$createdAt).range((page - 1) * Pagination.perPage ..< page * Pagination.perPage).all()
        let users = try await UserRecord.query(on: req.db).filter(\.$id ~~ Set(rows.map(\.userID))).all()
        let orgs = try await OrganizationRecord.query(on: req.db).filter(\.$id ~~ Set(rows.map(\.organizationID))).all()
        let userByID = Dictionary(uniqueKeysWithValues: users.map { ($0.id!, $0) })
        let orgByID = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id!, $0.name) })
        let assignable = Role.allCases.filter { role in
            role.assignable(by: actor.role) && (grant == .all || role.allowed(in: actor.organizationKind))
        }
        let orgOptions = grant == .all
            ? try await OrganizationRecord.query(on: req.db).sort(\.$name).all().map {
                ChoiceOption(value: $0.id!.uuidString.lowercased(), label: $0.name,
                             selected: (input?.organizationId ?? actor.organizationID) == $0.id)
            }
            : []
        return try await Page.render("accounts", title: req.t("accounts.title"), Body(
            rows: rows.map { m in
                Row(username: userByID[m.userID]?.username ?? "", displayName: userByID[m.userID]?.displayName ?? "",
                    organization: orgByID[m.organizationID] ?? "", role: req.t("role.\(m.role)"))
            },
            pagination: Pagination(page: page, total: total, req),
            canCreate: grant != .none,
            values: ["username": input?.username ?? "", "displayName": input?.displayName ?? ""],
            errors: errors,
            roles: assignable.map { ChoiceOption(value: $0.rawValue, label: req.t("role.\($0.rawValue)"), selected: input?.role == $0.rawValue) },
            organizations: orgOptions,
            chooseOrganization: grant == .all,
            action: SiteURL.accounts.path), req, status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Form: Content { var username: String?; var displayName: String?; var password: String?; var role: String?; var organizationId: String? }
        let form = try req.content.decode(Form.self)
        let org = Policy.grant(actor.role, .createMembership) == .all
            ? form.organizationId.flatMap(UUID.init(uuidString:)) : actor.organizationID
        let input = MembershipInput(username: form.username, displayName: form.displayName, password: form.password,
                                    organizationId: org, role: form.role)
        do {
            try await AccountService.addMembership(input, actor: actor, app: req.application)
            return Page.redirect(.accounts, flash: "flash.accountCreated", req)
        } catch let failure as ValidationFailure {
            return try await render(req, input: input, errors: Page.errors(failure, req), status: .unprocessableEntity)
        }
    }
}
