import Foundation

/// Who may end, restore or reset whose access. Accounts are never deleted: a membership or a user is deactivated, and
/// a deactivated one acts for nobody from the next request on.
public enum AccountRules {
    /// A membership as the rules see it.
    public struct MembershipFact: Sendable, Equatable {
        public let id: UUID
        public let organization: UUID
        public let role: Role
        public init(id: UUID, organization: UUID, role: Role) {
            self.id = id
            self.organization = organization
            self.role = role
        }
    }

    /// An admin deactivates or reactivates a membership of their own organization with a role they could have given,
    /// never their own (nobody locks themself out); the platform admin any membership but their own.
    public static func mayManageMembership(actorRole: Role, actorOrganization: UUID, actorMembership: UUID, _ m: MembershipFact) -> Bool {
        guard m.id != actorMembership else { return false }
        if actorRole == .platformAdmin { return true }
        return actorRole.isOrganizationAdmin && m.organization == actorOrganization && m.role.assignable(by: actorRole)
    }

    /// Resetting a password or deactivating a whole user changes every membership of that user: an organization admin
    /// may do it only when all of them are in their own organization (otherwise it is the platform admin's call).
    public static func mayManageUser(actorRole: Role, actorOrganization: UUID, actorMembership: UUID, memberships: [MembershipFact]) -> Bool {
        guard !memberships.isEmpty, !memberships.contains(where: { $0.id == actorMembership }) else { return false }
        if actorRole == .platformAdmin { return true }
        return memberships.allSatisfy {
            mayManageMembership(actorRole: actorRole, actorOrganization: actorOrganization, actorMembership: actorMembership, $0)
        }
    }

    /// How long a password reset link works.
    public static let resetLinkLifetimeSeconds: Double = 30 * 60

    /// Roles that must use a second factor (`SKILLCHAIN_REQUIRE_TOTP_ROLES`) and the days a new account has to enrol.
    public struct SecondFactorRule: Sendable, Equatable {
        public var roles: Set<Role> = []
        public var graceDays = 14
        public init(roles: Set<Role> = [], graceDays: Int = 14) {
            self.roles = roles
            self.graceDays = graceDays
        }

        /// Whether a user acting as `role`, not enrolled, must enrol before doing anything else.
        public func mustEnrol(role: Role, enrolled: Bool, accountCreated: Date, now: Date) -> Bool {
            guard roles.contains(role), !enrolled else { return false }
            return now.timeIntervalSince(accountCreated) >= Double(graceDays) * 86_400
        }

        /// An enrolled user of a required role may not switch the second factor off.
        public func mayDisable(roles held: [Role]) -> Bool { held.allSatisfy { !roles.contains($0) } }
    }
}
