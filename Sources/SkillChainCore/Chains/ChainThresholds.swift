/// Registration thresholds for a chain. Defaults follow Shenzhen's chain-leader conditions
/// (DOMAIN.md §1: ≥ 5 member enterprises, ≥ 300 posts); provinces differ, so they are configuration.
public struct ChainThresholds: Sendable, Codable, Equatable {
    public var minimumMemberEnterprises: Int
    public var minimumPosts: Int
    public var requireEducationPartner: Bool

    public init(minimumMemberEnterprises: Int = 5, minimumPosts: Int = 300, requireEducationPartner: Bool = true) {
        self.minimumMemberEnterprises = minimumMemberEnterprises
        self.minimumPosts = minimumPosts
        self.requireEducationPartner = requireEducationPartner
    }
}

/// The facts about a chain that the thresholds are checked against.
public struct ChainFacts: Sendable {
    public var memberKinds: [OrganizationKind]
    public var postsOffered: Int
    public var leadIsQualified: Bool

    public init(memberKinds: [OrganizationKind], postsOffered: Int, leadIsQualified: Bool) {
        self.memberKinds = memberKinds
        self.postsOffered = postsOffered
        self.leadIsQualified = leadIsQualified
    }
}

/// One line of the submission checklist: a localization key, the required and actual values, and the result.
public struct ChainCheck: Sendable, Codable, Equatable {
    public let key: String
    public let required: Int
    public let actual: Int
    public let passed: Bool

    public init(key: String, required: Int, actual: Int, passed: Bool) {
        self.key = key
        self.required = required
        self.actual = actual
        self.passed = passed
    }
}

public enum ChainRules {
    /// The checklist shown at submission. Member enterprises count the lead enterprise too.
    public static func checks(_ facts: ChainFacts, thresholds: ChainThresholds) -> [ChainCheck] {
        let enterprises = facts.memberKinds.filter { $0 == .enterprise }.count
        let education = facts.memberKinds.filter(\.isEducation).count
        var list = [
            ChainCheck(
                key: "chain.check.memberEnterprises", required: thresholds.minimumMemberEnterprises,
                actual: enterprises, passed: enterprises >= thresholds.minimumMemberEnterprises),
            ChainCheck(
                key: "chain.check.posts", required: thresholds.minimumPosts,
                actual: facts.postsOffered, passed: facts.postsOffered >= thresholds.minimumPosts),
            ChainCheck(
                key: "chain.check.leadQualified", required: 1,
                actual: facts.leadIsQualified ? 1 : 0, passed: facts.leadIsQualified),
        ]
        if thresholds.requireEducationPartner {
            list.append(ChainCheck(key: "chain.check.educationPartner", required: 1, actual: education, passed: education >= 1))
        }
        return list
    }

    /// A lead enterprise qualifies when it carries one of the qualifications DOMAIN.md §1 lists.
    public static func leadQualifies(_ flags: EnterpriseFlags) -> Bool {
        !flags.intersection([.chainLeader, .leadingEnterprise, .specialisedSME, .aboveDesignatedSize, .stateOwned]).isEmpty
    }
}
