/// A national occupational skill standard (国家职业技能标准) as the platform uses it: the levels it offers,
/// its eligibility clauses, its weight tables, minimum exam durations and which levels add a comprehensive review.
/// The official texts are PDFs that are not bundled anywhere, so each standard is data entered (or defaulted) here.
public struct OccupationalStandard: Sendable, Codable, Hashable {
    /// One row of a weight table (权重表): an area and its share, in percent, at each level.
    public struct WeightRow: Sendable, Codable, Hashable {
        public var area: String
        public var percent: [SkillLevel: Int]
        public init(area: String, percent: [SkillLevel: Int]) {
            self.area = area
            self.percent = percent
        }
    }

    /// Minimum exam durations in minutes.
    public struct Durations: Sendable, Codable, Hashable {
        public var theory: Int
        public var practical: Int
        public var review: Int
        public init(theory: Int, practical: Int, review: Int) {
            self.theory = theory
            self.practical = practical
            self.review = review
        }
    }

    public var occupationCode: String
    public var edition: String
    /// e.g. "GZB 6-18-02-04 (2018)"; nil for the platform's default template.
    public var documentNumber: String?
    public var levels: [SkillLevel]
    public var eligibility: EligibilityTemplate
    /// Occupations whose certificates and years count as "related" (相关职业).
    public var relatedOccupations: [String]
    public var theoryWeights: [WeightRow]
    public var skillWeights: [WeightRow]
    public var durations: [SkillLevel: Durations]
    public var reviewLevels: [SkillLevel]

    public init(
        occupationCode: String, edition: String, documentNumber: String?, levels: [SkillLevel], eligibility: EligibilityTemplate,
        relatedOccupations: [String] = [], theoryWeights: [WeightRow], skillWeights: [WeightRow],
        durations: [SkillLevel: Durations], reviewLevels: [SkillLevel]
    ) {
        self.occupationCode = occupationCode
        self.edition = edition
        self.documentNumber = documentNumber
        self.levels = levels
        self.eligibility = eligibility
        self.relatedOccupations = relatedOccupations
        self.theoryWeights = theoryWeights
        self.skillWeights = skillWeights
        self.durations = durations
        self.reviewLevels = reviewLevels
    }

    /// What applies where no standard has been recorded: all five levels, version A clauses, a generic weight table
    /// (basic requirements shrinking as the level rises), 90/90–120 minute exams and a 30 minute review for levels 2 and 1.
    public static func defaultTemplate(occupationCode: String, edition: String) -> OccupationalStandard {
        let levels = SkillLevel.certificated
        func row(_ area: String, _ values: [Int]) -> WeightRow {
            WeightRow(area: area, percent: Dictionary(uniqueKeysWithValues: zip(levels, values)))
        }
        return OccupationalStandard(
            occupationCode: occupationCode, edition: edition, documentNumber: nil, levels: levels, eligibility: .versionA,
            theoryWeights: [row("basicRequirements", [30, 25, 20, 15, 10]), row("relatedKnowledge", [70, 75, 80, 85, 90])],
            skillWeights: [row("skillRequirements", [100, 100, 100, 100, 100])],
            durations: Dictionary(
                uniqueKeysWithValues: levels.map { l in
                    (l, Durations(theory: 90, practical: l.rank <= SkillLevel.level4.rank ? 90 : 120, review: l.needsComprehensiveReview ? 30 : 0))
                }),
            reviewLevels: [.level2, .level1])
    }

    /// Problems with the data, as localization keys: every offered level certificated, weight tables summing to 100
    /// per level, durations positive, review only for levels 2 and 1, clauses present for every level.
    public func problems() -> [String] {
        var out: [String] = []
        if levels.isEmpty || levels.contains(where: { $0.certificateCode == nil }) { out.append("standard.levels.invalid") }
        for (key, table) in [("standard.theoryWeights.sum", theoryWeights), ("standard.skillWeights.sum", skillWeights)] {
            if levels.contains(where: { l in table.reduce(0) { $0 + ($1.percent[l] ?? 0) } != 100 }) { out.append(key) }
        }
        if levels.contains(where: { l in (durations[l].map { $0.theory <= 0 || $0.practical <= 0 } ?? true) }) {
            out.append("standard.durations.invalid")
        }
        if reviewLevels.contains(where: { !$0.needsComprehensiveReview }) { out.append("standard.review.onlyTopLevels") }
        if levels.contains(where: { l in !eligibility.clauses(for: l).contains { !$0.isContestRoute } }) {
            out.append("standard.eligibility.missingLevel")
        }
        return out
    }

    /// Eligibility for every level this standard offers.
    public func eligibility(for facts: CandidateFacts) -> [LevelEligibility] {
        EligibilityEngine.evaluate(eligibility, levels: levels, facts: facts, occupationCodes: Set([occupationCode] + relatedOccupations))
    }
}

/// The standards the platform knows by document number. Occupations without one use the default template
/// (version A clauses); the official weight tables are not published in machine-readable form, so they
/// default too (see DOMAIN §8 "Gaps").
public enum StandardLibrary {
    static let documents: [String: String] = [
        "6-18-02-04": "GZB 6-18-02-04 (2018)",
        "6-31-01-03": "人社厅发〔2018〕145号",
    ]

    public static func standard(for occupation: Occupation) -> OccupationalStandard {
        var s = OccupationalStandard.defaultTemplate(occupationCode: occupation.code, edition: occupation.edition)
        s.documentNumber = documents[occupation.code]
        return s
    }
}
