/// Roles a membership can carry (DESIGN.md, "Who uses it").
public enum Role: String, Sendable, Codable, CaseIterable {
    case platformAdmin, governmentOfficer, enterpriseAdmin, master, schoolAdmin, teacher, assessor, supervisor, learner

    /// Which organization kinds a membership with this role may belong to.
    public func allowed(in kind: OrganizationKind) -> Bool {
        switch self {
        case .platformAdmin: true
        case .governmentOfficer: kind == .governmentDepartment
        case .enterpriseAdmin, .master: kind == .enterprise
        case .schoolAdmin, .teacher: kind.isEducation
        case .assessor, .supervisor: kind == .enterprise || kind == .socialEvaluationOrganization || kind.isEducation
        case .learner: kind != .governmentDepartment
        }
    }

    /// Whether someone acting as `granter` may give this role: only the platform admin hands out
    /// platform-admin and government-officer memberships; organization admins give their staff's roles.
    public func assignable(by granter: Role) -> Bool {
        granter == .platformAdmin || (self != .platformAdmin && self != .governmentOfficer)
    }

    /// Roles that administer their own organization's people and accounts.
    public var isOrganizationAdmin: Bool { self == .enterpriseAdmin || self == .schoolAdmin }
}
