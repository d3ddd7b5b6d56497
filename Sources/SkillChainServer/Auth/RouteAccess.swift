import SkillChainCore
import Vapor

/// What a route requires. Every route is registered with one (see `routes.swift`); a test walks
/// every route and fails if one was added without it.
enum RouteAccess: Sendable, Equatable {
    /// No login needed (health, login, public verification, the API description).
    case `public`
    /// A signed-in user whose role has some grant for `action`.
    case action(Action)
}

struct RouteAccessKey: Hashable {}

/// Enforces the route's `RouteAccess`: 401 (API) or a redirect to login (pages) without a user,
/// 403 when the role has no grant at all. Row-level scope is checked by the handler (404).
struct AccessMiddleware: AsyncMiddleware {
    let access: RouteAccess

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard case .action(let action) = access else { return try await next.respond(to: req) }
        guard let actor = req.actor else {
            if req.isAPI { throw Abort(.unauthorized) }
            let target = req.url.path + (req.url.query.map { "?" + $0 } ?? "")
            return req.redirect(to: SiteURL.login(next: req.method == .GET ? target : nil).path)
        }
        // A reset password or a required second factor comes first: until then only one's own account (and signing out).
        if actor.isRestricted && action != .manageOwnAccount && req.url.path != SiteURL.logout.path {
            if req.isAPI { throw DomainError.rule(code: actor.mustChangePassword ? "account.mustChangePassword" : "account.mustEnrolSecondFactor") }
            return req.redirect(to: SiteURL.ownAccount.path)
        }
        guard Policy.grant(actor.role, action) != .none else {
            req.logger.notice("authorization denied", metadata: ["action": .string(action.rawValue), "role": .string(actor.role.rawValue)])
            throw DomainError.forbidden
        }
        return try await next.respond(to: req)
    }
}

extension Request {
    var isAPI: Bool { url.path.hasPrefix("/api/") }
}

extension RoutesBuilder {
    /// Registers a page route at `url`'s address together with what it requires. Parameters are written as placeholders:
    /// `.organization(.routeID)`, `.occupation(":code")` (see `SiteURL.pattern`).
    @discardableResult
    func on<R: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ url: SiteURL, access: RouteAccess,
        body: HTTPBodyStreamStrategy = .collect,
        use handler: @Sendable @escaping (Request) async throws -> R
    ) -> Route {
        let route = grouped(AccessMiddleware(access: access)).on(method, url.pattern, body: body, use: handler)
        route.userInfo[RouteAccessKey()] = access
        return route
    }

    /// Registers a JSON API route (below `/api/v1`) together with what it requires.
    @discardableResult
    func on<R: AsyncResponseEncodable>(
        _ method: HTTPMethod, api url: APIURL, access: RouteAccess,
        body: HTTPBodyStreamStrategy = .collect,
        use handler: @Sendable @escaping (Request) async throws -> R
    ) -> Route {
        on(method, .api(url), access: access, body: body, use: handler)
    }
}
