import Fluent
import SkillChainCore
import Vapor

/// Resolves the acting user: bearer tokens under `/api`, the session cookie everywhere else.
/// Cookies are never accepted by the API, so the API needs no CSRF protection.
struct AuthenticationMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.url.path.hasPrefix("/api/") {
            if let bearer = req.headers.bearerAuthorization?.token {
                req.actor = try await actorForToken(bearer, req)
            }
        } else if let cookie = req.cookies[req.application.cookieNames.session]?.string, !cookie.isEmpty {
            req.actor = try await actorForSession(cookie, req)
        }
        return try await next.respond(to: req)
    }

    private func actorForToken(_ token: String, _ req: Request) async throws -> Actor? {
        let hash = Tokens.digest(token)
        let now = Date()
        guard let record = try await APITokenRecord.query(on: req.db).filter(\.$tokenHash == hash).first(),
              record.revokedAt == nil, record.expiresAt > now
        else { return nil }
        // Last use, for the owner's list of sessions and tokens: written at most every few minutes.
        if now.timeIntervalSince(record.lastUsedAt ?? .distantPast) > 300 {
            let id = record.id!
            try await req.write { db in try await APITokenRecord.query(on: db).filter(\.$id == id).set(\.$lastUsedAt, to: now).update() }
        }
        return try await ActorLoader.load(userID: record.userID, membershipID: record.membershipID, sessionID: nil, tokenID: record.id,
                                          secondFactor: req.application.config.secondFactor, on: req.db)
    }

    private func actorForSession(_ token: String, _ req: Request) async throws -> Actor? {
        let config = req.application.config
        let hash = Tokens.digest(token)
        // A session waiting for its second factor can only finish signing in (SecondFactorPages), never act.
        guard let session = try await BrowserSessionRecord.query(on: req.db).filter(\.$tokenHash == hash).first(),
              !session.secondFactorPending
        else { return nil }
        let now = Date()
        if session.expiresAt <= now || now.timeIntervalSince(session.lastSeenAt) > config.sessionIdleTimeout {
            let id = session.id
            _ = try? await req.write { db in try await BrowserSessionRecord.query(on: db).filter(\.$id == id!).delete() }
            return nil
        }
        // Touch at most every few minutes: idle timeout without a write per request.
        if now.timeIntervalSince(session.lastSeenAt) > 300 {
            let id = session.id!
            try await req.write { db in
                try await BrowserSessionRecord.query(on: db).filter(\.$id == id).set(\.$lastSeenAt, to: now).update()
            }
        }
        return try await ActorLoader.load(userID: session.userID, membershipID: session.membershipID, sessionID: session.id, tokenID: nil,
                                          secondFactor: config.secondFactor, on: req.db)
    }
}
