import Fluent
import SkillChainCore
import Vapor

/// Who is acting: the signed-in user and the membership (organization + role) they act through.
struct Actor: Sendable {
    let userID: UUID
    let username: String
    let displayName: String
    let membershipID: UUID
    let organizationID: UUID
    let organizationName: String
    let organizationKind: OrganizationKind
    let organizationRegion: String
    let role: Role
    /// The person record this user is (learners: their own enrollments and agreements).
    let personID: UUID?
    /// Every membership of the user, for the switcher.
    let memberships: [MembershipSummary]
    let sessionID: UUID?
    let tokenID: UUID?
    /// Set by a reset link: only choosing a new password (and signing out) is possible until it is done.
    var mustChangePassword = false
    /// The role requires a second factor and the grace period is over: only enrolling (and signing out) is possible.
    var mustEnrolSecondFactor = false

    /// Whether the actor may only finish their own account set-up before anything else.
    var isRestricted: Bool { mustChangePassword || mustEnrolSecondFactor }

    struct MembershipSummary: Sendable, Encodable {
        let id: UUID
        let organizationName: String
        let role: String
    }

    /// Where a row owned by `organizationID` (in `region`) sits relative to this actor.
    func scope(owner: UUID, region: String? = nil) -> Scope {
        if owner == organizationID { return .own }
        if role == .governmentOfficer, let region, RegionCatalog.shared.contains(organizationRegion, region) { return .inRegion }
        return .other
    }

    func can(_ action: Action, _ scope: Scope) -> Bool { Policy.allows(role, action, scope) }

    /// Throws 404 (not 403) for rows the actor may not see, so their existence is not revealed.
    func require(_ action: Action, _ scope: Scope) throws {
        guard can(action, scope) else { throw DomainError.notFound }
    }
}

extension Request {
    private struct ActorKey: StorageKey { typealias Value = Actor }
    var actor: Actor? {
        get { storage[ActorKey.self] }
        set { storage[ActorKey.self] = newValue }
    }

    func requireActor() throws -> Actor {
        guard let a = actor else { throw Abort(.unauthorized) }
        return a
    }
}

enum ActorLoader {
    enum Credential: String, Sendable { case session, token }

    /// An actor found for a credential, with what the caller needs to judge the credential's age.
    struct Found: Sendable {
        let actor: Actor
        let expiresAt: Date
        /// The session's last-seen or the token's last-used time (its creation when never used).
        let touchedAt: Date
    }

    /// The actor behind a session cookie's or bearer token's digest, in one query: the credential joined to its user, the
    /// user's active memberships and their organizations. Nil for an unknown, revoked or half-finished (second factor
    /// pending) credential, a disabled user, or an acting membership that is gone or whose organization is archived.
    static func load(
        _ kind: Credential, digest: String, secondFactor: AccountRules.SecondFactorRule, now: Date,
        on db: any Database
    ) async throws -> Found? {
        switch kind {
        case .session:
            let rows = try await BrowserSessionRecord.query(on: db).filter(\.$tokenHash == digest)
                .filter(\.$secondFactorPending == false)
                .join(UserRecord.self, on: \UserRecord.$id == \BrowserSessionRecord.$userID)
                .join(MembershipRecord.self, on: \MembershipRecord.$userID == \BrowserSessionRecord.$userID)
                .filter(MembershipRecord.self, \.$deactivatedAt == nil)
                .join(OrganizationRecord.self, on: \OrganizationRecord.$id == \MembershipRecord.$organizationID)
                .all()
            guard let session = rows.first else { return nil }
            let user = try session.joined(UserRecord.self)
            let memberships = try rows.map { (try $0.joined(MembershipRecord.self), try $0.joined(OrganizationRecord.self)) }
            guard
                let actor = assemble(
                    user: user, memberships: memberships, acting: session.membershipID, sessionID: session.id,
                    tokenID: nil, secondFactor: secondFactor, now: now)
            else { return nil }
            return Found(actor: actor, expiresAt: session.expiresAt, touchedAt: session.lastSeenAt)
        case .token:
            let rows = try await APITokenRecord.query(on: db).filter(\.$tokenHash == digest).filter(\.$revokedAt == nil)
                .join(UserRecord.self, on: \UserRecord.$id == \APITokenRecord.$userID)
                .join(MembershipRecord.self, on: \MembershipRecord.$userID == \APITokenRecord.$userID)
                .filter(MembershipRecord.self, \.$deactivatedAt == nil)
                .join(OrganizationRecord.self, on: \OrganizationRecord.$id == \MembershipRecord.$organizationID)
                .all()
            guard let token = rows.first else { return nil }
            let user = try token.joined(UserRecord.self)
            let memberships = try rows.map { (try $0.joined(MembershipRecord.self), try $0.joined(OrganizationRecord.self)) }
            guard
                let actor = assemble(
                    user: user, memberships: memberships, acting: token.membershipID, sessionID: nil,
                    tokenID: token.id, secondFactor: secondFactor, now: now)
            else { return nil }
            return Found(actor: actor, expiresAt: token.expiresAt, touchedAt: token.lastUsedAt ?? token.createdAt)
        }
    }

    /// Builds the actor for a user acting through `membershipID`, or nil when either is gone or the user is disabled.
    static func load(
        userID: UUID, membershipID: UUID, sessionID: UUID?, tokenID: UUID?, secondFactor: AccountRules.SecondFactorRule = .init(),
        now: Date, on db: any Database
    ) async throws -> Actor? {
        guard let user = try await UserRecord.find(userID, on: db) else { return nil }
        let rows = try await MembershipRecord.query(on: db).filter(\.$userID == userID).filter(\.$deactivatedAt == nil)
            .join(OrganizationRecord.self, on: \OrganizationRecord.$id == \MembershipRecord.$organizationID).all()
        return assemble(
            user: user, memberships: try rows.map { ($0, try $0.joined(OrganizationRecord.self)) }, acting: membershipID,
            sessionID: sessionID, tokenID: tokenID, secondFactor: secondFactor, now: now)
    }

    /// The actor from a user and their active memberships with organizations. Deactivated memberships (filtered out by the
    /// caller) and archived organizations act for nobody, from the next request on (not at the session's expiry).
    private static func assemble(
        user: UserRecord, memberships: [(MembershipRecord, OrganizationRecord)], acting membershipID: UUID,
        sessionID: UUID?, tokenID: UUID?, secondFactor: AccountRules.SecondFactorRule, now: Date
    ) -> Actor? {
        guard user.isActive, let userID = user.id,
            let (acting, org) = memberships.first(where: { $0.0.id == membershipID }),
            let role = Role(rawValue: acting.role),
            org.archivedAt == nil, let kind = OrganizationKind(rawValue: org.kind)
        else { return nil }
        var actor = Actor(
            userID: userID, username: user.username, displayName: user.displayName,
            membershipID: membershipID, organizationID: acting.organizationID, organizationName: org.name,
            organizationKind: kind, organizationRegion: org.regionCode, role: role, personID: user.personID,
            memberships: memberships.sorted {
                ($0.0.createdAt ?? .distantPast, $0.0.id!.uuidString) < ($1.0.createdAt ?? .distantPast, $1.0.id!.uuidString)
            }
            .compactMap { m, o in
                guard let id = m.id, o.archivedAt == nil else { return nil }
                return Actor.MembershipSummary(id: id, organizationName: o.name, role: m.role)
            },
            sessionID: sessionID, tokenID: tokenID)
        actor.mustChangePassword = user.mustChangePassword
        actor.mustEnrolSecondFactor = secondFactor.mustEnrol(
            role: role, enrolled: user.totpEnrolledAt != nil,
            accountCreated: user.createdAt ?? now, now: now)
        return actor
    }
}
