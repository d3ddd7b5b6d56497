import Foundation

/// How a batch evaluates (DOMAIN §4). Localization keys `method.<rawValue>`.
public enum EvaluationMethod: String, Sendable, Codable, CaseIterable {
    /// 考核鉴定: theory exam + skill assessment.
    case examination
    /// 考评结合: exams combined with performance appraisal.
    case combined
    /// 过程化考核: assessment spread over the training process.
    case process
    /// 直接认定: direct recognition (competition winners and the like).
    case direct
}

/// Who sits with a batch: assessors score the practical (and, for levels 2 and 1, the review); proctors watch rooms;
/// the quality supervisor signs the batch off. Localization keys `duty.<rawValue>`.
public enum Duty: String, Sendable, Codable, CaseIterable {
    case assessor, proctor, supervisor
}

/// An evaluation batch's workflow (DOMAIN §9):
/// planned → plan submitted → approved (or returned to planned with a reason) → registration open →
/// eligibility reviewed → exams held → scored (supervisor's sign-off) → in public notice → final → archived.
public enum BatchStatus: String, Sendable, Codable, CaseIterable {
    case planned, planSubmitted, approved, registrationOpen, eligibilityReviewed, examsHeld, scored, inNotice, final, archived

    public enum Event: String, Sendable, Codable, CaseIterable {
        case submitPlan, approvePlan, returnPlan, openRegistration, closeRegistration, holdExams, signOff, publishNotice, finalize, archive
    }

    /// Who may cause an event. Localization keys `batchEvent.<rawValue>`.
    public enum Actor: Sendable { case body, government, supervisor }

    public static func actor(for e: Event) -> Actor {
        switch e {
        case .approvePlan, .returnPlan: .government
        case .signOff: .supervisor
        default: .body
        }
    }

    /// What must hold before an event, beyond the state. Problem codes are localization keys.
    public struct Facts: Sendable, Hashable {
        public var registrations = 0
        /// Registrations not yet reviewed (eligibility pending).
        public var pendingEligibility = 0
        public var eligible = 0
        /// Eligible candidates without a complete set of scores.
        public var unscored = 0
        /// Candidates whose assessors' spread still needs reconciling.
        public var awaitingReconciliation = 0
        /// Staffing problems of the panels (localization keys).
        public var staffingProblems: [String] = []
        public var hasSupervisor = false
        public var noticeEnded = false
        public var openObjections = 0
        public init() {}
    }

    public enum Problem: String, Error, Sendable {
        case notAllowedInState = "batch.transition.notAllowed"
        case reasonRequired = "batch.reason.required"
    }

    public func next(_ event: Event) -> BatchStatus? {
        switch (self, event) {
        case (.planned, .submitPlan): .planSubmitted
        case (.planSubmitted, .approvePlan): .approved
        case (.planSubmitted, .returnPlan): .planned
        case (.approved, .openRegistration): .registrationOpen
        case (.registrationOpen, .closeRegistration): .eligibilityReviewed
        case (.eligibilityReviewed, .holdExams): .examsHeld
        case (.examsHeld, .signOff): .scored
        case (.scored, .publishNotice): .inNotice
        case (.inNotice, .finalize): .final
        case (.final, .archive): .archived
        default: nil
        }
    }

    /// The guards of an event, as localization keys (empty = allowed, given the state allows it).
    public static func blockers(_ event: Event, _ f: Facts) -> [String] {
        var out: [String] = []
        switch event {
        case .submitPlan:
            out += f.staffingProblems
            if !f.hasSupervisor { out.append("batch.supervisor.missing") }
        case .closeRegistration:
            if f.registrations == 0 { out.append("batch.registrations.none") }
            if f.pendingEligibility > 0 { out.append("batch.eligibility.pending") }
        case .holdExams:
            if f.eligible == 0 { out.append("batch.eligible.none") }
        case .signOff:
            if f.unscored > 0 { out.append("batch.scores.incomplete") }
            if f.awaitingReconciliation > 0 { out.append("batch.scores.reconcile") }
        case .finalize:
            if !f.noticeEnded { out.append("batch.notice.running") }
            if f.openObjections > 0 { out.append("batch.objections.open") }
        default: break
        }
        return out
    }

    /// Events needing a written reason.
    public static func needsReason(_ e: Event) -> Bool { e == .returnPlan }

    /// Why a transition was refused: localization keys, the state problem first.
    public struct Refusal: Error, Sendable, Hashable {
        public let codes: [String]
        public init(codes: [String]) { self.codes = codes }
    }

    /// The next state, or every reason it cannot be reached now.
    public func applying(_ event: Event, facts: Facts, reason: String? = nil) throws(Refusal) -> BatchStatus {
        guard let to = next(event) else { throw Refusal(codes: [Problem.notAllowedInState.rawValue]) }
        var codes = Self.blockers(event, facts)
        if Self.needsReason(event), (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            codes.append(Problem.reasonRequired.rawValue)
        }
        if !codes.isEmpty { throw Refusal(codes: codes) }
        return to
    }

    /// Events whose state allows them from here.
    public var possibleEvents: [Event] { Event.allCases.filter { next($0) != nil } }

    /// Scores may be entered (practical, review, paper theory) while exams are held; after sign-off only by correction.
    public var acceptsScores: Bool { self == .examsHeld }
    public var isSignedOff: Bool { [.scored, .inNotice, .final, .archived].contains(self) }
    /// The online theory exam can be taken once eligibility is reviewed and until sign-off.
    public var examOpen: Bool { self == .eligibilityReviewed || self == .examsHeld }
    public var acceptsRegistrations: Bool { self == .registrationOpen }
    /// Exams not yet held: a judge who stops serving leaves the panel of such a batch (past panels keep their scores).
    public var examsAhead: Bool { [.planned, .planSubmitted, .approved, .registrationOpen, .eligibilityReviewed].contains(self) }
    /// Judges may be put on the panel (not while the plan is with the bureau, nor once exams are held).
    public var panelOpen: Bool { examsAhead && self != .planSubmitted }
}

/// A registration's eligibility review. Localization keys `eligibilityStatus.<rawValue>`.
public enum EligibilityStatus: String, Sendable, Codable, CaseIterable {
    /// Checked by the engine as eligible, awaiting the reviewer.
    case pending
    case eligible
    case ineligible
}

/// Whether an assessor may assess a level: they hold the assessed level or a higher one (configurable margin).
public enum AssessorRules {
    /// `heldLevel` is the assessor's own skill level in the occupation; `levelsAbove` (default 0) how many ranks above
    /// the assessed level they must hold.
    public static func mayAssess(heldLevel: SkillLevel, assessed: SkillLevel, levelsAbove: Int = 0) -> Bool {
        heldLevel.rank >= assessed.rank + levelsAbove
    }
}

/// Working days for notice periods: weekdays, minus public holidays, plus the weekend days declared working days (调休).
public struct WorkingCalendar: Sendable, Hashable {
    public var holidays: Set<Day>
    public var extraWorkdays: Set<Day>

    public init(holidays: Set<Day> = [], extraWorkdays: Set<Day> = []) {
        self.holidays = holidays
        self.extraWorkdays = extraWorkdays
    }

    /// 1 = Monday … 7 = Sunday (Sakamoto's method, proleptic Gregorian).
    public static func weekday(_ d: Day) -> Int {
        let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = d.month < 3 ? d.year - 1 : d.year
        let w = (y + y / 4 - y / 100 + y / 400 + t[d.month - 1] + d.day) % 7  // 0 = Sunday
        return w == 0 ? 7 : w
    }

    public func isWorkingDay(_ d: Day) -> Bool {
        if extraWorkdays.contains(d) { return true }
        if holidays.contains(d) { return false }
        return Self.weekday(d) <= 5
    }

    /// The last day of a period of `n` working days that starts on `start` (or the first working day after it).
    public func lastDay(ofWorkingDays n: Int, from start: Day) -> Day {
        var d = start
        var counted = 0
        while true {
            if isWorkingDay(d) {
                counted += 1
                if counted >= max(n, 1) { return d }
            }
            d = d.next
        }
    }
}

/// The public notice (公示) period of a batch.
public struct NoticePeriod: Sendable, Hashable, Codable {
    public let from: Day
    public let until: Day

    public init(from: Day, until: Day) {
        self.from = from
        self.until = until
    }

    public init(publishedOn day: Day, workingDays: Int, calendar: WorkingCalendar) {
        from = day
        until = calendar.lastDay(ofWorkingDays: workingDays, from: day)
    }

    public func hasEnded(on day: Day) -> Bool { day > until }
    public func isOpen(on day: Day) -> Bool { from <= day && day <= until }
}

/// An objection raised during public notice. Localization keys `objectionStatus.<rawValue>`.
public enum ObjectionStatus: String, Sendable, Codable, CaseIterable {
    case open, upheld, dismissed

    public var isResolved: Bool { self != .open }
}
