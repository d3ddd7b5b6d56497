/// Matching people to an open position by verified facts (issue 6, DOMAIN §6): each candidate's score is a sum of
/// named factors, so the ranking explains itself. Self-declared skills count only below every verified candidate.
public struct MatchRequirement: Sendable, Equatable {
    public let occupationCode: String
    public let requiredLevel: SkillLevel
    public let regionCode: String
    public init(occupationCode: String, requiredLevel: SkillLevel, regionCode: String) {
        self.occupationCode = occupationCode
        self.requiredLevel = requiredLevel
        self.regionCode = regionCode
    }
}

/// A certificate as the platform knows it (issued here or imported), with its verified status.
public struct CertificateFact: Sendable, Equatable {
    public enum Status: String, Sendable { case valid, revoked, suspended, expired }
    public let occupationCode: String, level: SkillLevel, status: Status
    public init(occupationCode: String, level: SkillLevel, status: Status) {
        self.occupationCode = occupationCode
        self.level = level
        self.status = status
    }
}

extension CertificateFact.Status {
    /// The status a stored certificate has today: a valid one past its `validUntil` has expired.
    public static func today(stored: String, validUntil: Day?, on today: Day) -> Self? {
        CertificateStatus(rawValue: stored)?.standing(validUntil: validUntil, on: today)
    }
}

extension CertificateFact {
    /// The verified level pay and honours go by: the highest among certificates valid today.
    public static func highestValidLevel(_ certificates: [CertificateFact]) -> SkillLevel? {
        certificates.filter { $0.status == .valid }.map(\.level).max()
    }
}

public struct MatchCandidate: Sendable, Equatable {
    public let id: String
    public let regionCode: String
    public let certificates: [CertificateFact]
    /// What the person says of themself (occupation code and level), never checked.
    public let declared: [(occupationCode: String, level: SkillLevel)]
    /// Trained in a program that targeted this very position / this enterprise.
    public let trainedForPosition: Bool, trainedForEnterprise: Bool
    /// In training now, in a program for this occupation, with most of it done.
    public let nearCompletion: Bool
    /// The latest mentor assessment score (0–100), if any.
    public let mentorAssessment: Double?

    public init(
        id: String, regionCode: String, certificates: [CertificateFact], declared: [(occupationCode: String, level: SkillLevel)] = [],
        trainedForPosition: Bool = false, trainedForEnterprise: Bool = false, nearCompletion: Bool = false, mentorAssessment: Double? = nil
    ) {
        self.id = id
        self.regionCode = regionCode
        self.certificates = certificates
        self.declared = declared
        self.trainedForPosition = trainedForPosition
        self.trainedForEnterprise = trainedForEnterprise
        self.nearCompletion = nearCompletion
        self.mentorAssessment = mentorAssessment
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.id == b.id && a.regionCode == b.regionCode && a.certificates == b.certificates
            && a.declared.map { "\($0.occupationCode)|\($0.level)" } == b.declared.map { "\($0.occupationCode)|\($0.level)" }
            && a.trainedForPosition == b.trainedForPosition && a.trainedForEnterprise == b.trainedForEnterprise
            && a.nearCompletion == b.nearCompletion && a.mentorAssessment == b.mentorAssessment
    }
}

/// One named reason in a candidate's score. Localization key `match.factor.<rawValue>`.
public enum MatchFactor: String, Sendable, Codable, CaseIterable {
    case occupationExact, occupationMinorGroup, occupationMediumGroup
    case levelMeets, levelAbove, levelBelow
    case regionSame, regionCity, regionProvince
    case trainedForPosition, trainedForEnterprise, nearCompletion, mentorAssessment
    case selfDeclared
}

public struct MatchContribution: Sendable, Equatable, Codable {
    public let factor: MatchFactor
    public let points: Double
}

public struct Match: Sendable, Equatable {
    public let candidateID: String
    /// Rests on a valid certificate (or a program for this occupation under way); otherwise on self-declared skills only.
    public let verified: Bool
    public let score: Double
    public let contributions: [MatchContribution]
}

/// Points for each factor (configurable; the defaults weigh the occupation and level most).
public struct MatchWeights: Sendable, Equatable {
    public var occupationExact = 40.0, occupationMinorGroup = 25.0, occupationMediumGroup = 12.0
    public var levelMeets = 25.0, perLevelAbove = 3.0, perLevelBelow = -12.0
    public var regionSame = 10.0, regionCity = 6.0, regionProvince = 3.0
    public var trainedForPosition = 10.0, trainedForEnterprise = 5.0, nearCompletion = 8.0
    /// Full points for a mentor assessment of 100, in proportion below.
    public var mentorAssessment = 10.0
    /// Self-declared skills count at this fraction of what a certificate would give.
    public var selfDeclaredFactor = 0.5
    public init() {}
}

public enum Matching {
    /// How close an occupation is to the required one: exact code, same minor group (`6-25-04`), same medium group (`6-25`).
    public static func occupationFactor(_ held: String, _ wanted: String) -> MatchFactor? {
        if held == wanted { return .occupationExact }
        let h = held.split(separator: "-")
        let w = wanted.split(separator: "-")
        guard h.count >= 3, w.count >= 3, h[0] == w[0], h[1] == w[1] else { return nil }
        return h[2] == w[2] ? .occupationMinorGroup : .occupationMediumGroup
    }

    static func points(_ f: MatchFactor, _ w: MatchWeights) -> Double {
        switch f {
        case .occupationExact: w.occupationExact
        case .occupationMinorGroup: w.occupationMinorGroup
        case .occupationMediumGroup: w.occupationMediumGroup
        default: 0
        }
    }

    /// Occupation and level points of one skill (certificate or declaration) against the requirement.
    static func skill(_ code: String, _ level: SkillLevel, _ r: MatchRequirement, _ w: MatchWeights) -> [MatchContribution]? {
        guard let occupation = occupationFactor(code, r.occupationCode) else { return nil }
        var out = [MatchContribution(factor: occupation, points: points(occupation, w))]
        let gap = level.rank - r.requiredLevel.rank
        if gap >= 0 {
            out.append(.init(factor: .levelMeets, points: w.levelMeets))
            if gap > 0 { out.append(.init(factor: .levelAbove, points: w.perLevelAbove * Double(gap))) }
        } else {
            out.append(.init(factor: .levelBelow, points: w.perLevelBelow * Double(-gap)))
        }
        return out
    }

    static func total(_ c: [MatchContribution]) -> Double { c.reduce(0) { $0 + $1.points } }

    /// The candidate's score with its reasons, or nil when nothing ties them to the occupation.
    public static func score(_ c: MatchCandidate, for r: MatchRequirement, weights w: MatchWeights = MatchWeights()) -> Match? {
        // The best valid certificate; revoked, suspended and expired ones count for nothing.
        let verified = c.certificates.filter { $0.status == .valid }.compactMap { skill($0.occupationCode, $0.level, r, w) }.max {
            total($0) < total($1)
        }
        var contributions: [MatchContribution]
        var isVerified = true
        if let verified {
            contributions = verified
        } else if c.nearCompletion {
            contributions = [.init(factor: .nearCompletion, points: w.nearCompletion)]
        } else if let declared = c.declared.compactMap({ skill($0.occupationCode, $0.level, r, w) }).max(by: { total($0) < total($1) }) {
            isVerified = false
            contributions = [.init(factor: .selfDeclared, points: total(declared) * w.selfDeclaredFactor)]
        } else {
            return nil
        }
        if verified != nil && c.nearCompletion { contributions.append(.init(factor: .nearCompletion, points: w.nearCompletion)) }
        let tier = regionTier(c.regionCode, r)
        if let factor = tier.factor { contributions.append(.init(factor: factor, points: tier.points(w))) }
        if c.trainedForPosition {
            contributions.append(.init(factor: .trainedForPosition, points: w.trainedForPosition))
        } else if c.trainedForEnterprise {
            contributions.append(.init(factor: .trainedForEnterprise, points: w.trainedForEnterprise))
        }
        if let m = c.mentorAssessment, isVerified {
            contributions.append(.init(factor: .mentorAssessment, points: w.mentorAssessment * max(0, min(m, 100)) / 100))
        }
        return Match(candidateID: c.id, verified: isVerified, score: (total(contributions) * 10).rounded() / 10, contributions: contributions)
    }

    /// Verified candidates first, each group by score (highest first), ties by id so the order is stable.
    public static func rank(_ candidates: [MatchCandidate], for r: MatchRequirement, weights: MatchWeights = MatchWeights(), limit: Int = 50)
        -> [Match]
    {
        let scored = candidates.compactMap { score($0, for: r, weights: weights) }
        let ordered = scored.sorted { a, b in
            if a.verified != b.verified { return a.verified }
            if a.score != b.score { return a.score > b.score }
            return a.candidateID < b.candidateID
        }
        return Array(ordered.prefix(limit))
    }
}

// MARK: Narrowing a large pool

public enum RegionTier: String, Sendable, CaseIterable {
    case same, city, province, other

    public func points(_ w: MatchWeights) -> Double {
        switch self {
        case .same: w.regionSame
        case .city: w.regionCity
        case .province: w.regionProvince
        case .other: 0
        }
    }

    var factor: MatchFactor? {
        switch self {
        case .same: .regionSame
        case .city: .regionCity
        case .province: .regionProvince
        case .other: nil
        }
    }
}

/// One occupation × level among the certificates that can tie a person to a position, with the points a valid
/// certificate there earns (occupation and level factors only).
public struct MatchCell: Sendable, Equatable {
    public let occupationCode: String
    public let level: SkillLevel
    public let points: Double
    public init(occupationCode: String, level: SkillLevel, points: Double) {
        self.occupationCode = occupationCode
        self.level = level
        self.points = points
    }
}

extension Matching {
    /// Where a candidate registered in `region` is, seen from the position: same district, same city, same province.
    public static func regionTier(_ region: String, _ r: MatchRequirement) -> RegionTier {
        if region == r.regionCode { return .same }
        if region.prefix(4) == r.regionCode.prefix(4) { return .city }
        if region.prefix(2) == r.regionCode.prefix(2) { return .province }
        return .other
    }

    public static func regionPoints(_ region: String, _ r: MatchRequirement, weights w: MatchWeights = MatchWeights()) -> Double {
        regionTier(region, r).points(w)
    }

    /// The region tiers, most points first (the order a large pool is read in).
    public static func regionTiers(_ w: MatchWeights = MatchWeights()) -> [RegionTier] {
        RegionTier.allCases.sorted { a, b in a.points(w) != b.points(w) ? a.points(w) > b.points(w) : a.rawValue < b.rawValue }
    }

    /// Every certificate cell that counts for the requirement, best first: the given occupation codes (those of the
    /// position's medium group) at every certified level.
    public static func cells(occupations: [String], for r: MatchRequirement, weights w: MatchWeights = MatchWeights()) -> [MatchCell] {
        var out: [MatchCell] = []
        for code in Set(occupations + [r.occupationCode]) {
            for level in SkillLevel.allCases where level.certificateCode != nil {
                guard let s = skill(code, level, r, w) else { continue }
                out.append(MatchCell(occupationCode: code, level: level, points: total(s)))
            }
        }
        return out.sorted { a, b in
            if a.points != b.points { return a.points > b.points }
            if a.occupationCode != b.occupationCode { return a.occupationCode < b.occupationCode }
            return a.level.rank > b.level.rank
        }
    }
}

/// Finds, cell by cell (best cells first), the certified candidates who can reach the top `limit` without reading
/// the whole pool. It is exact for candidates whose score is their best certificate plus region; callers add
/// everyone with training facts (position, enterprise, near completion, mentor assessment) themselves, and rank the
/// union with `Matching.rank`.
public struct MatchShortlist: Sendable {
    public let limit: Int
    let maxRegion: Double
    let requirement: MatchRequirement
    let weights: MatchWeights
    public private(set) var ids: Set<String> = []
    /// The best `limit` lower-bound scores so far, ascending.
    var best: [Double] = []

    public init(limit: Int, for r: MatchRequirement, weights w: MatchWeights = MatchWeights()) {
        self.limit = max(1, limit)
        self.requirement = r
        self.weights = w
        maxRegion = max(0, w.regionSame, w.regionCity, w.regionProvince)
    }

    /// Whether a cell can still hold someone who belongs in the top `limit` (ties included: they rank by id).
    public func wants(_ cell: MatchCell) -> Bool {
        best.count < limit || cell.points + maxRegion >= best[0]
    }

    /// Whether the people of a cell in one region tier can still belong in the top `limit`.
    public func wants(_ cell: MatchCell, _ tier: RegionTier) -> Bool {
        best.count < limit || cell.points + tier.points(weights) >= best[0]
    }

    /// How many rows of one cell and region tier to read, by id: enough for `limit` people not seen yet (they all
    /// score the same, so the lowest ids win ties).
    public var fetchLimit: Int { limit + ids.count }

    /// A candidate read from a cell (rows come best first; a person's first cell is their best certificate).
    public mutating func add(_ id: String, region: String, in cell: MatchCell) {
        guard ids.insert(id).inserted else { return }
        let s = cell.points + Matching.regionPoints(region, requirement, weights: weights)
        if best.count < limit {
            best.insert(s, at: best.firstIndex { $0 > s } ?? best.count)
        } else if s > best[0] {
            best.removeFirst()
            best.insert(s, at: best.firstIndex { $0 > s } ?? best.count)
        }
    }

    /// Fewer than `limit` verified by certificate: every cell was read, and self-declared candidates may be needed.
    public var isShort: Bool { best.count < limit }
}
