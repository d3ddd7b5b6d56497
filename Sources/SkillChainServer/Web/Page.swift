import Leaf
import SkillChainCore
import Vapor

/// What every page's layout needs: language, signed-in user, navigation, CSRF token, flash message.
struct LayoutContext: Encodable {
    struct NavItem: Encodable {
        let href: String
        let label: String
        let active: Bool
    }
    /// A link, or (for roles with many pages) a menu of links named after a stage of the loop.
    struct NavEntry: Encodable {
        let label: String
        let href: String
        let active: Bool
        let isGroup: Bool
        let items: [NavItem]
    }
    struct MembershipOption: Encodable {
        let id: String
        let label: String
        let active: Bool
    }

    let lang: String
    let switchLangHref: String
    let switchLangLabel: String
    let title: String
    let csrf: String
    let signedIn: Bool
    let userName: String
    let actingLabel: String
    let memberships: [MembershipOption]
    let canSwitch: Bool
    let nav: [NavEntry]
    let flash: String?
    /// The bell: unread notifications of the signed-in user.
    let unread: Int
    let inboxHref: String
    let inboxLabel: String
}

struct PageContext<Body: Encodable>: Encodable {
    let layout: LayoutContext
    let page: Body
}

/// A choice in a select, radio or checkbox group.
struct ChoiceOption: Encodable {
    let value: String
    let label: String
    let selected: Bool
}

enum Page {
    /// More links than this are grouped into menus.
    static let navLinksOnOneLine = 9

    static func render<Body: Encodable>(_ template: String, title: String, _ body: Body, _ req: Request, status: HTTPStatus = .ok) async throws
        -> Response
    {
        let unread = try await req.actor.asyncMap { try await unreadCount($0.userID, req) } ?? 0
        let view = try await req.leaf.render(template, PageContext(layout: layout(title: title, req, unread: unread), page: body)).get()
        let response = try await view.encodeResponse(status: status, for: req)
        if req.cookies[req.application.cookieNames.flash] != nil {
            response.cookies[req.application.cookieNames.flash] = req.application.cookieNames.expired()
        }
        return response
    }

    /// The bell's number: counted once per user and cache lifetime, recounted after any change through this instance.
    static func unreadCount(_ user: UUID, _ req: Request) async throws -> Int {
        let cache = req.application.actorCache
        if let known = cache.unread(user, now: req.now) { return known }
        let generation = cache.generation
        let count = try await NotificationStore(req.db).unreadCount(of: user)
        cache.storeUnread(user, count, at: req.now, loadedAt: generation)
        return count
    }

    static func layout(title: String, _ req: Request, unread: Int = 0) -> LayoutContext {
        let other: AppLocale = req.locale == .en ? .zhHans : .en
        var query = (req.url.query ?? "").split(separator: "&").filter { !$0.hasPrefix("lang=") }.map(String.init)
        query.append("lang=\(other.rawValue)")
        let actor = req.actor
        let path = req.url.path
        var nav: [LayoutContext.NavEntry] = []
        if let actor {
            // Each page with the action that opens it; a role sees the pages it may open, grouped by stage of the loop
            // when there are more than fit on one line.
            let groups: [(String?, [(SiteURL, String, Action)])] = [
                (nil, [(.home, "nav.home", .viewHome), (.dashboard, "nav.dashboard", .viewDashboard)]),
                (
                    "nav.group.chain",
                    [
                        (.organizations, "nav.organizations", .listOrganizations), (.chains, "nav.chains", .listChains),
                        (.people, "nav.people", .listPeople), (.occupations, "nav.occupations", .listOccupations),
                    ]
                ),
                ("nav.group.training", [(.programs, "nav.programs", .listPrograms), (.subsidyClaims, "nav.subsidyClaims", .listSubsidyClaims)]),
                (
                    "nav.group.evaluation",
                    [
                        (.evaluationBodies, "nav.evaluationBodies", .listFilings), (.batches, "nav.batches", .listBatches),
                        (.exams, "nav.exams", .takeExam), (.certificates, "nav.certificates", .viewCertificate),
                    ]
                ),
                (
                    "nav.group.use",
                    [
                        (.positions, "nav.positions", .listPositions), (.talentPool, "nav.talentPool", .manageTalentConsent),
                        (.placements, "nav.placements", .listPlacements),
                    ]
                ),
                (
                    "nav.group.incentives",
                    [(.pay, "nav.pay", .managePayGrid), (.honours, "nav.honours", .listHonours), (.registry, "nav.registry", .listRegistry)]
                ),
                (
                    "nav.group.admin",
                    [(.accounts, "nav.accounts", .listMemberships), (.audit, "nav.audit", .viewAudit), (.mailOutbox, "nav.mail", .manageMail)]
                ),
            ]
            let visible = groups.map { group in
                (
                    group.0,
                    group.1.filter { Policy.grant(actor.role, $0.2) != .none }.map { page -> LayoutContext.NavItem in
                        let href = page.0.path
                        return .init(href: href, label: req.t(page.1), active: href == "/" ? path == "/" : path.hasPrefix(href))
                    }
                )
            }
            let grouped = visible.reduce(0) { $0 + $1.1.count } > navLinksOnOneLine
            for (key, items) in visible {
                if let key, grouped, items.count > 1 {
                    nav.append(.init(label: req.t(key), href: "", active: items.contains(where: \.active), isGroup: true, items: items))
                } else {
                    nav += items.map { .init(label: $0.label, href: $0.href, active: $0.active, isGroup: false, items: []) }
                }
            }
        }
        if actor == nil {
            // A visitor reaches verification and the public notices from every public page, and signing in.
            let pages: [(SiteURL, String)] = [
                (.verify, "verify.title"), (.notices, "notices.title"), (.honourNotices, "honourNotice.title"),
                (.login(next: nil), "login.title"),
            ]
            nav = pages.map { .init(label: req.t($0.1), href: $0.0.path, active: path == $0.0.path, isGroup: false, items: []) }
        }
        let flashKey = req.cookies[req.application.cookieNames.flash]?.string
        return LayoutContext(
            lang: req.locale.rawValue,
            switchLangHref: path + "?" + query.joined(separator: "&"),
            switchLangLabel: req.t("lang.switchTo"),
            title: title,
            csrf: req.csrfToken,
            signedIn: actor != nil,
            userName: actor?.displayName ?? "",
            actingLabel: actor.map { "\($0.organizationName) · \(req.t("role.\($0.role.rawValue)"))" } ?? "",
            memberships: actor?.memberships.map {
                .init(
                    id: $0.id.uuidString.lowercased(), label: "\($0.organizationName) · \(req.t("role.\($0.role)"))",
                    active: $0.id == actor?.membershipID)
            } ?? [],
            canSwitch: (actor?.memberships.count ?? 0) > 1,
            nav: nav,
            flash: flashKey.flatMap { key in key.hasPrefix("flash.") ? req.t(key) : nil },
            unread: unread, inboxHref: SiteURL.inbox.path,
            inboxLabel: unread == 0 ? req.t("inbox.none") : req.t("inbox.unread", [String(unread)]))
    }

    /// Redirect after a successful action, with a message for the next page.
    static func redirect(_ url: SiteURL, flash: String?, _ req: Request) -> Response { redirect(to: url.path, flash: flash, req) }

    static func redirect(to path: String, flash: String?, _ req: Request) -> Response {
        let response = req.redirect(to: path, redirectType: .normal)
        if let flash { response.cookies[req.application.cookieNames.flash] = req.application.cookieNames.cookie(flash, maxAge: 60) }
        return response
    }

    /// A moment as pages show it: China Standard Time, to the minute ("—" for none).
    static func time(_ d: Date?) -> String {
        guard let d else { return "—" }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: d)
    }

    static func options<E: RawRepresentable & CaseIterable>(_: E.Type, prefix: String, selected: [String], _ req: Request) -> [ChoiceOption]
    where E.RawValue == String {
        E.allCases.map { ChoiceOption(value: $0.rawValue, label: req.t("\(prefix).\($0.rawValue)"), selected: selected.contains($0.rawValue)) }
    }

    static func regionOptions(selected: String?, _ req: Request) -> [ChoiceOption] {
        RegionCatalog.shared.regions.map { r in
            let label = RegionCatalog.shared.fullName(r.code) ?? r.name
            return ChoiceOption(value: r.code, label: "\(r.code) \(label)", selected: r.code == selected)
        }
    }

    /// Runs a form action; a validation failure or a broken rule re-renders the page (422) with the errors shown,
    /// nothing having been changed.
    static func attempt(
        _ req: Request, action: () async throws -> Response,
        onFailure: ([String: String]) async throws -> Response
    ) async throws -> Response {
        do {
            return try await action()
        } catch let failure as ValidationFailure {
            return try await onFailure(errors(failure, req))
        } catch DomainError.rule(let code, let args) {
            return try await onFailure(["form": req.t(code, args)])
        } catch DomainError.conflict(let code, let args) {
            return try await onFailure(["form": req.t(code, args)])
        }
    }

    /// Field errors keyed by field name, localized.
    static func errors(_ failure: ValidationFailure, _ req: Request) -> [String: String] {
        var map: [String: String] = [:]
        for e in failure.errors {
            let key = e.field.isEmpty ? "form" : e.field
            // Several rule problems (field "") are all shown; a field shows its first problem.
            if let shown = map[key] { if key == "form" { map[key] = shown + " " + req.t(e.code, e.args) } } else { map[key] = req.t(e.code, e.args) }
        }
        return map
    }
}

/// Server-side pagination for list pages (`?page=`).
struct Pagination: Encodable {
    let page: Int
    let pages: Int
    let total: Int
    let previousHref: String?
    let nextHref: String?
    let summary: String

    static let perPage = 20

    init(page: Int, total: Int, _ req: Request) {
        self.page = page
        self.total = total
        pages = max(1, (total + Self.perPage - 1) / Self.perPage)
        func href(_ p: Int) -> String {
            var q = (req.url.query ?? "").split(separator: "&").filter { !$0.hasPrefix("page=") }.map(String.init)
            q.append("page=\(p)")
            return req.url.path + "?" + q.joined(separator: "&")
        }
        previousHref = page > 1 ? href(page - 1) : nil
        nextHref = page < pages ? href(page + 1) : nil
        summary = req.t("list.pageSummary", [String(page), String(pages), String(total)])
    }

    static func requestedPage(_ req: Request) -> Int { max(1, min(100_000, req.query[Int.self, at: "page"] ?? 1)) }
}

enum ErrorPage {
    struct Body: Encodable {
        let status: Int
        let title: String
        let detail: String
        let signInHref: String?
        let requestId: String
    }

    static func render(_ problem: Problem, _ req: Request) async throws -> Response {
        let body = Body(
            status: problem.status, title: problem.title, detail: problem.detail,
            signInHref: problem.status == 401 ? SiteURL.login(next: nil).path : nil, requestId: req.requestID)
        return try await Page.render("error", title: problem.title, body, req, status: HTTPStatus(statusCode: problem.status))
    }
}
