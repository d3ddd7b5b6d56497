import Foundation

/// A skill level certificate a person holds, as eligibility sees it.
public struct HeldCertificate: Sendable, Codable, Hashable {
    public var occupationCode: String
    public var level: SkillLevel
    /// Years worked in the occupation since the certificate was obtained.
    public var yearsWorkedSince: Double

    public init(occupationCode: String, level: SkillLevel, yearsWorkedSince: Double) {
        self.occupationCode = occupationCode
        self.level = level
        self.yearsWorkedSince = yearsWorkedSince
    }
}

/// What eligibility is decided from: certificate history, years in the occupation and education.
public struct CandidateFacts: Sendable, Codable, Hashable {
    public var certificates: [HeldCertificate]
    /// Cumulative years in this occupation (or a related one).
    public var yearsInOccupation: Double
    public var education: Education?
    /// A final-year student of the school named by `education` counts as its graduate where a clause allows it.
    public var isFinalYearStudent: Bool
    /// Completed an apprenticeship (学徒期满) in the occupation.
    public var completedApprenticeship: Bool
    /// Holds a 预备技师 (pre-technician) certificate; `yearsSincePreTechnician` is the work since then.
    public var hasPreTechnicianCertificate: Bool
    public var yearsSincePreTechnician: Double
    /// Levels the person's contest placings let them be evaluated for (Core's `ContestPromotion`, from published results).
    public var contestGrants: [ContestGrant]?
    /// Already promoted through contests as often as a year allows.
    public var contestLimitReached: Bool?

    public init(
        certificates: [HeldCertificate] = [], yearsInOccupation: Double = 0, education: Education? = nil,
        isFinalYearStudent: Bool = false, completedApprenticeship: Bool = false,
        hasPreTechnicianCertificate: Bool = false, yearsSincePreTechnician: Double = 0,
        contestGrants: [ContestGrant]? = nil, contestLimitReached: Bool? = nil
    ) {
        self.contestGrants = contestGrants
        self.contestLimitReached = contestLimitReached
        self.certificates = certificates
        self.yearsInOccupation = yearsInOccupation
        self.education = education
        self.isFinalYearStudent = isFinalYearStudent
        self.completedApprenticeship = completedApprenticeship
        self.hasPreTechnicianCertificate = hasPreTechnicianCertificate
        self.yearsSincePreTechnician = yearsSincePreTechnician
    }
}

/// Groups of schooling that eligibility clauses name.
public enum EducationRequirement: String, Sendable, Codable, CaseIterable {
    /// 技工学校 or higher technical schooling (高级技工学校, 技师学院).
    case technicalSchool
    /// 高级技工学校 or 技师学院.
    case seniorTechnicalSchool
    /// 大专 (associate) or higher.
    case college

    public func isMet(by education: Education) -> Bool {
        switch self {
        case .technicalSchool: [.technicalSchool, .seniorTechnicalSchool, .technicianCollege].contains(education)
        case .seniorTechnicalSchool: [.seniorTechnicalSchool, .technicianCollege].contains(education)
        case .college: [.associate, .bachelor, .master, .doctorate].contains(education)
        }
    }
}

/// One way to qualify for a level ("取得四级证书后累计从事本职业工作 4 年"). Every requirement set must be met.
public struct EligibilityClause: Sendable, Codable, Hashable {
    /// Stable identifier within its template, e.g. `A-3-2`.
    public var id: String
    public var level: SkillLevel
    /// A certificate of at least this level in the occupation (or a related one).
    public var certificate: SkillLevel?
    /// Years of work: since the certificate (or pre-technician certificate) when one is required, otherwise cumulative.
    public var years: Double
    public var education: EducationRequirement?
    /// Final-year students of the required school count as graduates.
    public var finalYearStudentsCount: Bool
    public var completedApprenticeship: Bool
    public var preTechnicianCertificate: Bool
    /// The contest route: a published placing recognises the person at this level (or higher).
    public var contestRoute: Bool?
    public var isContestRoute: Bool { contestRoute == true }

    public init(
        id: String, level: SkillLevel, certificate: SkillLevel? = nil, years: Double = 0, education: EducationRequirement? = nil,
        finalYearStudentsCount: Bool = false, completedApprenticeship: Bool = false, preTechnicianCertificate: Bool = false, contest: Bool = false
    ) {
        self.contestRoute = contest ? true : nil
        self.id = id
        self.level = level
        self.certificate = certificate
        self.years = years
        self.education = education
        self.finalYearStudentsCount = finalYearStudentsCount
        self.completedApprenticeship = completedApprenticeship
        self.preTechnicianCertificate = preTechnicianCertificate
    }
}

extension EligibilityClause {
    /// The contest route of a level, id `C-<level digit>` (C-3 for 三级/高级工).
    public static func contestRoute(for level: SkillLevel, code: Int) -> EligibilityClause {
        EligibilityClause(id: "C-\(code)", level: level, contest: true)
    }
}

/// Why a clause is not met. Each has a localization key `eligibility.short.<rawValue>` taking the arguments.
public enum Shortfall: Sendable, Codable, Hashable {
    case certificate(SkillLevel)
    case years(required: Double, actual: Double)
    case education(EducationRequirement)
    case apprenticeship
    case preTechnicianCertificate
    case contest(SkillLevel)
    case contestYearLimit

    public var key: String {
        switch self {
        case .certificate: "eligibility.short.certificate"
        case .years: "eligibility.short.years"
        case .education: "eligibility.short.education"
        case .apprenticeship: "eligibility.short.apprenticeship"
        case .preTechnicianCertificate: "eligibility.short.preTechnician"
        case .contest: "eligibility.short.contest"
        case .contestYearLimit: "eligibility.short.contestYearLimit"
        }
    }

    /// Arguments for the message: localization keys are prefixed `@` so the web layer translates them.
    public var args: [String] {
        switch self {
        case .certificate(let l): ["@level.\(l.rawValue)"]
        case .years(let r, let a): [Self.format(r), Self.format(a)]
        case .education(let e): ["@education.requirement.\(e.rawValue)"]
        case .contest(let l): ["@level.\(l.rawValue)"]
        case .apprenticeship, .preTechnicianCertificate, .contestYearLimit: []
        }
    }

    static func format(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
    }
}

public struct ClauseResult: Sendable, Hashable {
    public let clause: EligibilityClause
    public let shortfalls: [Shortfall]
    public var satisfied: Bool { shortfalls.isEmpty }
}

/// For one level: whether the person may apply, by which clause, and for every clause why not.
public struct LevelEligibility: Sendable, Hashable {
    public let level: SkillLevel
    public let clauses: [ClauseResult]
    /// The person already holds a certificate at this level or higher in the occupation.
    public let alreadyHeld: Bool
    public var satisfiedBy: EligibilityClause? { clauses.first(where: \.satisfied)?.clause }
    public var eligible: Bool { satisfiedBy != nil }
}

/// A named set of clauses: the common template ("version A") is the default, others are data.
public struct EligibilityTemplate: Sendable, Codable, Hashable {
    public var id: String
    public var clauses: [EligibilityClause]

    public init(id: String, clauses: [EligibilityClause]) {
        self.id = id
        self.clauses = clauses
    }

    /// The template's clauses for a level, then the contest route (every certificated level has one).
    public func clauses(for level: SkillLevel) -> [EligibilityClause] {
        clauses.filter { $0.level == level } + (level.certificateCode.map { [EligibilityClause.contestRoute(for: level, code: $0)] } ?? [])
    }

    /// The common template (DOMAIN §2, version A).
    public static let versionA = EligibilityTemplate(
        id: "A",
        clauses: [
            .init(id: "A-5-1", level: .level5, years: 1),
            .init(id: "A-5-2", level: .level5, completedApprenticeship: true),
            .init(id: "A-4-1", level: .level4, certificate: .level5, years: 2),
            .init(id: "A-4-2", level: .level4, education: .technicalSchool, finalYearStudentsCount: true),
            .init(id: "A-3-1", level: .level3, certificate: .level4, years: 4),
            .init(id: "A-3-2", level: .level3, certificate: .level4, years: 2, education: .college),
            .init(id: "A-2-1", level: .level2, certificate: .level3, years: 4),
            .init(id: "A-2-2", level: .level2, certificate: .level3, years: 3, education: .seniorTechnicalSchool),
            .init(id: "A-2-3", level: .level2, years: 2, preTechnicianCertificate: true),
            .init(id: "A-1-1", level: .level1, certificate: .level2, years: 4),
        ])

    /// Another published standard's rules (DOMAIN §2, version B): rules are per standard, not global.
    public static let versionB = EligibilityTemplate(
        id: "B",
        clauses: [
            .init(id: "B-5-1", level: .level5, years: 1),
            .init(id: "B-5-2", level: .level5, completedApprenticeship: true),
            .init(id: "B-4-1", level: .level4, certificate: .level5, years: 4),
            .init(id: "B-4-2", level: .level4, years: 6),
            .init(id: "B-3-1", level: .level3, certificate: .level4, years: 5),
            .init(id: "B-3-2", level: .level3, certificate: .level4, years: 2, education: .college),
            .init(id: "B-2-1", level: .level2, certificate: .level3, years: 4),
            .init(id: "B-1-1", level: .level1, certificate: .level2, years: 4),
        ])

    public static let builtIn: [EligibilityTemplate] = [versionA, versionB]
    public static func named(_ id: String) -> EligibilityTemplate? { builtIn.first { $0.id == id } }
}

/// Decides, from a person's facts, which levels of a standard they may apply for and why (or why not).
public enum EligibilityEngine {
    /// Checks one clause. `occupationCodes` are the standard's occupation and its related ones.
    public static func check(_ clause: EligibilityClause, _ facts: CandidateFacts, occupationCodes: Set<String>) -> ClauseResult {
        var short: [Shortfall] = []
        if clause.isContestRoute {
            if !(facts.contestGrants ?? []).contains(where: { $0.level >= clause.level }) {
                short.append(.contest(clause.level))
            } else if facts.contestLimitReached == true {
                short.append(.contestYearLimit)
            }
            return ClauseResult(clause: clause, shortfalls: short)
        }
        var workYears = facts.yearsInOccupation
        if let required = clause.certificate {
            let held = facts.certificates.filter {
                occupationCodes.contains($0.occupationCode) && $0.level >= required && $0.level.certificateCode != nil
            }
            if held.isEmpty { short.append(.certificate(required)) }
            workYears = held.map(\.yearsWorkedSince).max() ?? 0
        } else if clause.preTechnicianCertificate {
            if !facts.hasPreTechnicianCertificate { short.append(.preTechnicianCertificate) }
            workYears = facts.hasPreTechnicianCertificate ? facts.yearsSincePreTechnician : 0
        }
        if let edu = clause.education {
            let met = facts.education.map(edu.isMet) ?? false
            if !met {
                short.append(.education(edu))
            } else if facts.isFinalYearStudent && !clause.finalYearStudentsCount {
                short.append(.education(edu))
            }
        }
        if clause.completedApprenticeship && !facts.completedApprenticeship { short.append(.apprenticeship) }
        if clause.years > 0 && workYears + 1e-9 < clause.years {
            let alreadyShort = short.contains {
                if case .certificate = $0 { true } else if case .preTechnicianCertificate = $0 { true } else { false }
            }
            if !alreadyShort { short.append(.years(required: clause.years, actual: workYears)) }
        }
        return ClauseResult(clause: clause, shortfalls: short)
    }

    public static func evaluate(
        _ template: EligibilityTemplate, levels: [SkillLevel], facts: CandidateFacts,
        occupationCodes: Set<String>
    ) -> [LevelEligibility] {
        let highest = facts.certificates.filter { occupationCodes.contains($0.occupationCode) }.map(\.level).max()
        return levels.filter { $0.route == .evaluation }.map { level in
            LevelEligibility(
                level: level, clauses: template.clauses(for: level).map { check($0, facts, occupationCodes: occupationCodes) },
                alreadyHeld: highest.map { $0 >= level } ?? false)
        }
    }
}
