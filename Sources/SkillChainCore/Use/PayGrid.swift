/// Skill-based pay (DOMAIN §6, 《技能人才薪酬分配指引》): an enterprise's reference monthly pay range and skill allowance
/// for each level of the eight-level ladder, the checks a grid must pass, and the gap report against actual pay.
public struct PayBand: Sendable, Equatable, Codable {
    public let level: SkillLevel
    /// Reference monthly pay range (yuan).
    public let minimum: Int, maximum: Int
    /// Monthly skill allowance (yuan) on top of post pay.
    public let allowance: Int
    public init(level: SkillLevel, minimum: Int, maximum: Int, allowance: Int) {
        self.level = level
        self.minimum = minimum
        self.maximum = maximum
        self.allowance = allowance
    }
}

public struct PayGrid: Sendable, Equatable {
    public let bands: [PayBand]
    /// The enterprise's reference pay of middle and senior managers (for the 特级/首席技师 checks), if given.
    public let middleManagerPay: Int?, seniorManagerPay: Int?

    public init(bands: [PayBand], middleManagerPay: Int? = nil, seniorManagerPay: Int? = nil) {
        self.bands = bands.sorted { $0.level < $1.level }
        self.middleManagerPay = middleManagerPay
        self.seniorManagerPay = seniorManagerPay
    }

    public func band(_ level: SkillLevel) -> PayBand? { bands.first { $0.level == level } }

    /// Which checks apply (DOMAIN §6; the 2025 notice on state-owned enterprises makes the last two firm rules).
    public struct Rules: Sendable, Equatable {
        /// 特级技师 paid no less than middle managers.
        public var specialTechnicianAtLeastMiddleManager = true
        /// 首席技师 paid no less than senior managers.
        public var chiefTechnicianAtLeastSeniorManager = true
        public init() {}
    }

    /// One problem with a grid: a localization code and the level it concerns.
    public struct Problem: Sendable, Equatable {
        public let level: SkillLevel?, code: String
    }

    /// Every problem at once: a range upside down or negative, a level missing or given twice, a band below the one
    /// beneath it (minimum, maximum or allowance), and the 特级/首席技师 rules where manager pay is known.
    public func problems(_ rules: Rules = Rules()) -> [Problem] {
        var out: [Problem] = []
        var seen = Set<SkillLevel>()
        for b in bands {
            if !seen.insert(b.level).inserted { out.append(.init(level: b.level, code: "payGrid.duplicateLevel")) }
            if b.minimum <= 0 || b.maximum <= 0 || b.allowance < 0 { out.append(.init(level: b.level, code: "payGrid.negative")) }
            if b.minimum > b.maximum { out.append(.init(level: b.level, code: "payGrid.rangeInverted")) }
        }
        for l in SkillLevel.allCases where !seen.contains(l) { out.append(.init(level: l, code: "payGrid.levelMissing")) }
        for (lower, higher) in zip(bands, bands.dropFirst()) where lower.level != higher.level {
            if higher.minimum < lower.minimum || higher.maximum < lower.maximum { out.append(.init(level: higher.level, code: "payGrid.decreasing")) }
            if higher.allowance < lower.allowance { out.append(.init(level: higher.level, code: "payGrid.allowanceDecreasing")) }
        }
        if rules.specialTechnicianAtLeastMiddleManager, let m = middleManagerPay, let b = band(.specialTechnician), b.minimum + b.allowance < m {
            out.append(.init(level: .specialTechnician, code: "payGrid.belowMiddleManager"))
        }
        if rules.chiefTechnicianAtLeastSeniorManager, let m = seniorManagerPay, let b = band(.chiefTechnician), b.minimum + b.allowance < m {
            out.append(.init(level: .chiefTechnician, code: "payGrid.belowSeniorManager"))
        }
        return out
    }
}

/// An employee's actual monthly pay against the reference of their verified level.
public struct PayRecord: Sendable, Equatable {
    public enum Post: String, Sendable, Codable, CaseIterable { case skill, management }
    public let personKey: String
    public let level: SkillLevel?
    /// `YYYY-MM`.
    public let month: String
    public let monthlyPay: Int
    public let post: Post
    public init(personKey: String, level: SkillLevel?, month: String, monthlyPay: Int, post: Post = .skill) {
        self.personKey = personKey
        self.level = level
        self.month = month
        self.monthlyPay = monthlyPay
        self.post = post
    }
}

public enum PayGap {
    public struct Below: Sendable, Equatable {
        public let personKey: String, level: SkillLevel, monthlyPay: Int, reference: Int
        public var shortfall: Int { reference - monthlyPay }
    }

    /// People whose latest monthly pay is below the reference minimum plus allowance of their verified level,
    /// largest shortfall first. People without a verified level are not judged.
    public static func below(_ records: [PayRecord], grid: PayGrid) -> [Below] {
        var latest: [String: PayRecord] = [:]
        for r in records where latest[r.personKey].map({ $0.month < r.month }) ?? true { latest[r.personKey] = r }
        return latest.values.compactMap { r in
            guard let level = r.level, let band = grid.band(level) else { return nil }
            let reference = band.minimum + band.allowance
            return r.monthlyPay < reference ? Below(personKey: r.personKey, level: level, monthlyPay: r.monthlyPay, reference: reference) : nil
        }.sorted { ($0.shortfall, $1.personKey) > ($1.shortfall, $0.personKey) }
    }

    public struct Growth: Sendable, Equatable {
        public let level: SkillLevel, from: Int, to: Int, skillGrowth: Double, managementGrowth: Double
    }

    /// Levels whose skill-post pay grew less than management pay between the two latest years in the data (the 2025
    /// notice: front-line skill pay growth no lower than the corresponding managers'). Average monthly pay per year;
    /// nothing is reported without management pay in both years.
    public static func growthBelowManagement(_ records: [PayRecord]) -> [Growth] {
        let years = Set(records.compactMap { Int($0.month.prefix(4)) }).sorted()
        guard years.count >= 2 else { return [] }
        let (from, to) = (years[years.count - 2], years[years.count - 1])
        func average(_ rs: [PayRecord], _ year: Int) -> Double? {
            let v = rs.filter { Int($0.month.prefix(4)) == year }.map(\.monthlyPay)
            return v.isEmpty ? nil : Double(v.reduce(0, +)) / Double(v.count)
        }
        let management = records.filter { $0.post == .management }
        guard let m0 = average(management, from), let m1 = average(management, to), m0 > 0 else { return [] }
        let managementGrowth = m1 / m0 - 1
        let skill = records.filter { $0.post == .skill }
        return SkillLevel.allCases.compactMap { level in
            let rs = skill.filter { $0.level == level }
            guard let a = average(rs, from), let b = average(rs, to), a > 0 else { return nil }
            let g = b / a - 1
            return g < managementGrowth ? Growth(level: level, from: from, to: to, skillGrowth: g, managementGrowth: managementGrowth) : nil
        }
    }
}
