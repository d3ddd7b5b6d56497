/// The eight-level skill ladder (人社部发〔2022〕14号): 学徒工, the five certificated levels 五级 … 一级,
/// and the post-based 特级技师 and 首席技师. Ordered from lowest to highest.
public enum SkillLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case apprentice, level5, level4, level3, level2, level1, specialTechnician, chiefTechnician

    /// How a level is reached.
    public enum Route: String, Sendable, Codable {
        /// 学徒工: criteria set by the enterprise after the mentoring period and probation.
        case enterpriseCriteria
        /// 五级 … 一级: evaluated against the occupational standard; a certificate is issued.
        case evaluation
        /// 特级技师, 首席技师: evaluate-and-appoint (评聘结合) to a senior technical post.
        case appointment
    }

    public var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: SkillLevel, b: SkillLevel) -> Bool { a.rank < b.rank }

    /// The level digit written on a certificate (5 = 五级/初级工 … 1 = 一级/高级技师), or nil for non-certificated levels.
    public var certificateCode: Int? {
        switch self {
        case .level5: 5
        case .level4: 4
        case .level3: 3
        case .level2: 2
        case .level1: 1
        default: nil
        }
    }

    public init?(certificateCode: Int) {
        guard let l = Self.allCases.first(where: { $0.certificateCode == certificateCode }) else { return nil }
        self = l
    }

    public var route: Route {
        switch self {
        case .apprentice: .enterpriseCriteria
        case .specialTechnician, .chiefTechnician: .appointment
        default: .evaluation
        }
    }

    /// The five levels a vocational skill level certificate can carry.
    public static let certificated: [SkillLevel] = [.level5, .level4, .level3, .level2, .level1]

    /// Levels whose evaluation adds a comprehensive review (综合评审): 二级/技师 and 一级/高级技师.
    public var needsComprehensiveReview: Bool { self == .level2 || self == .level1 }

    /// The next level up the ladder, if any.
    public var next: SkillLevel? { rank + 1 < Self.allCases.count ? Self.allCases[rank + 1] : nil }
}

extension SkillLevel {
    /// A certificated level as people write it: `level4`, `4`, `四级`, `中级工`, `4级` (五级 … 一级 only).
    public init?(written raw: String) {
        let t = raw.trimmingCharacters(in: .whitespaces)
        if let l = SkillLevel(rawValue: t), l.certificateCode != nil {
            self = l
            return
        }
        if let n = Int(t.hasSuffix("级") ? String(t.dropLast()) : t), let l = SkillLevel(certificateCode: n) {
            self = l
            return
        }
        if t.contains("特级") || t.contains("首席") { return nil }  // appointed, never certificated
        // Longest words first: 高级技师 before 技师 and 高级工.
        let words: [(String, SkillLevel)] = [
            ("高级技师", .level1), ("高级工", .level3), ("中级工", .level4), ("初级工", .level5), ("技师", .level2),
            ("五级", .level5), ("四级", .level4), ("三级", .level3), ("二级", .level2), ("一级", .level1),
            ("初级", .level5), ("中级", .level4),
        ]
        guard let l = words.first(where: { t.contains($0.0) })?.1 else { return nil }
        self = l
    }
}
