import Foundation

/// Why someone may not judge a candidate. Each has a localization key `recusal.<rawValue>`.
// swift-format-ignore: AlwaysUseLowerCamelCase
public enum RecusalReason: String, Sendable, Codable, CaseIterable {
    /// The judge mentors or teaches the candidate (a master or teacher of one of their enrollments).
    case mentor
    /// A relative the judge or the candidate declared.
    case relative
    /// Same employer and department (only when the rule is switched on).
    case colleague
    /// The judge is the candidate.
    case self_
}

/// What recusal is decided from, for one judge and one candidate.
public struct RecusalFacts: Sendable, Hashable {
    public var judgePersonID: UUID?
    public var candidatePersonID: UUID
    /// People the judge mentors or teaches (as master or teacher of their enrollments).
    public var mentees: Set<UUID>
    /// Declared relatives of the judge.
    public var relatives: Set<UUID>
    public var judgeOrganization: UUID?
    public var judgeDepartment: String?
    public var candidateOrganization: UUID?
    public var candidateDepartment: String?

    public init(
        judgePersonID: UUID?, candidatePersonID: UUID, mentees: Set<UUID> = [], relatives: Set<UUID> = [],
        judgeOrganization: UUID? = nil, judgeDepartment: String? = nil, candidateOrganization: UUID? = nil, candidateDepartment: String? = nil
    ) {
        self.judgePersonID = judgePersonID
        self.candidatePersonID = candidatePersonID
        self.mentees = mentees
        self.relatives = relatives
        self.judgeOrganization = judgeOrganization
        self.judgeDepartment = judgeDepartment
        self.candidateOrganization = candidateOrganization
        self.candidateDepartment = candidateDepartment
    }
}

/// The configurable numbers of evaluation (DOMAIN §4, §9), with their defaults.
public struct EvaluationRules: Sendable, Hashable {
    public var passMark = 60
    /// The contest route of eligibility (DOMAIN §4): which placings recognise which level, and how many a year.
    public var contestPromotion = ContestPromotion.default
    public var minimumAssessors = 3
    public var candidatesPerAssessor = 5
    public var minimumProctorsPerRoom = 2
    public var candidatesPerProctor = 15
    /// Assessors at or above this count have the highest and lowest score dropped.
    public var dropExtremesFrom = 5
    /// A spread (highest − lowest) above this flags the candidate for reconciliation.
    public var maximumSpread = 15.0
    /// Recuse colleagues of the same employer and department.
    public var recuseColleagues = false
    /// Days after the result in which a failed single subject may be retaken once.
    public var retakeWindowDays = 365
    /// Working days a batch's results stay on public notice.
    public var noticeWorkingDays = 5
    /// How many ranks above the assessed level an assessor must hold (0 = the same level or higher).
    public var assessorLevelsAbove = 0
    /// A chain leader's evaluation body may register employees of its approved chain's members (DOMAIN §1, Beijing rule).
    public var chainLeaderEvaluatesMembers = true

    public init() {}
}

public enum Recusal {
    /// Every reason the judge must stand aside for this candidate (empty = may judge).
    public static func reasons(_ f: RecusalFacts, rules: EvaluationRules) -> [RecusalReason] {
        var out: [RecusalReason] = []
        if f.judgePersonID == f.candidatePersonID { out.append(.self_) }
        if f.mentees.contains(f.candidatePersonID) { out.append(.mentor) }
        if f.relatives.contains(f.candidatePersonID) { out.append(.relative) }
        if rules.recuseColleagues, let jo = f.judgeOrganization, jo == f.candidateOrganization,
            let jd = f.judgeDepartment, !jd.isEmpty, jd == f.candidateDepartment
        {
            out.append(.colleague)
        }
        return out
    }
}

/// Panel and room staffing (assessors ≥ 3, odd, 1:5; proctors ≥ 2 per room, 1:15). Problems are localization keys.
public enum Staffing {
    public static func assessorProblems(assessors: Int, candidates: Int, rules: EvaluationRules) -> [String] {
        var out: [String] = []
        if assessors < rules.minimumAssessors { out.append("panel.assessors.tooFew") }
        if assessors % 2 == 0 { out.append("panel.assessors.even") }
        if assessors * rules.candidatesPerAssessor < candidates { out.append("panel.assessors.ratio") }
        return out
    }

    public static func proctorProblems(proctors: Int, candidatesInRoom: Int, rules: EvaluationRules) -> [String] {
        var out: [String] = []
        if proctors < rules.minimumProctorsPerRoom { out.append("room.proctors.tooFew") }
        if proctors * rules.candidatesPerProctor < candidatesInRoom { out.append("room.proctors.ratio") }
        return out
    }
}

/// The practical result from independent assessor scores: the mean, without the highest and lowest from five
/// assessors up, and whether the spread needs reconciliation.
public struct PanelResult: Sendable, Hashable {
    public let score: Double
    public let spread: Double
    public let needsReconciliation: Bool
    public let counted: Int

    public init(score: Double, spread: Double, needsReconciliation: Bool, counted: Int) {
        self.score = score
        self.spread = spread
        self.needsReconciliation = needsReconciliation
        self.counted = counted
    }

    public static func of(_ scores: [Double], rules: EvaluationRules) -> PanelResult? {
        guard !scores.isEmpty, scores.allSatisfy({ (0...100).contains($0) }) else { return nil }
        let sorted = scores.sorted()
        let counted = sorted.count >= rules.dropExtremesFrom ? Array(sorted.dropFirst().dropLast()) : sorted
        let mean = counted.reduce(0, +) / Double(counted.count)
        let spread = sorted.last! - sorted.first!
        return PanelResult(
            score: (mean * 10).rounded() / 10, spread: spread, needsReconciliation: spread > rules.maximumSpread, counted: counted.count)
    }
}

/// Subjects of an evaluation.
public enum Subject: String, Sendable, Codable, CaseIterable { case theory, practical, review }

/// Pass rule: every required subject at or above the pass mark. Comprehensive review is required for levels 2 and 1.
public enum PassRule {
    public struct Outcome: Sendable, Hashable {
        public let passed: Bool
        /// Subjects below the pass mark (or missing).
        public let failed: [Subject]
        /// A single failed subject may be retaken once.
        public let mayRetake: Bool
    }

    public static func subjects(for level: SkillLevel) -> [Subject] {
        level.needsComprehensiveReview ? [.theory, .practical, .review] : [.theory, .practical]
    }

    public static func evaluate(level: SkillLevel, scores: [Subject: Double], retakesUsed: Set<Subject> = [], rules: EvaluationRules) -> Outcome {
        let failed = subjects(for: level).filter { (scores[$0] ?? -1) < Double(rules.passMark) }
        return Outcome(passed: failed.isEmpty, failed: failed, mayRetake: failed.count == 1 && !retakesUsed.contains(failed[0]))
    }

    /// Whether a retake on `day` still falls inside the window after the result of `resultDay`.
    public static func retakeOpen(resultDay: Day, on day: Day, rules: EvaluationRules) -> Bool {
        resultDay <= day && day <= resultDay.plusDays(rules.retakeWindowDays)
    }
}

/// A criterion-level score sheet (评分记录表): one score out of 100 per area of the standard's skill weight table for
/// the level; the sheet's total is the weighted sum, with one decimal.
public enum ScoreSheet {
    /// Field errors are keyed `criteria.<area>`.
    public static func total(_ criteria: [String: Double], weights: [(area: String, percent: Int)]) throws(ValidationFailure) -> Double {
        var errors: [FieldError] = []
        let areas = weights.filter { $0.percent > 0 }
        for w in areas {
            guard let s = criteria[w.area] else {
                errors.append(FieldError("criteria.\(w.area)", "field.required"))
                continue
            }
            if !(0...100).contains(s) || s.isNaN { errors.append(FieldError("criteria.\(w.area)", "field.outOfRange", ["0", "100"])) }
        }
        for key in criteria.keys where !areas.contains(where: { $0.area == key }) {
            errors.append(FieldError("criteria.\(key)", "scoreSheet.unknownCriterion", [key]))
        }
        if areas.isEmpty { errors.append(FieldError("criteria", "exam.weights.missing")) }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        let sum = areas.reduce(0.0) { $0 + (criteria[$1.area] ?? 0) * Double($1.percent) }
        let percent = areas.reduce(0) { $0 + $1.percent }
        return ((sum / Double(percent)) * 10).rounded() / 10
    }
}

/// A retake (补考): a candidate who failed exactly one subject, in a batch whose results are final, may sit that subject
/// once more for the same occupation and level within the window; the subjects passed are carried over.
public enum RetakeRule {
    public struct Previous: Sendable, Hashable {
        public var level: SkillLevel
        public var scores: [Subject: Double]
        /// The previous registration was itself a retake (the one retake is used).
        public var wasRetake: Bool
        public var resultDay: Day
        public init(level: SkillLevel, scores: [Subject: Double], wasRetake: Bool, resultDay: Day) {
            self.level = level
            self.scores = scores
            self.wasRetake = wasRetake
            self.resultDay = resultDay
        }
    }

    /// The subject to retake on `day`, or nil when the previous result does not allow a retake.
    public static func subject(after previous: Previous, on day: Day, rules: EvaluationRules) -> Subject? {
        let outcome = PassRule.evaluate(
            level: previous.level, scores: previous.scores, retakesUsed: previous.wasRetake ? Set(Subject.allCases) : [], rules: rules)
        guard outcome.mayRetake, PassRule.retakeOpen(resultDay: previous.resultDay, on: day, rules: rules) else { return nil }
        return outcome.failed.first
    }
}
