import Fluent
import Foundation
import SkillChainCore
import Vapor

struct MembershipInput: Content, Sendable {
    var username: String?
    var displayName: String?
    var password: String?
    var organizationId: UUID?
    var role: String?
}

struct MembershipResponse: Content {
    let id: UUID
    let userId: UUID
    let username: String
    let organizationId: UUID
    let role: String
    /// False once the membership or the whole user is deactivated.
    let active: Bool
}

struct AccountService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// The ids of accounts whose username or display name contains `text`.
    static func users(matching text: String, on db: any Database) async throws -> [UUID] {
        try await UserRecord.query(on: db).group(.or) { $0.filter(\.$username ~~ text.lowercased()).filter(\.$displayName ~~ text) }.all()
            .compactMap(\.id)
    }

    /// 2–40 characters: lowercase ASCII letters, digits, `.`, `_`, `-`; starting with a letter or digit.
    static func isValidUsername(_ s: String) -> Bool {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (2...40).contains(s.count), let first = s.first, first.isLetter || first.isNumber else { return false }
        return s.allSatisfy { allowed.contains($0) }
    }

    /// Creates the user if needed (with `password`) and adds the membership. Used by the CLI,
    /// the demo loader and `POST /api/v1/memberships`.
    @discardableResult
    func addMembership(_ input: MembershipInput, actor: Actor?) async throws -> MembershipRecord {
        var v = Validator()
        let username = v.required("username", input.username?.lowercased(), max: 40)
        if !username.isEmpty && !Self.isValidUsername(username) { v.add("username", "username.invalid") }
        let role = v.oneOf("role", input.role, Role.self)
        let displayName = v.optional("displayName", input.displayName, max: 50)
        if input.organizationId == nil { v.add("organizationId", "field.required") }
        let existing = username.isEmpty ? nil : try await UserRecord.query(on: app.db).filter(\.$username == username).first()
        let password = input.password ?? ""
        if existing == nil, let problem = Password.problem(password) { v.add("password", problem, [String(Password.minimumLength)]) }
        try v.check()
        let orgID = input.organizationId!
        if let actor, actor.role != .platformAdmin {
            try actor.require(.createMembership, actor.scope(owner: orgID))
            if !role!.assignable(by: actor.role) { throw DomainError.forbidden }
        }
        let newHash: String? = existing == nil ? try await app.passwordHasher.hash(password) : nil
        return try await app.write { db in
            guard let org = try await OrganizationRecord.find(orgID, on: db), let kind = OrganizationKind(rawValue: org.kind) else {
                throw ValidationFailure([FieldError("organizationId", "organization.unknown")])
            }
            guard role!.allowed(in: kind) else { throw ValidationFailure([FieldError("role", "role.notForKind")]) }
            let user: UserRecord
            if let u = try await UserRecord.query(on: db).filter(\.$username == username).first() {
                user = u
            } else {
                user = UserRecord()
                user.username = username
                user.displayName = displayName ?? username
                user.passwordHash = newHash ?? ""
                user.isActive = true
                user.mustChangePassword = false
                try await user.create(on: db)
            }
            if try await MembershipRecord.query(on: db).filter(\.$userID == user.id!).filter(\.$organizationID == orgID)
                .filter(\.$role == role!.rawValue).first() != nil
            {
                throw ValidationFailure([FieldError("role", "membership.exists")])
            }
            let m = MembershipRecord()
            m.userID = user.id!
            m.organizationID = orgID
            m.role = role!.rawValue
            try await m.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "membership.created", objectType: "membership", objectID: m.id?.uuidString.lowercased(),
                    detail: ["organization": orgID.uuidString.lowercased(), "role": m.role]), actor: actor, on: db, now: app.now)
            return m
        }
    }

    /// Memberships the actor may list: all (platform admin), their organization's (organization admins),
    /// or only their own.
    static func visibleMemberships(_ actor: Actor, on db: any Database) -> QueryBuilder<MembershipRecord> {
        let q = MembershipRecord.query(on: db)
        switch Policy.grant(actor.role, .createMembership) {
        case .all: break
        case .own, .region: q.filter(\.$organizationID == actor.organizationID)
        case .none: q.filter(\.$userID == actor.userID)
        }
        return q
    }

    /// Checks username and password (throttled); the first membership is the acting one.
    static func authenticate(username rawUsername: String, password: String, req: Request) async throws -> (UserRecord, MembershipRecord)? {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        try await LoginThrottle.check(req, username: username)
        let user = try await UserRecord.query(on: req.db).filter(\.$username == username).first()
        let hasher = req.application.passwordHasher
        let ok = try await hasher.verify(password, hash: user?.passwordHash ?? hasher.dummyHash)
        // A user whose every membership is deactivated cannot sign in, whatever the password.
        let active = try await Self.activeMemberships(userID: user?.id, on: req.db)
        guard ok, let user, user.isActive, let membership = active.first else {
            try await LoginThrottle.recordFailure(req, username: username)
            let address = req.clientAddress
            try await req.write { db in
                try await AuditLog.append(
                    .init(
                        action: "auth.login", objectType: "user", objectID: user?.id?.uuidString.lowercased(),
                        outcome: "failure", detail: ["address": address]), actor: nil, on: db, now: req.now)
            }
            return nil
        }
        try await LoginThrottle.recordSuccess(req, username: username)
        return (user, membership)
    }

    /// The memberships a user may act through, oldest first: not deactivated, in an organization that is not archived.
    static func activeMemberships(userID: UUID?, on db: any Database) async throws -> [MembershipRecord] {
        guard let userID else { return [] }
        let rows = try await MembershipRecord.query(on: db).filter(\.$userID == userID).filter(\.$deactivatedAt == nil).sort(\.$createdAt).all()
        let archived = Set(
            try await OrganizationRecord.query(on: db).filter(\.$id ~~ Set(rows.map(\.organizationID))).filter(\.$archivedAt != nil)
                .all().compactMap(\.id))
        return rows.filter { !archived.contains($0.organizationID) }
    }

    /// A new session (fresh id at every login); returns the cookie value. With a second factor enrolled the session
    /// waits for the code (`SecondFactorService.completeSignIn`) before it can act.
    static func startSession(user: UserRecord, membership: MembershipRecord, replacing old: String?, req: Request) async throws -> String {
        let token = req.application.random.token()
        let config = req.application.config
        let oldHash = old.map(Tokens.digest)
        let (agent, address) = (req.userAgentSummary, req.clientAddress)
        let pending = user.totpEnrolledAt != nil
        try await req.write { db in
            if let oldHash { try await BrowserSessionRecord.query(on: db).filter(\.$tokenHash == oldHash).delete() }
            let s = BrowserSessionRecord()
            let now = req.now
            s.tokenHash = Tokens.digest(token)
            s.userID = user.id!
            s.membershipID = membership.id!
            s.createdAt = now
            s.lastSeenAt = now
            s.expiresAt = now.addingTimeInterval(config.sessionAbsoluteLifetime)
            s.secondFactorPending = pending
            s.userAgent = agent
            s.address = address
            try await s.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "auth.login", objectType: "user", objectID: user.id?.uuidString.lowercased(),
                    detail: ["address": address]), actor: nil, on: db, now: req.now)
        }
        return token
    }

    func issueToken(
        user: UserRecord, membership: MembershipRecord, userAgent: String? = nil,
        address: String? = nil
    ) async throws -> (String, Date) {
        let token = app.random.token()
        let expires = app.now.addingTimeInterval(app.config.tokenLifetime)
        try await app.write { db in
            let t = APITokenRecord()
            t.tokenHash = Tokens.digest(token)
            t.userID = user.id!
            t.membershipID = membership.id!
            t.createdAt = app.now
            t.expiresAt = expires
            t.userAgent = userAgent
            t.address = address
            try await t.create(on: db)
            try await AuditLog.append(
                .init(action: "auth.tokenIssued", objectType: "apiToken", objectID: t.id?.uuidString.lowercased()),
                actor: nil, on: db, now: app.now)
        }
        return (token, expires)
    }
}

extension Request {
    /// The browser or client as its owner recognises it in their list of sessions (the User-Agent, shortened).
    var userAgentSummary: String? {
        headers.first(name: .userAgent).map { String($0.prefix(200)) }
    }
}

extension AccountService {
    /// Revokes the API token that authenticated `actor`'s request.
    func revokeToken(_ tokenID: UUID, actor: Actor) async throws {
        try await app.write { db in
            try await APITokenRecord.query(on: db).filter(\.$id == tokenID).set(\.$revokedAt, to: app.now).update()
            try await AuditLog.append(
                .init(action: "auth.tokenRevoked", objectType: "apiToken", objectID: tokenID.uuidString.lowercased()),
                actor: actor, on: db, now: app.now)
        }
    }

    /// Ends the browser session with this token digest (signing out); audited when the session had a user.
    func endSession(tokenHash: String, actor: Actor?) async throws {
        try await app.write { db in
            try await BrowserSessionRecord.query(on: db).filter(\.$tokenHash == tokenHash).delete()
            if let actor {
                try await AuditLog.append(
                    .init(action: "auth.logout", objectType: "user", objectID: actor.userID.uuidString.lowercased()),
                    actor: actor, on: db, now: app.now)
            }
        }
    }

    /// Makes `membership` the acting membership of a browser session.
    func switchMembership(session: UUID, to membership: UUID) async throws {
        try await app.write { db in
            try await BrowserSessionRecord.query(on: db).filter(\.$id == session).set(\.$membershipID, to: membership).update()
        }
    }
}
