import Foundation

/// What an apprentice's year ended with, which decides the subsidy tier.
public enum TrainingOutcome: String, Sendable, Codable, CaseIterable {
    /// Completed with a 四级/中级工 certificate.
    case intermediateCertificate
    /// Completed with a 三级/高级工 certificate or higher.
    case advancedCertificate
    /// Completed the plan without a certificate.
    case completedWithoutCertificate
    /// The plan was not completed: any advance is clawed back.
    case notCompleted
}

/// Subsidy claim life: the enterprise requests an advance → the government approves (advance paid) or rejects;
/// after the year the enterprise requests settlement with the outcome → the government settles (remainder paid)
/// or, when the plan was not completed, claws back the advance; a rejected request can be resubmitted.
public enum SubsidyClaimStatus: String, Sendable, Codable, CaseIterable {
    case advanceRequested, advanceApproved, settlementRequested, settled, clawedBack, rejected

    public enum Event: String, Sendable, Codable { case approve, reject, requestSettlement, resubmit }

    public enum Problem: String, Error, Sendable {
        case notAllowedInState = "subsidy.transition.notAllowed"
        case reasonRequired = "subsidy.reason.required"
    }

    public var awaitsGovernment: Bool { self == .advanceRequested || self == .settlementRequested }

    /// The state after `event`. Approving a settlement ends in `settled`, or `clawedBack` when the outcome pays
    /// less than the advance; rejecting needs a reason and sends a settlement back to `advanceApproved`.
    public func applying(_ event: Event, reason: String? = nil, settlement: SubsidyRules.Settlement? = nil) throws(Problem) -> SubsidyClaimStatus {
        if event == .reject, (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .reasonRequired }
        switch (self, event) {
        case (.advanceRequested, .approve): return .advanceApproved
        case (.advanceRequested, .reject): return .rejected
        case (.rejected, .resubmit): return .advanceRequested
        case (.advanceApproved, .requestSettlement): return .settlementRequested
        case (.settlementRequested, .approve):
            guard let settlement else { throw .notAllowedInState }
            return settlement.clawback > 0 ? .clawedBack : .settled
        case (.settlementRequested, .reject): return .advanceApproved
        default: throw .notAllowedInState
        }
    }
}

/// Tiers and limits (DOMAIN §5, Wuhan / Fujian figures as defaults), in whole yuan.
public struct SubsidyRules: Sendable, Hashable {
    public var intermediate = 5_000
    public var advanced = 6_000
    public var completedWithoutCertificate = 4_000
    /// Largest advance as a percentage of the tier the program targets.
    public var maxAdvancePercent = 50

    public init() {}

    /// The full-year amount for an outcome.
    public func amount(for outcome: TrainingOutcome) -> Int {
        switch outcome {
        case .intermediateCertificate: intermediate
        case .advancedCertificate: advanced
        case .completedWithoutCertificate: completedWithoutCertificate
        case .notCompleted: 0
        }
    }

    /// The tier a program targeting `level` expects (intermediate for 四级, advanced for 三级 and up).
    public func expected(for level: SkillLevel) -> Int { level >= .level3 ? advanced : intermediate }

    public func maxAdvance(for level: SkillLevel) -> Int { expected(for: level) * maxAdvancePercent / 100 }

    /// At settlement: what is still to pay, or what the enterprise must return.
    public struct Settlement: Sendable, Hashable {
        public let total: Int
        public let payable: Int
        public let clawback: Int
        public init(total: Int, payable: Int, clawback: Int) {
            self.total = total
            self.payable = payable
            self.clawback = clawback
        }
    }

    public func settle(outcome: TrainingOutcome, advancePaid: Int) -> Settlement {
        let total = amount(for: outcome)
        return Settlement(total: total, payable: max(0, total - advancePaid), clawback: max(0, advancePaid - total))
    }

    /// Problems with an advance request, as field errors on `advanceAmount`.
    public func advanceProblems(requested: Int, targetLevel: SkillLevel) -> [FieldError] {
        let cap = maxAdvance(for: targetLevel)
        if requested < 0 || requested > cap {
            return [FieldError("advanceAmount", "subsidy.advance.tooHigh", [String(cap), String(maxAdvancePercent)])]
        }
        return []
    }
}
