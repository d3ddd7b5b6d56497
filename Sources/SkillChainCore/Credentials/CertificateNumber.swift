/// A skill level certificate number (人社鉴发〔2019〕2号): institution type (`Y`/`S`), institution code (4 digits),
/// province (2), site serial (6), issue year (YY), level (1–5), serial (6) — 22 characters, unique per body, year and
/// level. Legacy numbers (16-digit qualification certificates; 13-digit Shanghai numbers padded with `000`) are
/// accepted when existing certificates are imported.
public struct CertificateNumber: Sendable, Hashable, CustomStringConvertible {
    public enum Format: String, Sendable, Codable { case national, legacyQualification }

    public let value: String
    public let format: Format

    public var description: String { value }

    public enum Problem: String, Error, Sendable {
        case length = "certificateNumber.length"
        case characters = "certificateNumber.characters"
        case institutionType = "certificateNumber.institutionType"
        case level = "certificateNumber.level"
        case serial = "certificateNumber.serial"
        case province = "certificateNumber.province"
    }

    /// The two-digit province codes of the region catalogue.
    static let provinces = Set(RegionCatalog.shared.regions.map { String($0.code.prefix(2)) })

    /// The largest serial in one body, year and level.
    public static let maxSerial = 999_999

    /// Builds the national number for the `serial`-th certificate of a body (`prefix` = type, code, province, site).
    public static func make(identity: FilingIdentity, year: Int, level: SkillLevel, serial: Int) throws(Problem) -> CertificateNumber {
        guard let code = level.certificateCode else { throw .level }
        guard (1...maxSerial).contains(serial) else { throw .serial }
        let yy = String(year % 100).leftPadded(to: 2)
        return try CertificateNumber(identity.certificatePrefix + yy + String(code) + String(serial).leftPadded(to: 6))
    }

    /// Parses and checks a number as printed (spaces and hyphens ignored, letters upper-cased).
    public init(_ raw: String) throws(Problem) {
        let s = raw.uppercased().filter { $0 != " " && $0 != "-" }
        let digits = { (t: Substring) in t.allSatisfy { $0.isASCII && $0.isNumber } }
        switch s.count {
        case 22:
            guard let first = s.first, first == "Y" || first == "S" else {
                throw s.first?.isLetter == true ? .institutionType : .characters
            }
            let rest = s.dropFirst()
            guard digits(rest) else { throw .characters }
            let a = Array(s)
            guard Self.provinces.contains(String(a[5...6])) else { throw .province }
            guard ("1"..."5").contains(a[15]) else { throw .level }
            guard String(a[16...21]) != "000000" else { throw .serial }
            value = s
            format = .national
        case 16, 13:
            let padded = s.count == 13 ? s + "000" : s
            guard digits(Substring(padded)) else { throw .characters }
            value = padded
            format = .legacyQualification
        default:
            throw .length
        }
    }

    /// Components of a national number.
    public var institutionType: InstitutionType? { format == .national ? InstitutionType(rawValue: String(value.prefix(1))) : nil }
    public var prefix: String { String(value.prefix(13)) }
    public var year: Int? { format == .national ? Int(value.dropFirst(13).prefix(2)).map { 2000 + $0 } : nil }
    public var level: SkillLevel? {
        guard format == .national, let c = Int(String(Array(value)[15])) else { return nil }
        return SkillLevel.certificated.first { $0.certificateCode == c }
    }
    public var serial: Int? { format == .national ? Int(value.suffix(6)) : nil }
}

extension String {
    func leftPadded(to n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
