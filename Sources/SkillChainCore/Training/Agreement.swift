import Foundation

/// The two agreements a program rests on: the enterprise–school cooperation agreement (合作协议) and,
/// per apprentice, the enterprise–apprentice training agreement (培养协议).
public enum AgreementKind: String, Sendable, Codable, CaseIterable {
    case cooperation, training
}

/// Who holds the pen on an agreement.
public enum AgreementParty: String, Sendable, Codable, CaseIterable {
    /// The drafting party: the program's lead enterprise.
    case drafter
    /// The other party: the partner school, or the apprentice.
    case counterparty
}

/// "Who holds the pen": draft (drafter) → awaiting the counterparty → approved; or returned with a reason to the
/// drafter, who revises and sends again. Approved is final.
public enum AgreementStatus: String, Sendable, Codable, CaseIterable {
    case draft, awaitingCounterparty, approved, returned

    public enum Event: String, Sendable, Codable { case send, approve, sendBack }

    public enum Problem: String, Error, Sendable {
        case notAllowedInState = "agreement.transition.notAllowed"
        case notYourTurn = "agreement.notYourTurn"
        case reasonRequired = "agreement.reason.required"
    }

    /// Whose move it is, or nil when the agreement is approved.
    public var penHolder: AgreementParty? {
        switch self {
        case .draft, .returned: .drafter
        case .awaitingCounterparty: .counterparty
        case .approved: nil
        }
    }

    /// The state after `party` performs `event` (with `reason` when sending back), or why not.
    public func applying(_ event: Event, by party: AgreementParty, reason: String? = nil) throws(Problem) -> AgreementStatus {
        guard let holder = penHolder else { throw .notAllowedInState }
        guard holder == party else { throw .notYourTurn }
        switch (self, event) {
        case (.draft, .send), (.returned, .send): return .awaitingCounterparty
        case (.awaitingCounterparty, .approve): return .approved
        case (.awaitingCounterparty, .sendBack):
            guard let reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .reasonRequired }
            return .returned
        default: throw .notAllowedInState
        }
    }
}

/// An enrolled learner's path: applied → enrolled → completed or terminated (with a reason); an application may be declined.
public enum EnrollmentStatus: String, Sendable, Codable, CaseIterable {
    case applied, enrolled, completed, terminated, declined

    public enum Event: String, Sendable { case enroll, decline, complete, terminate }

    public func applying(_ event: Event) -> EnrollmentStatus? {
        switch (self, event) {
        case (.applied, .enroll): .enrolled
        case (.applied, .decline): .declined
        case (.enrolled, .complete): .completed
        case (.enrolled, .terminate), (.applied, .terminate): .terminated
        default: nil
        }
    }

    /// Counts against the class capacity and a master's apprentice limit.
    public var isActive: Bool { self == .applied || self == .enrolled }
}
