/// The kinds of organization that take part in a skills ecological chain (DOMAIN.md §1, §9).
public enum OrganizationKind: String, Sendable, Codable, CaseIterable {
    case enterprise
    case vocationalCollege
    case technicalCollege
    case university
    case trainingInstitution
    case socialEvaluationOrganization
    case hrServiceAgency
    case industryAssociation
    case governmentDepartment

    /// Schools and training bodies: the side that provides students, teachers and resources.
    public var isEducation: Bool {
        switch self {
        case .vocationalCollege, .technicalCollege, .university, .trainingInstitution: true
        default: false
        }
    }
}

/// Enterprise qualifications that chain rules look at.
public struct EnterpriseFlags: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let chainLeader = EnterpriseFlags(rawValue: 1 << 0)
    public static let leadingEnterprise = EnterpriseFlags(rawValue: 1 << 1)
    public static let specialisedSME = EnterpriseFlags(rawValue: 1 << 2)
    public static let aboveDesignatedSize = EnterpriseFlags(rawValue: 1 << 3)
    public static let stateOwned = EnterpriseFlags(rawValue: 1 << 4)

    public static let all: [(name: String, flag: EnterpriseFlags)] = [
        ("chainLeader", .chainLeader), ("leadingEnterprise", .leadingEnterprise),
        ("specialisedSME", .specialisedSME), ("aboveDesignatedSize", .aboveDesignatedSize),
        ("stateOwned", .stateOwned),
    ]

    public var names: [String] { Self.all.filter { contains($0.flag) }.map(\.name) }

    public init(names: [String]) {
        self = Self.all.filter { names.contains($0.name) }.reduce(into: []) { $0.insert($1.flag) }
    }
}
