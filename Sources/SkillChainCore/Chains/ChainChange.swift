/// A change to the membership of an approved chain is a request the bureau decides: the approved membership is what the
/// bureau registered, so the lead cannot change it alone.
public enum ChainChangeKind: String, Sendable, Codable, CaseIterable { case add, remove, change }

public enum ChainChangeStatus: String, Sendable, Codable, CaseIterable {
    case pending, approved, returned
}

public enum ChainChangeDecision: String, Sendable, Codable, CaseIterable { case approve, `return` }

public enum ChainChangeRules {
    /// Why a request cannot be made now, if it cannot.
    public static func problems(chain: ChainStatus, kind: ChainChangeKind, isMember: Bool, isLead: Bool, hasPending: Bool) -> [FieldError] {
        var out: [FieldError] = []
        if chain != .approved { out.append(FieldError("", "chainChange.onlyApproved")) }
        if hasPending { out.append(FieldError("organizationId", "chainChange.pending")) }
        switch kind {
        case .add: if isMember { out.append(FieldError("organizationId", "chain.member.already")) }
        case .remove, .change:
            if !isMember { out.append(FieldError("organizationId", "chainChange.notMember")) }
            if kind == .remove && isLead { out.append(FieldError("organizationId", "chain.member.leadStays")) }
        }
        return out
    }
}
