/// The government view of the loop (issue 6, DOMAIN §6): the rules behind the dashboard's numbers, kept apart from
/// the SQL that counts them.
public enum LoopStage: String, Sendable, Codable, CaseIterable {
    case enrolled, completed, evaluated, certified, placed, onPayGrid
}

/// Pass rates by a key (occupation × level, or evaluation body), with outliers flagged.
public struct PassRate: Sendable, Equatable {
    public let key: String, total: Int, passed: Int
    public var rate: Double { total == 0 ? 0 : Double(passed) / Double(total) }
    public init(key: String, total: Int, passed: Int) {
        self.key = key
        self.total = total
        self.passed = passed
    }
}

public enum PassRates {
    /// Rows whose rate differs from the pooled rate of all rows by at least `points` percentage points, among rows
    /// with at least `minimum` candidates (a body whose pass rate jumps is worth a look; small rows are noise).
    public static func outliers(_ rows: [PassRate], points: Double = 20, minimum: Int = 5) -> Set<String> {
        let total = rows.reduce(0) { $0 + $1.total }
        let passed = rows.reduce(0) { $0 + $1.passed }
        guard total > 0 else { return [] }
        let pooled = Double(passed) / Double(total)
        return Set(rows.filter { $0.total >= minimum && abs($0.rate - pooled) * 100 >= points }.map(\.key))
    }
}

/// The "structural employment contradiction" table: open posts by occupation × required level against the people
/// certified at that level or higher, and those of them available (in the talent pool, not yet placed).
public struct SupplyDemandRow: Sendable, Equatable {
    public let occupationCode: String, level: SkillLevel, openPosts: Int, certified: Int, available: Int
    /// Posts no available certified person could fill (negative: more people than posts).
    public var gap: Int { openPosts - available }
}

public enum SupplyDemand {
    /// `demand`: open posts per (occupation, required level); `certified` and `available`: people per (occupation,
    /// level held). A post requiring level 4 counts holders of 4 and above. Largest shortage first.
    public static func table(
        demand: [String: [SkillLevel: Int]], certified: [String: [SkillLevel: Int]],
        available: [String: [SkillLevel: Int]]
    ) -> [SupplyDemandRow] {
        func atLeast(_ m: [SkillLevel: Int]?, _ level: SkillLevel) -> Int { (m ?? [:]).filter { $0.key >= level }.reduce(0) { $0 + $1.value } }
        var rows: [SupplyDemandRow] = []
        for (code, levels) in demand {
            for (level, posts) in levels {
                rows.append(
                    SupplyDemandRow(
                        occupationCode: code, level: level, openPosts: posts,
                        certified: atLeast(certified[code], level), available: atLeast(available[code], level)))
            }
        }
        return rows.sorted { ($0.gap, $1.occupationCode, $1.level.rank) > ($1.gap, $0.occupationCode, $0.level.rank) }
    }
}

/// Aggregates shown to government are suppressed below a minimum cell size, so no one person's pay can be read.
public enum SmallCells {
    public static let minimum = 5
    public static func show(_ count: Int, minimum: Int = SmallCells.minimum) -> Bool { count >= minimum }
}

/// A cohort's conversion from training to employment: of the people trained in a chain's programmes, how many
/// completed, were certified in the programme's occupation and were placed (anywhere, and inside the chain).
public struct Conversion: Sendable, Equatable {
    public let trained: Int, completed: Int, certified: Int, placed: Int, placedInChain: Int
    public init(trained: Int, completed: Int, certified: Int, placed: Int, placedInChain: Int) {
        self.trained = trained
        self.completed = completed
        self.certified = certified
        self.placed = placed
        self.placedInChain = placedInChain
    }

    /// Each stage as a share of those trained (nil before anyone is trained).
    public func share(_ n: Int) -> Double? { trained == 0 ? nil : Double(n) / Double(trained) }

    /// Stages in order with their counts (people certified may include some evaluated before completing).
    public var stages: [(key: String, count: Int)] {
        [("trained", trained), ("completed", completed), ("certified", certified), ("placed", placed), ("placedInChain", placedInChain)]
    }
}
