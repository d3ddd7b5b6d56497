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

    /// Roles that administer their own organization's people and accounts.
    public var isOrganizationAdmin: Bool { self == .enterpriseAdmin || self == .schoolAdmin }
}
