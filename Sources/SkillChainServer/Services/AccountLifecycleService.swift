import Fluent
import Foundation
import SkillChainCore
import Vapor

struct PasswordChangeInput: Content, Sendable {
    var currentPassword: String?
    var newPassword: String?
    var confirmPassword: String?
}

struct SessionResponse: Content {
    /// `session` (a browser sign-in) or `token` (an API bearer token).
    let kind: String
    let id: UUID
    let createdAt: Date
    let lastUsedAt: Date?
    let expiresAt: Date
    let userAgent: String?
    let address: String?
    let current: Bool
}

struct PasswordResetResponse: Content {
    let url: String
    let expiresAt: Date
}

/// An account's life after creation: changing one's password, deactivating and reactivating memberships and users,
/// one-time reset links, and one's own sessions and tokens. Each change is one transaction with its audit entry.
struct AccountLifecycleService {
    let app: Application

    init(_ app: Application) { self.app = app }

    // MARK: Own password

    /// Needs the current password; every other session and token of the user ends (the one in use stays).
    func changePassword(_ input: PasswordChangeInput, actor: Actor) async throws {
        var v = Validator()
        let current = input.currentPassword ?? ""
        let new = input.newPassword ?? ""
        if current.isEmpty { v.add("currentPassword", "field.required") }
        if let problem = Password.problem(new) { v.add("newPassword", problem, [String(Password.minimumLength)]) }
        if let confirm = input.confirmPassword, confirm != new { v.add("confirmPassword", "password.mismatch") }
        if !current.isEmpty && current == new { v.add("newPassword", "password.sameAsCurrent") }
        try v.check()
        guard let user = try await UserRecord.find(actor.userID, on: app.db) else { throw DomainError.notFound }
        guard try await app.passwordHasher.verify(current, hash: user.passwordHash) else {
            throw ValidationFailure([FieldError("currentPassword", "password.currentWrong")])
        }
        let hash = try await app.passwordHasher.hash(new)
        try await app.write { db in
            guard let row = try await UserRecord.find(actor.userID, on: db) else { throw DomainError.notFound }
            row.passwordHash = hash
            row.mustChangePassword = false
            row.passwordChangedAt = app.now
            try await row.update(on: db)
            try await Self.endAccess(userID: actor.userID, keepSession: actor.sessionID, keepToken: actor.tokenID, now: app.now, on: db)
            try await AuditLog.append(
                .init(action: "account.passwordChanged", objectType: "user", objectID: actor.userID.uuidString.lowercased()),
                actor: actor, on: db, now: app.now)
        }
    }

    /// Ends every session and revokes every token of a user (or of one membership), except those named.
    static func endAccess(userID: UUID, membershipID: UUID? = nil, keepSession: UUID? = nil, keepToken: UUID? = nil, now: Date, on db: any Database)
        async throws
    {
        let sessions = BrowserSessionRecord.query(on: db).filter(\.$userID == userID)
        if let membershipID { sessions.filter(\.$membershipID == membershipID) }
        if let keepSession { sessions.filter(\.$id != keepSession) }
        try await sessions.delete()
        let tokens = APITokenRecord.query(on: db).filter(\.$userID == userID).filter(\.$revokedAt == nil)
        if let membershipID { tokens.filter(\.$membershipID == membershipID) }
        if let keepToken { tokens.filter(\.$id != keepToken) }
        try await tokens.set(\.$revokedAt, to: now).update()
    }

    // MARK: Own sessions and tokens

    static func sessions(of actor: Actor, now: Date, on db: any Database) async throws -> [SessionResponse] {
        let sessions = try await BrowserSessionRecord.query(on: db).filter(\.$userID == actor.userID).filter(\.$expiresAt > now)
            .sort(\.$lastSeenAt, .descending).all()
        let tokens = try await APITokenRecord.query(on: db).filter(\.$userID == actor.userID).filter(\.$revokedAt == nil)
            .filter(\.$expiresAt > now).sort(\.$createdAt, .descending).all()
        return sessions.filter { !$0.secondFactorPending }.map {
            SessionResponse(
                kind: "session", id: $0.id!, createdAt: $0.createdAt, lastUsedAt: $0.lastSeenAt, expiresAt: $0.expiresAt,
                userAgent: $0.userAgent, address: $0.address, current: $0.id == actor.sessionID)
        }
            + tokens.map {
                SessionResponse(
                    kind: "token", id: $0.id!, createdAt: $0.createdAt, lastUsedAt: $0.lastUsedAt, expiresAt: $0.expiresAt,
                    userAgent: $0.userAgent, address: $0.address, current: $0.id == actor.tokenID)
            }
    }

    /// Ends one of the actor's own sessions or tokens (another user's id is not found).
    func endOwn(_ id: UUID, actor: Actor) async throws {
        try await app.write { db in
            if let s = try await BrowserSessionRecord.find(id, on: db), s.userID == actor.userID {
                try await s.delete(on: db)
            } else if let t = try await APITokenRecord.find(id, on: db), t.userID == actor.userID, t.revokedAt == nil {
                t.revokedAt = app.now
                try await t.update(on: db)
            } else {
                throw DomainError.notFound
            }
            try await AuditLog.append(
                .init(
                    action: "account.sessionEnded", objectType: "user", objectID: actor.userID.uuidString.lowercased(),
                    detail: ["session": id.uuidString.lowercased()]), actor: actor, on: db, now: app.now)
        }
    }

    // MARK: Memberships and users (organization admins, platform admin)

    static func fact(_ m: MembershipRecord) -> AccountRules.MembershipFact? {
        Role(rawValue: m.role).map { AccountRules.MembershipFact(id: m.id!, organization: m.organizationID, role: $0) }
    }

    /// The membership if the actor may manage it; other organizations' memberships are not found.
    static func managedMembership(_ id: UUID, actor: Actor, on db: any Database) async throws -> MembershipRecord {
        guard let m = try await MembershipRecord.find(id, on: db), let f = Self.fact(m) else { throw DomainError.notFound }
        try actor.require(.manageAccounts, actor.scope(owner: m.organizationID))
        guard AccountRules.mayManageMembership(actorRole: actor.role, actorOrganization: actor.organizationID, actorMembership: actor.membershipID, f)
        else { throw DomainError.rule(code: "account.notYours") }
        return m
    }

    /// Deactivates (`active == false`) or reactivates a membership; deactivation ends its sessions and tokens at once.
    func setMembershipActive(_ id: UUID, active: Bool, actor: Actor) async throws -> MembershipRecord {
        _ = try await Self.managedMembership(id, actor: actor, on: app.db)
        return try await app.write { db in
            guard let m = try await MembershipRecord.find(id, on: db) else { throw DomainError.notFound }
            if (m.deactivatedAt == nil) == active { throw DomainError.conflict(code: active ? "account.alreadyActive" : "account.alreadyInactive") }
            m.deactivatedAt = active ? nil : app.now
            try await m.update(on: db)
            if !active { try await Self.endAccess(userID: m.userID, membershipID: id, now: app.now, on: db) }
            try await AuditLog.append(
                .init(
                    action: active ? "membership.reactivated" : "membership.deactivated", objectType: "membership",
                    objectID: id.uuidString.lowercased(), detail: ["organization": m.organizationID.uuidString.lowercased(), "role": m.role]),
                actor: actor, on: db, now: app.now)
            return m
        }
    }

    /// The user behind a membership, if the actor may manage the whole user (all their memberships are the actor's).
    static func managedUser(ofMembership id: UUID, actor: Actor, on db: any Database) async throws -> UserRecord {
        let m = try await Self.managedMembership(id, actor: actor, on: db)
        let all = try await MembershipRecord.query(on: db).filter(\.$userID == m.userID).all().compactMap(fact)
        guard
            AccountRules.mayManageUser(
                actorRole: actor.role, actorOrganization: actor.organizationID, actorMembership: actor.membershipID, memberships: all),
            let user = try await UserRecord.find(m.userID, on: db)
        else { throw DomainError.rule(code: "account.userElsewhere") }
        return user
    }

    /// Deactivates or reactivates the whole user behind a membership: every session and token ends at once.
    func setUserActive(ofMembership id: UUID, active: Bool, actor: Actor) async throws {
        let user = try await Self.managedUser(ofMembership: id, actor: actor, on: app.db)
        let userID = user.id!
        try await app.write { db in
            guard let u = try await UserRecord.find(userID, on: db) else { throw DomainError.notFound }
            if u.isActive == active { throw DomainError.conflict(code: active ? "account.alreadyActive" : "account.alreadyInactive") }
            u.isActive = active
            try await u.update(on: db)
            if !active { try await Self.endAccess(userID: userID, now: app.now, on: db) }
            try await AuditLog.append(
                .init(action: active ? "user.reactivated" : "user.deactivated", objectType: "user", objectID: userID.uuidString.lowercased()),
                actor: actor, on: db, now: app.now)
        }
    }

    /// A one-time link, valid 30 minutes, shown once to the admin; until the user has chosen a new password they can do
    /// nothing else. Earlier unused links of the user stop working.
    func createResetLink(ofMembership id: UUID, actor: Actor) async throws -> PasswordResetResponse {
        let user = try await Self.managedUser(ofMembership: id, actor: actor, on: app.db)
        let userID = user.id!
        let token = app.random.token()
        let now = app.now
        let expires = now.addingTimeInterval(AccountRules.resetLinkLifetimeSeconds)
        try await app.write { db in
            try await PasswordResetRecord.query(on: db).filter(\.$userID == userID).filter(\.$usedAt == nil).set(\.$usedAt, to: now).update()
            let r = PasswordResetRecord()
            r.userID = userID
            r.tokenHash = Tokens.digest(token)
            r.createdBy = actor.userID
            r.createdAt = now
            r.expiresAt = expires
            try await r.create(on: db)
            try await UserRecord.query(on: db).filter(\.$id == userID).set(\.$mustChangePassword, to: true).update()
            try await AuditLog.append(
                .init(action: "account.resetLinkCreated", objectType: "user", objectID: userID.uuidString.lowercased()),
                actor: actor, on: db, now: app.now)
        }
        return PasswordResetResponse(url: CertificateService(app).baseURL() + SiteURL.passwordReset(token: token).path, expiresAt: expires)
    }

    /// The reset link's user, if the link is unused and in time.
    static func resetTarget(_ token: String, now: Date, on db: any Database) async throws -> (PasswordResetRecord, UserRecord)? {
        guard !token.isEmpty, token.count <= 100,
            let r = try await PasswordResetRecord.query(on: db).filter(\.$tokenHash == Tokens.digest(token)).first(),
            r.usedAt == nil, r.expiresAt > now,
            let user = try await UserRecord.find(r.userID, on: db), user.isActive
        else { return nil }
        return (r, user)
    }

    /// Uses a reset link: the new password is set, the link is spent and every session and token of the user ends.
    func useResetLink(_ token: String, newPassword: String, confirm: String?) async throws -> UserRecord {
        var v = Validator()
        if let problem = Password.problem(newPassword) { v.add("newPassword", problem, [String(Password.minimumLength)]) }
        if let confirm, confirm != newPassword { v.add("confirmPassword", "password.mismatch") }
        try v.check()
        guard try await Self.resetTarget(token, now: app.now, on: app.db) != nil else { throw DomainError.rule(code: "account.resetLinkInvalid") }
        let hash = try await app.passwordHasher.hash(newPassword)
        return try await app.write { db in
            // Spent inside the transaction, so two uses of one link cannot both succeed.
            guard let (r, user) = try await Self.resetTarget(token, now: app.now, on: db) else {
                throw DomainError.rule(code: "account.resetLinkInvalid")
            }
            r.usedAt = app.now
            try await r.update(on: db)
            user.passwordHash = hash
            user.mustChangePassword = false
            user.passwordChangedAt = app.now
            try await user.update(on: db)
            try await Self.endAccess(userID: user.id!, now: app.now, on: db)
            try await AuditLog.append(
                .init(action: "account.passwordReset", objectType: "user", objectID: user.id!.uuidString.lowercased()),
                actor: nil, on: db, now: app.now)
            return user
        }
    }
}
