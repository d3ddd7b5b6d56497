import Fluent
import SkillChainCore
import Vapor

/// Resolves the acting user: bearer tokens under `/api`, the session cookie everywhere else.
/// Cookies are never accepted by the API, so the API needs no CSRF protection.
///
/// A credential is resolved in one query (credential → user → memberships → organizations) and remembered for a few
/// seconds in the instance's `ActorCache`, which every request that may change data clears when it finishes.
struct AuthenticationMiddleware: AsyncMiddleware {
    /// The last-use time of a session or token is written at most this often.
    static let touchEvery: TimeInterval = 300

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.url.path.hasPrefix("/api/") {
            if let bearer = req.headers.bearerAuthorization?.token {
                req.actor = try await resolve(.token, Tokens.digest(bearer), req)
            }
        } else if let cookie = req.cookies[req.application.cookieNames.session]?.string, !cookie.isEmpty {
            req.actor = try await resolve(.session, Tokens.digest(cookie), req)
        }
        guard ![.GET, .HEAD, .OPTIONS].contains(req.method) else { return try await next.respond(to: req) }
        // Whatever this request changed (a sign-out, a revoked token, a role) holds from the next request on.
        defer { req.application.actorCache.clear() }
        return try await next.respond(to: req)
    }

    private func resolve(_ kind: ActorLoader.Credential, _ digest: String, _ req: Request) async throws -> Actor? {
        let cache = req.application.actorCache
        let now = req.now
        let key = kind.rawValue + ":" + digest
        if let actor = cache.lookup(key, now: now, touchEvery: Self.touchEvery) {
            AppMetrics.actorResolved(cached: true)
            return actor
        }
        AppMetrics.actorResolved(cached: false)
        let generation = cache.generation
        let config = req.application.config
        guard let found = try await ActorLoader.load(kind, digest: digest, secondFactor: config.secondFactor, now: now, on: req.db)
        else { return nil }
        let idle = kind == .session ? config.sessionIdleTimeout : .infinity
        if found.expiresAt <= now || now.timeIntervalSince(found.touchedAt) > idle {
            if kind == .session, let id = found.actor.sessionID {
                _ = try? await req.write { db in try await BrowserSessionRecord.query(on: db).filter(\.$id == id).delete() }
            }
            return nil
        }
        var touchedAt = found.touchedAt
        // Touch at most every few minutes: idle timeout and "last used" without a write per request.
        if now.timeIntervalSince(found.touchedAt) > Self.touchEvery {
            try await req.write { db in
                switch kind {
                case .session:
                    try await BrowserSessionRecord.query(on: db).filter(\.$id == found.actor.sessionID!).set(\.$lastSeenAt, to: now).update()
                case .token:
                    try await APITokenRecord.query(on: db).filter(\.$id == found.actor.tokenID!).set(\.$lastUsedAt, to: now).update()
                }
            }
            touchedAt = now
        }
        cache.store(
            key, .init(actor: found.actor, storedAt: now, credentialExpiresAt: found.expiresAt, touchedAt: touchedAt),
            loadedAt: generation)
        return found.actor
    }
}
