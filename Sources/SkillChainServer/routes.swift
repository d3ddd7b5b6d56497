import SkillChainCore
import Vapor

/// The site's table of contents. Every route declares its access (see `RouteAccess`).
func routes(_ app: Application) throws {
    // Operations
    app.on(.GET, "healthz", access: .public, use: Health.live)
    app.on(.GET, "readyz", access: .public, use: Health.ready)

    // Pages: sign-in and home
    app.on(.GET, "login", access: .public, use: AuthPages.show)
    app.on(.POST, "login", access: .public, use: AuthPages.submit)
    app.on(.POST, "logout", access: .action(.viewHome), use: AuthPages.logout)
    app.on(.POST, "switch", access: .action(.switchMembership), use: AuthPages.switchMembership)
    app.on(.GET, access: .action(.viewHome), use: HomePage.show)

    // Pages: organizations, chains, people, audit
    app.on(.GET, "organizations", access: .action(.listOrganizations), use: OrganizationPages.list)
    app.on(.GET, "organizations", "new", access: .action(.createOrganization), use: OrganizationPages.showForm)
    app.on(.POST, "organizations", access: .action(.createOrganization), use: OrganizationPages.create)
    app.on(.GET, "organizations", ":id", access: .action(.viewOrganization), use: OrganizationPages.show)
    app.on(.GET, "chains", access: .action(.listChains), use: ChainPages.list)
    app.on(.GET, "chains", "new", access: .action(.createChain), use: ChainPages.showForm)
    app.on(.POST, "chains", access: .action(.createChain), use: ChainPages.create)
    app.on(.GET, "chains", ":id", access: .action(.viewChain), use: ChainPages.show)
    app.on(.POST, "chains", ":id", "members", access: .action(.editChain), use: ChainPages.addMember)
    app.on(.POST, "chains", ":id", "submit", access: .action(.submitChain), use: ChainPages.submit)
    app.on(.POST, "chains", ":id", "decision", access: .action(.decideChain), use: ChainPages.decide)
    app.on(.GET, "people", access: .action(.listPeople), use: PeoplePages.list)
    app.on(.POST, "people", "search", access: .action(.listPeople), use: PeoplePages.search)
    app.on(.GET, "people", "new", access: .action(.createPerson), use: PeoplePages.showForm)
    app.on(.POST, "people", access: .action(.createPerson), use: PeoplePages.create)
    app.on(.GET, "people", ":id", access: .action(.viewPerson), use: PeoplePages.show)
    app.on(.GET, "occupations", access: .action(.listOccupations), use: OccupationPages.list)
    app.on(.GET, "accounts", access: .action(.listMemberships), use: AccountPages.list)
    app.on(.POST, "accounts", access: .action(.createMembership), use: AccountPages.create)
    app.on(.GET, "admin", "audit", access: .action(.viewAudit), use: AuditPage.show)

    // JSON API
    let api = app.grouped("api", "v1")
    api.on(.GET, "openapi.json", access: .public, use: OpenAPIDocument.serve)
    api.on(.POST, "auth", "token", access: .public, use: AuthAPI.issue)
    api.on(.DELETE, "auth", "token", access: .action(.manageOwnTokens), use: AuthAPI.revoke)
    api.on(.GET, "me", access: .action(.viewHome), use: AuthAPI.me)
    api.on(.GET, "organizations", access: .action(.listOrganizations), use: ResourceAPI.listOrganizations)
    api.on(.POST, "organizations", access: .action(.createOrganization), use: ResourceAPI.createOrganization)
    api.on(.GET, "organizations", ":id", access: .action(.viewOrganization), use: ResourceAPI.getOrganization)
    api.on(.GET, "chains", access: .action(.listChains), use: ResourceAPI.listChains)
    api.on(.POST, "chains", access: .action(.createChain), use: ResourceAPI.createChain)
    api.on(.GET, "chains", ":id", access: .action(.viewChain), use: ResourceAPI.getChain)
    api.on(.POST, "chains", ":id", "members", access: .action(.editChain), use: ResourceAPI.addChainMember)
    api.on(.POST, "chains", ":id", "submit", access: .action(.submitChain), use: ResourceAPI.submitChain)
    api.on(.POST, "chains", ":id", "decision", access: .action(.decideChain), use: ResourceAPI.decideChain)
    api.on(.GET, "people", access: .action(.listPeople), use: ResourceAPI.listPeople)
    api.on(.POST, "people", access: .action(.createPerson), use: ResourceAPI.createPerson)
    api.on(.GET, "people", ":id", access: .action(.viewPerson), use: ResourceAPI.getPerson)
    api.on(.GET, "memberships", access: .action(.listMemberships), use: ResourceAPI.listMemberships)
    api.on(.POST, "memberships", access: .action(.createMembership), use: ResourceAPI.createMembership)
    api.on(.GET, "occupations", access: .action(.listOccupations), use: OccupationAPI.list)
    api.on(.GET, "audit", "verify", access: .action(.viewAudit), use: ResourceAPI.verifyAudit)
}
