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
    /// Builds the actor for a user acting through `membershipID`, or nil when either is gone or the user is disabled.
    static func load(userID: UUID, membershipID: UUID, sessionID: UUID?, tokenID: UUID?, secondFactor: AccountRules.SecondFactorRule = .init(),
                     now: Date = Date(), on db: any Database) async throws -> Actor? {
        guard let user = try await UserRecord.find(userID, on: db), user.isActive else { return nil }
        // Deactivated memberships act for nobody, from the next request on (not at the session's expiry).
        let memberships = try await MembershipRecord.query(on: db).filter(\.$userID == userID).filter(\.$deactivatedAt == nil).all()
        guard let acting = memberships.first(where: { $0.id == membershipID }),
              let role = Role(rawValue: acting.role)
        else { return nil }
        let orgIDs = Set(memberships.map(\.organizationID))
        let orgs = try await OrganizationRecord.query(on: db).filter(\.$id ~~ orgIDs).all()
        let byID = Dictionary(uniqueKeysWithValues: orgs.compactMap { o in o.id.map { ($0, o) } })
        // An archived organization's memberships act for nobody (its logins stop from the next request).
        guard let org = byID[acting.organizationID], org.archivedAt == nil, let kind = OrganizationKind(rawValue: org.kind) else { return nil }
        var actor = Actor(
            userID: userID, username: user.username, displayName: user.displayName,
            membershipID: membershipID, organizationID: acting.organizationID, organizationName: org.name,
            organizationKind: kind, organizationRegion: org.regionCode, role: role, personID: user.personID,
            memberships: memberships.compactMap { m in
                guard let id = m.id, let o = byID[m.organizationID], o.archivedAt == nil else { return nil }
                return Actor.MembershipSummary(id: id, organizationName: o.name, role: m.role)
            },
            sessionID: sessionID, tokenID: tokenID)
        actor.mustChangePassword = user.mustChangePassword
        actor.mustEnrolSecondFactor = secondFactor.mustEnrol(role: role, enrolled: user.totpEnrolledAt != nil,
                                                             accountCreated: user.createdAt ?? now, now: now)
        return actor
    }
}
