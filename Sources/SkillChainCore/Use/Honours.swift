/// Honours (DOMAIN §6): campaigns such as 全国技术能手, 劳动模范, 先进工作者 and the government special allowance,
/// eligibility from verified records, a score tilted to front-line workers, and the quota.
public enum HonourKind: String, Sendable, Codable, CaseIterable {
    case technicalExpert, laborModel, advancedWorker, specialAllowance, mayDayMedal
}

public enum HonourTier: String, Sendable, Codable, CaseIterable { case national, provincial, city }

public struct HonourCriteria: Sendable, Equatable, Codable {
    public var minimumLevel: SkillLevel
    public var frontLineRequired: Bool
    public var minimumYearsOfService: Int
    /// Extra share of the score for front-line workers (0.2 = +20 %).
    public var frontLineTilt: Double
    public init(minimumLevel: SkillLevel, frontLineRequired: Bool, minimumYearsOfService: Int, frontLineTilt: Double = 0.2) {
        self.minimumLevel = minimumLevel
        self.frontLineRequired = frontLineRequired
        self.minimumYearsOfService = minimumYearsOfService
        self.frontLineTilt = frontLineTilt
    }
}

/// What a nomination is judged on: the verified level (from certificates), the post, years of service, and the best
/// competition placing (1 = first) if any.
public struct NomineeFacts: Sendable, Equatable, Codable {
    public var verifiedLevel: SkillLevel?
    public var frontLine: Bool
    public var yearsOfService: Double
    public var bestPlacing: Int?
    public init(verifiedLevel: SkillLevel?, frontLine: Bool, yearsOfService: Double, bestPlacing: Int? = nil) {
        self.verifiedLevel = verifiedLevel
        self.frontLine = frontLine
        self.yearsOfService = yearsOfService
        self.bestPlacing = bestPlacing
    }
}

/// One part of a nominee's score. Localization key `honour.factor.<rawValue>`.
public enum HonourFactor: String, Sendable, Codable, CaseIterable { case level, service, competition, frontLineTilt }

public struct HonourContribution: Sendable, Equatable, Codable {
    public let factor: HonourFactor
    public let points: Double
}

public enum Honours {
    /// Unmet criteria as localization codes (empty: eligible).
    public static func shortfalls(_ f: NomineeFacts, _ c: HonourCriteria) -> [String] {
        var out: [String] = []
        if let l = f.verifiedLevel {
            if l < c.minimumLevel { out.append("honour.shortfall.level") }
        } else {
            out.append("honour.shortfall.noCertificate")
        }
        if c.frontLineRequired && !f.frontLine { out.append("honour.shortfall.frontLine") }
        if f.yearsOfService < Double(c.minimumYearsOfService) { out.append("honour.shortfall.service") }
        return out
    }

    /// 10 points a level from 五级 up, 1 a year of service (at most 20), 15/10/6 for a first/second/third placing;
    /// then the front-line tilt on the sum. Each part named.
    public static func score(_ f: NomineeFacts, _ c: HonourCriteria) -> [HonourContribution] {
        var out: [HonourContribution] = []
        if let l = f.verifiedLevel { out.append(.init(factor: .level, points: Double(max(0, l.rank - SkillLevel.apprentice.rank)) * 10)) }
        out.append(.init(factor: .service, points: min(20, max(0, f.yearsOfService.rounded(.down)))))
        if let p = f.bestPlacing, let pts = [1: 15.0, 2: 10.0, 3: 6.0][p] { out.append(.init(factor: .competition, points: pts)) }
        if f.frontLine && c.frontLineTilt > 0 {
            let base = out.reduce(0) { $0 + $1.points }
            out.append(.init(factor: .frontLineTilt, points: (base * c.frontLineTilt * 10).rounded() / 10))
        }
        return out
    }

    public static func total(_ c: [HonourContribution]) -> Double { c.reduce(0) { $0 + $1.points } }

    /// The final score of a nomination: the rule score, blended half and half with the panel's mean where the panel
    /// has scored (0–100 each).
    public static func final(rule: Double, panel: [Double]) -> Double {
        guard !panel.isEmpty else { return rule }
        return ((rule + panel.reduce(0, +) / Double(panel.count)) / 2 * 10).rounded() / 10
    }

    /// Why a panel member must stand aside for a nominee (as in evaluation): it is themself, their own employer's
    /// nominee, or a relative they declared. Compared by citizen-ID index, so records in two organizations are one person.
    public static func recusal(
        reviewerIndex: String?, reviewerOrganization: String, nomineeIndex: String, nomineeOrganization: String,
        declaredRelatives: Set<String> = []
    ) -> [RecusalReason] {
        var out: [RecusalReason] = []
        if reviewerIndex == nomineeIndex { out.append(.self_) }
        if reviewerOrganization == nomineeOrganization { out.append(.colleague) }
        if declaredRelatives.contains(nomineeIndex) { out.append(.relative) }
        return out
    }

    /// Who is awarded: eligible nominations by score (ties by id), at most `quota`.
    public static func awarded(_ scored: [(id: String, score: Double, eligible: Bool)], quota: Int) -> [String] {
        scored.filter(\.eligible).sorted { ($0.score, $1.id) > ($1.score, $0.id) }.prefix(max(0, quota)).map(\.id)
    }
}

/// An honour as an Open Badges 3.0 credential (`achievementType` `Award`), issued by the government body that ran
/// the campaign. The holder is identified by a salted hash of the ID number, as on certificates.
public enum AwardCredential {
    public static func document(
        id: String, issuerDID: String, issuerName: String, holderName: String, citizenID: String, salt: String,
        campaignName: String, kind: HonourKind, tier: HonourTier, year: Int, awarded: Day
    ) -> JSONValue {
        .object([
            "@context": .array(CertificateCredential.contexts),
            "id": .string(id),
            "type": .array([.string("VerifiableCredential"), .string("OpenBadgeCredential")]),
            "name": .string(campaignName),
            "issuer": .object(["id": .string(issuerDID), "type": .array([.string("Profile")]), "name": .string(issuerName)]),
            "validFrom": .string(awarded.description + "T00:00:00Z"),
            "credentialSubject": .object([
                "type": .array([.string("AchievementSubject")]),
                "name": .string(holderName),
                "identifier": .array([
                    .object([
                        "type": .string("IdentityObject"), "identityType": .string("nationalIdentityNumber"), "hashed": .bool(true),
                        "identityHash": .string(CertificateCredential.identityHash(citizenID, salt: salt)), "salt": .string(salt),
                    ])
                ]),
                "achievement": .object([
                    "id": .string(id + "#achievement"), "type": .array([.string("Achievement")]), "achievementType": .string("Award"),
                    "name": .string(campaignName),
                    "description": .string("\(year) · \(kind.rawValue) · \(tier.rawValue)"),
                    "criteria": .object(["narrative": .string("经评选、公示，授予此荣誉。Selected, publicly noticed and awarded.")]),
                ]),
            ]),
        ])
    }
}
