import Foundation

/// Kinds of joint training program (values used in the API).
public enum ProgramKind: String, Sendable, Codable, CaseIterable {
    /// 企业新型学徒制: hired = enrolled, double mentors, labour contract of at least a year.
    case newApprenticeship
    /// 岗位+培训: a class the enterprise opens first for its posts, co-taught with a school.
    case postTraining
    /// 岗位需求+技能培训+就业服务: project-based training ending in employment.
    case projectTraining
    /// 订单班/冠名班: a school class trained to an enterprise's order.
    case orderClass

    /// A new apprenticeship: a labour contract of at least a year, 1–3 years, targets 四级 and up.
    public var isApprenticeship: Bool { self == .newApprenticeship }

    /// The enterprise has hired the learners first (apprenticeship, post + training class): each learner signs a training
    /// agreement with the enterprise, has an enterprise master and a school teacher, and the enterprise may claim a subsidy.
    public var isEmployerLed: Bool { self == .newApprenticeship || self == .postTraining }
}

/// Program life: planning (agreements being approved, roster filled) → inTraining → completed; or cancelled.
public enum ProgramStatus: String, Sendable, Codable, CaseIterable {
    case planning, inTraining, completed, cancelled
}

/// Hour categories of a training plan (DOMAIN §5).
public enum HourCategory: String, Sendable, Codable, CaseIterable {
    case generalQualities, professionalBasics, operationalSkills
}

/// Open positions: open → filled or closed (and reopened).
public enum PositionStatus: String, Sendable, Codable, CaseIterable {
    case open, filled, closed
}

/// The configurable numbers of the training side, with the defaults of DOMAIN §5.
public struct TrainingRules: Sendable, Hashable {
    public var maxClassSize = 40
    public var maxApprenticesPerMaster = 8
    public var apprenticeshipMinMonths = 12
    public var apprenticeshipMaxMonths = 36
    public var programMaxMonths = 36
    public var minContractMonths = 12
    /// Shares of the hours plan, in percent: general qualities 10–20, professional basics ≥ 20, operational skills 60–70.
    public var generalShare: ClosedRange<Int> = 10...20
    public var basicsShare: ClosedRange<Int> = 20...100
    public var operationalShare: ClosedRange<Int> = 60...70

    public init() {}
}

/// One hours plan: hours per category.
public struct HoursPlan: Sendable, Codable, Hashable {
    public var generalQualities: Int
    public var professionalBasics: Int
    public var operationalSkills: Int

    public init(generalQualities: Int, professionalBasics: Int, operationalSkills: Int) {
        self.generalQualities = generalQualities
        self.professionalBasics = professionalBasics
        self.operationalSkills = operationalSkills
    }

    public var total: Int { generalQualities + professionalBasics + operationalSkills }

    public func hours(_ c: HourCategory) -> Int {
        switch c {
        case .generalQualities: generalQualities
        case .professionalBasics: professionalBasics
        case .operationalSkills: operationalSkills
        }
    }

    /// Share of the total in percent, rounded down.
    public func share(_ c: HourCategory) -> Double { total == 0 ? 0 : Double(hours(c)) * 100 / Double(total) }

    /// Field errors for categories outside their configured share; field names are the category names.
    public func problems(_ rules: TrainingRules) -> [FieldError] {
        guard total > 0 else { return [FieldError("operationalSkills", "program.hours.required")] }
        var out: [FieldError] = []
        for (c, range) in [
            (HourCategory.generalQualities, rules.generalShare), (.professionalBasics, rules.basicsShare),
            (.operationalSkills, rules.operationalShare),
        ] {
            let s = share(c)
            if s < Double(range.lowerBound) || s > Double(range.upperBound) {
                out.append(
                    FieldError(c.rawValue, "program.hours.share", [String(format: "%.1f", s), String(range.lowerBound), String(range.upperBound)]))
            }
        }
        return out
    }
}

/// A calendar day (no time zone games): what dates of programs, contracts and logs are.
public struct Day: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int, month: Int, day: Int

    public init?(_ text: String) {
        let p = text.split(separator: "-")
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
            let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1900...2200).contains(y), (1...12).contains(m),
            d >= 1, d <= Day.daysIn(year: y, month: m)
        else { return nil }
        year = y
        month = m
        day = d
    }

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public init(_ date: Date, calendar: Calendar = Day.chinaCalendar) {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        year = c.year!
        month = c.month!
        day = c.day!
    }

    public static var chinaCalendar: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return c
    }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + two(month) + "-" + two(day)
    }

    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
    public var daysSince1970: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// The same day `n` months later (clamped to the month's end: 01-31 + 1 month = 02-28/29).
    public func addingMonths(_ n: Int) -> Day {
        let total = year * 12 + (month - 1) + n
        let y = total / 12
        let m = total % 12 + 1
        return Day(year: y, month: m, day: min(day, Day.daysIn(year: y, month: m)))
    }

    /// The following day.
    public var next: Day {
        if day < Day.daysIn(year: year, month: month) { return Day(year: year, month: month, day: day + 1) }
        return month == 12 ? Day(year: year + 1, month: 1, day: 1) : Day(year: year, month: month + 1, day: 1)
    }

    /// The day before.
    public var previous: Day {
        if day > 1 { return Day(year: year, month: month, day: day - 1) }
        let m = addingMonths(-1)
        return Day(year: m.year, month: m.month, day: Day.daysIn(year: m.year, month: m.month))
    }

    /// `n` days later (earlier when `n` is negative).
    public func plusDays(_ n: Int) -> Day {
        var d = self
        for _ in 0..<abs(n) { d = n > 0 ? d.next : d.previous }
        return d
    }

    /// Whole months from `self` to `other` (a month counts once its day is reached).
    public func months(to other: Day) -> Int {
        var m = (other.year - year) * 12 + (other.month - month)
        if other.day < day && !(other.day == Day.daysIn(year: other.year, month: other.month)) { m -= 1 }
        return m
    }
}

/// Rules a program must meet when it is opened; all problems are field errors.
public enum ProgramRules {
    public struct Plan: Sendable {
        public var kind: ProgramKind
        public var start: Day
        public var end: Day
        public var capacity: Int
        public var hours: HoursPlan
        public var targetLevel: SkillLevel
        public init(kind: ProgramKind, start: Day, end: Day, capacity: Int, hours: HoursPlan, targetLevel: SkillLevel) {
            self.kind = kind
            self.start = start
            self.end = end
            self.capacity = capacity
            self.hours = hours
            self.targetLevel = targetLevel
        }
    }

    public static func problems(_ p: Plan, rules: TrainingRules) -> [FieldError] {
        var out: [FieldError] = []
        // The end date is the last day of training: 2026-03-01 … 2027-02-28 is twelve months.
        let months = p.start.months(to: p.end.next)
        if p.end <= p.start {
            out.append(FieldError("endDate", "program.dates.order"))
        } else if p.kind.isApprenticeship {
            if months < rules.apprenticeshipMinMonths || months > rules.apprenticeshipMaxMonths {
                out.append(
                    FieldError(
                        "endDate", "program.duration.apprenticeship",
                        [String(rules.apprenticeshipMinMonths), String(rules.apprenticeshipMaxMonths), String(months)]))
            }
        } else if p.end > p.start.addingMonths(rules.programMaxMonths) {
            out.append(FieldError("endDate", "program.duration.max", [String(rules.programMaxMonths)]))
        }
        if p.capacity < 1 || p.capacity > rules.maxClassSize {
            out.append(FieldError("capacity", "field.outOfRange", ["1", String(rules.maxClassSize)]))
        }
        if p.kind.isApprenticeship && !(SkillLevel.level4...SkillLevel.level1).contains(p.targetLevel) {
            out.append(FieldError("targetLevel", "program.apprenticeship.targetLevel"))
        } else if p.targetLevel.route != .evaluation {
            out.append(FieldError("targetLevel", "program.targetLevel.certificated"))
        }
        return out + p.hours.problems(rules)
    }

    /// Program years (1, 2, …) a subsidy can be claimed for: whole years of training, a part year counting as one.
    public static func years(start: Day, end: Day) -> [Int] {
        Array(1...max(1, Int((Double(start.months(to: end.next)) / 12).rounded(.up))))
    }

    /// A new apprentice needs a labour contract of at least `minContractMonths` that covers the program start.
    public static func contractProblems(start: Day?, end: Day?, rules: TrainingRules) -> [FieldError] {
        guard let start else { return [FieldError("contractStart", "enrollment.contract.required")] }
        guard let end else { return [FieldError("contractEnd", "enrollment.contract.required")] }
        if end <= start { return [FieldError("contractEnd", "program.dates.order")] }
        // Contract terms name their last day ("2026-03-01 至 2027-02-28" is one year).
        if start.months(to: end.next) < rules.minContractMonths {
            return [FieldError("contractEnd", "enrollment.contract.tooShort", [String(rules.minContractMonths)])]
        }
        return []
    }
}
