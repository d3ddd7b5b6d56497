/// The registry of skill platforms (DOMAIN §6): high-skill talent training bases (高技能人才培训基地), skills training
/// bases, skill master studios (技能大师工作室) and industrial colleges (产业学院), each hosted by an organization,
/// approved at a level in a year, with funding granted and spent.
public enum SkillBaseKind: String, Sendable, Codable, CaseIterable {
    case highSkillBase, trainingBase, masterStudio, industrialCollege

    /// Industrial colleges are run by schools; the others by enterprises, schools or training institutions.
    public func allowsHost(_ kind: OrganizationKind) -> Bool {
        switch self {
        case .industrialCollege: kind.isEducation && kind != .trainingInstitution
        case .highSkillBase, .trainingBase, .masterStudio: kind == .enterprise || kind.isEducation
        }
    }

    /// A studio is named after its master and must have one.
    public var needsMaster: Bool { self == .masterStudio }
}

public struct SkillBaseFacts: Sendable, Equatable {
    public let kind: SkillBaseKind
    public let tier: HonourTier
    public let approvalYear: Int
    /// Yuan.
    public let fundingGranted: Int
    public let fundingSpent: Int
    public init(kind: SkillBaseKind, tier: HonourTier, approvalYear: Int, fundingGranted: Int, fundingSpent: Int) {
        self.kind = kind
        self.tier = tier
        self.approvalYear = approvalYear
        self.fundingGranted = fundingGranted
        self.fundingSpent = fundingSpent
    }
}

public enum SkillBaseRules {
    /// Published reference grants (DOMAIN §6): a national high-skill base up to 5 million yuan; a national master
    /// studio 100,000–500,000 yuan. Other kinds and levels have no published figure here.
    public static func referenceGrant(_ kind: SkillBaseKind, _ tier: HonourTier) -> ClosedRange<Int>? {
        switch (kind, tier) {
        case (.highSkillBase, .national): 0...5_000_000
        case (.masterStudio, .national): 100_000...500_000
        default: nil
        }
    }

    /// Problems that refuse a change (localization keys, field first).
    public static func problems(_ f: SkillBaseFacts, thisYear: Int) -> [(field: String, code: String)] {
        var out: [(String, String)] = []
        if f.approvalYear > thisYear { out.append(("approvalYear", "registry.yearInFuture")) }
        if f.fundingSpent > f.fundingGranted { out.append(("fundingSpent", "registry.spentOverGranted")) }
        return out
    }

    /// Notices that do not refuse anything: a grant outside the published reference.
    public static func notices(_ f: SkillBaseFacts) -> [String] {
        guard let range = referenceGrant(f.kind, f.tier), !range.contains(f.fundingGranted) else { return [] }
        return ["registry.outsideReference"]
    }

    /// Share of the grant spent, 0–1 (nil without a grant).
    public static func spentShare(_ f: SkillBaseFacts) -> Double? {
        f.fundingGranted > 0 ? Double(f.fundingSpent) / Double(f.fundingGranted) : nil
    }
}
