/// Skill competitions and the promotion a top placing earns (DOMAIN §4, Tianjin's published rule as the default):
/// a placing lets a worker be recognised at a level, usually one above what they hold, and at most one level a year
/// comes through contests. The rule is configuration; `ContestPromotion.default` is one published example.
public enum ContestTier: String, Sendable, Codable, CaseIterable, Comparable {
    /// Held inside one enterprise or school.
    case enterprise
    /// Held inside a skills ecological chain (its enterprises and schools).
    case chain
    case city, provincial, national

    public var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// One person's result in one contest.
public struct ContestPlacing: Sendable, Codable, Hashable {
    public let contest: String
    public let tier: ContestTier
    public let year: Int
    public let occupationCode: String
    /// 1 = first place.
    public let rank: Int
    public let entrants: Int
    public let isStudent: Bool
    public init(contest: String, tier: ContestTier, year: Int, occupationCode: String, rank: Int, entrants: Int, isStudent: Bool = false) {
        self.contest = contest
        self.tier = tier
        self.year = year
        self.occupationCode = occupationCode
        self.rank = rank
        self.entrants = entrants
        self.isStudent = isStudent
    }
}

/// "Top 10 in a city contest → 技师 (高级技师 if already 技师)".
public struct ContestPromotionRule: Sendable, Codable, Hashable {
    /// The lowest tier the rule covers (higher tiers count too).
    public var minimumTier: ContestTier
    /// Placed at or above this rank …
    public var topRank: Int?
    /// … or within this share of the entrants (0.3 = the top 30 %).
    public var topShare: Double?
    /// The level recognised; one above it when it is already held.
    public var grants: SkillLevel
    public var grantsWhenHeld: SkillLevel?
    /// Students are recognised at most at this level.
    public var studentCap: SkillLevel?

    public init(
        minimumTier: ContestTier, topRank: Int? = nil, topShare: Double? = nil, grants: SkillLevel, grantsWhenHeld: SkillLevel? = nil,
        studentCap: SkillLevel? = nil
    ) {
        self.minimumTier = minimumTier
        self.topRank = topRank
        self.topShare = topShare
        self.grants = grants
        self.grantsWhenHeld = grantsWhenHeld
        self.studentCap = studentCap
    }

    public func covers(_ p: ContestPlacing) -> Bool {
        guard p.tier >= minimumTier, p.rank >= 1, p.entrants >= p.rank else { return false }
        if let top = topRank, p.rank <= top { return true }
        if let share = topShare {
            let cut = Int((Double(p.entrants) * share).rounded(.up))
            return p.rank <= cut
        }
        return false
    }

    /// The level this placing is recognised at for someone holding `held` in the occupation, or nil.
    public func level(for p: ContestPlacing, held: SkillLevel?) -> SkillLevel? {
        guard covers(p) else { return nil }
        var level: SkillLevel
        if let held, held >= grants {
            guard let up = grantsWhenHeld, held < up else { return nil }
            level = up
        } else {
            level = grants
        }
        if p.isStudent, let cap = studentCap { level = min(level, cap) }
        if let held, level <= held { return nil }
        return level
    }
}

/// A level a contest placing lets the person be evaluated for (the contest route of eligibility).
public struct ContestGrant: Sendable, Codable, Hashable {
    public let level: SkillLevel
    public let contest: String
    public let year: Int
    public init(level: SkillLevel, contest: String, year: Int) {
        self.level = level
        self.contest = contest
        self.year = year
    }
}

public struct ContestPromotion: Sendable, Codable, Hashable {
    public var rules: [ContestPromotionRule]
    /// Levels a person may gain through contests in one calendar year.
    public var perYear: Int
    /// Placings older than this many years no longer count.
    public var validYears: Int

    public init(rules: [ContestPromotionRule], perYear: Int = 1, validYears: Int = 2) {
        self.rules = rules
        self.perYear = perYear
        self.validYears = validYears
    }

    /// Tianjin's published rule (DOMAIN §4): city contests and above, top 10 → 技师 (高级技师 if already 技师; students
    /// 高级工); chain or district contests, top 6 → 高级工 (技师 if already 高级工); enterprise or school contests, top
    /// 30 % → 中级工 (高级工 if already 中级工). At most one level a year.
    public static let `default` = ContestPromotion(rules: [
        .init(minimumTier: .city, topRank: 10, grants: .level2, grantsWhenHeld: .level1, studentCap: .level3),
        .init(minimumTier: .chain, topRank: 6, grants: .level3, grantsWhenHeld: .level2, studentCap: .level3),
        .init(minimumTier: .enterprise, topShare: 0.3, grants: .level4, grantsWhenHeld: .level3, studentCap: .level3),
    ])

    /// Whether a person promoted through contests this many times this year may not be again.
    public func limitReached(promotionsThisYear: Int) -> Bool { promotionsThisYear >= perYear }

    /// The best level one placing earns under any rule.
    public func level(for p: ContestPlacing, held: SkillLevel?) -> SkillLevel? {
        rules.compactMap { $0.level(for: p, held: held) }.max()
    }

    /// What a person's placings in the occupation let them be evaluated for, in `year`: placings of the last
    /// `validYears` years, each at the best level any rule gives, best first.
    public func grants(_ placings: [ContestPlacing], held: SkillLevel?, year: Int) -> [ContestGrant] {
        placings.filter { $0.year <= year && year - $0.year < validYears }
            .compactMap { p in level(for: p, held: held).map { ContestGrant(level: $0, contest: p.contest, year: p.year) } }
            .sorted { $0.level > $1.level }
    }
}
