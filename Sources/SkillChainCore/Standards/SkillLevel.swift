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
