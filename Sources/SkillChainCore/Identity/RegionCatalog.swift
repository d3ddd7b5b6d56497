import Foundation

/// A GB/T 2260 administrative division (province or prefecture level).
public struct Region: Hashable, Sendable, Codable {
    public enum Level: String, Sendable, Codable { case province, prefecture }
    public let code: String
    public let name: String
    public let level: Level
    public let parentCode: String?
}

/// The region list shipped with the platform (`Resources/regions.csv`, copied from the national list).
public struct RegionCatalog: Sendable {
    public let regions: [Region]
    private let byCode: [String: Region]

    public init(regions: [Region]) {
        self.regions = regions
        self.byCode = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Parses `code,name,level,parent_code` rows (header first).
    public init(csv: String) {
        var list: [Region] = []
        for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 3, let level = Region.Level(rawValue: f[2]) else { continue }
            let parent = f.count > 3 && !f[3].isEmpty ? f[3] : nil
            list.append(Region(code: f[0], name: f[1], level: level, parentCode: parent))
        }
        self.init(regions: list)
    }

    /// The catalogue bundled in this module.
    public static let shared: RegionCatalog = {
        guard
            let url = Bundle.module.url(forResource: "regions", withExtension: "csv", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "regions", withExtension: "csv"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return RegionCatalog(regions: []) }
        return RegionCatalog(csv: text)
    }()

    public func region(_ code: String) -> Region? { byCode[code] }

    /// True when `inner` is `outer` or lies inside it (a prefecture inside its province).
    public func contains(_ outer: String, _ inner: String) -> Bool {
        if outer == inner { return true }
        return byCode[inner]?.parentCode == outer
    }

    /// The code prefix shared by a region and everything inside it: "44" for 440000, "4419" for 441900.
    public func prefix(of code: String) -> String {
        guard code.count == 6, code.allSatisfy(\.isNumber) else { return code }
        if code.hasSuffix("0000") { return String(code.prefix(2)) }
        if code.hasSuffix("00") { return String(code.prefix(4)) }
        return code
    }

    /// "广东省 东莞市" style full name.
    public func fullName(_ code: String) -> String? {
        guard let r = byCode[code] else { return nil }
        if let p = r.parentCode, let parent = byCode[p] { return parent.name + " " + r.name }
        return r.name
    }
}
