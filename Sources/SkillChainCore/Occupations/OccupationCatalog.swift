import Foundation

/// One occupation (细类) of the national occupation classification, with the edition its code belongs to:
/// codes changed between editions (焊工 was 6-04-02-05, is 6-18-02-04 in 2022), so the edition travels with the code.
public struct Occupation: Sendable, Codable, Hashable {
    public let edition: String
    public let code: String
    public let name: String
    public let majorCode: String
    public let mediumCode: String
    public let minorCode: String
    public let minorName: String
    /// 数字职业 (marked S in the catalogue).
    public let isDigital: Bool
    /// 绿色职业 (marked L in the catalogue).
    public let isGreen: Bool
    /// Number of work types (工种) under the occupation, as the online catalogue counts them today.
    public internal(set) var workTypeCount: Int = 0
    /// `2022` for the printed edition, `added-2024`, `added-2025` or `added-post-2022` for occupations announced since.
    public internal(set) var listing: String = "2022"
}

/// A group of the classification: 8 major (大类), 79 medium (中类), 450 minor (小类) in 2022.
public struct OccupationGroup: Sendable, Codable, Hashable {
    public enum Level: String, Sendable, Codable { case major, medium, minor }
    public let level: Level
    public let code: String
    public let name: String
    public let parentCode: String?
}

/// The shipped 2022 catalogue (`Resources/occupations-2022.csv`, `occupation-groups-2022.csv`, copied from the
/// official online catalogue; see shared/data/README.md for its provenance).
public struct OccupationCatalog: Sendable {
    public let edition: String
    public let occupations: [Occupation]
    public let groups: [OccupationGroup]
    private let byCode: [String: Occupation]

    public init(edition: String, occupationsCSV: String, groupsCSV: String, extraCSV: String = "") {
        self.edition = edition
        var extra: [String: (Int, String)] = [:]
        for line in extraCSV.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f.count >= 3, let n = Int(f[1]) { extra[f[0]] = (n, f[2]) }
        }
        occupations = occupationsCSV.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 9 else { return nil }
            var o = Occupation(
                edition: edition, code: f[0], name: f[1], majorCode: f[2], mediumCode: f[4], minorCode: f[6],
                minorName: f[7], isDigital: f[8].contains("S"), isGreen: f[8].contains("L"))
            if let (count, listing) = extra[f[0]] {
                o.workTypeCount = count
                o.listing = listing
            }
            return o
        }
        groups = groupsCSV.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 4, let level = OccupationGroup.Level(rawValue: f[0]) else { return nil }
            return OccupationGroup(level: level, code: f[1], name: f[2], parentCode: f[3].isEmpty ? nil : f[3])
        }
        byCode = Dictionary(occupations.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The occupation with exactly this code.
    public func occupation(_ code: String) -> Occupation? { byCode[code] }

    public static let edition2022: OccupationCatalog = {
        func text(_ name: String) -> String {
            guard
                let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Resources")
                    ?? Bundle.module.url(forResource: name, withExtension: "csv")
            else { return "" }
            return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        }
        return OccupationCatalog(
            edition: "2022", occupationsCSV: text("occupations-2022"), groupsCSV: text("occupation-groups-2022"),
            extraCSV: text("occupations-2022-extra"))
    }()

    /// Occupations whose code starts with `query` or whose name contains it; exact names first, then by code.
    public func search(_ query: String) -> [Occupation] {
        let q = query.trimmingCharacters(in: .whitespaces)
        guard !q.isEmpty else { return occupations }
        let hits = occupations.filter { $0.code.hasPrefix(q) || $0.name.contains(q) }
        return hits.sorted { a, b in
            let ra = a.name == q ? 0 : (a.name.hasPrefix(q) ? 1 : 2)
            let rb = b.name == q ? 0 : (b.name.hasPrefix(q) ? 1 : 2)
            return ra != rb ? ra < rb : a.code < b.code
        }
    }
}
