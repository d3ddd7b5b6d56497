/// Registration states of an ecological chain: draft → submitted → approved, or returned
/// (with reasons) and then edited and submitted again.
public enum ChainStatus: String, Sendable, Codable, CaseIterable {
    case draft, submitted, approved, returned

    public enum Event: String, Sendable { case submit, approve, sendBack, edit }

    public enum Problem: String, Error, Sendable {
        case notAllowedInState = "chain.transition.notAllowed"
        case reasonRequired = "chain.returnReason.required"
        case thresholdsNotMet = "chain.thresholds.notMet"
    }

    /// The state after `event`, or an error when the event is not allowed now.
    public func applying(_ event: Event) throws(Problem) -> ChainStatus {
        switch (self, event) {
        case (.draft, .submit), (.returned, .submit): return .submitted
        case (.submitted, .approve): return .approved
        case (.submitted, .sendBack): return .returned
        case (.draft, .edit), (.returned, .edit): return self
        default: throw .notAllowedInState
        }
    }

    public var isEditable: Bool { self == .draft || self == .returned }
}

/// What a member brings to the chain (企业出岗位、出标准、出师傅；学校出学生、出教师、出资源；政府出政策、出服务、出管理).
public enum ChainContribution: String, Sendable, Codable, CaseIterable {
    case posts, standards, masters
    case students, teachers, teachingResources
    case policy, services, management

    /// The contributions usual for an organization kind, offered first in forms.
    public static func typical(for kind: OrganizationKind) -> [ChainContribution] {
        switch kind {
        case .enterprise: [.posts, .standards, .masters]
        case .governmentDepartment: [.policy, .services, .management]
        case .hrServiceAgency, .industryAssociation, .socialEvaluationOrganization: [.services, .standards]
        default: [.students, .teachers, .teachingResources]
        }
    }
}
