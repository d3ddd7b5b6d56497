import Foundation

/// A mainland resident identity number (GB 11643-1999): 6-digit address code, 8-digit birth date,
/// 3-digit sequence (odd = male), ISO 7064 MOD 11-2 check character.
public struct CitizenID: Hashable, Sendable, CustomStringConvertible {
    public enum Problem: String, Error, Sendable, Equatable {
        case length = "citizenId.length"
        case characters = "citizenId.characters"
        case birthDate = "citizenId.birthDate"
        case futureBirthDate = "citizenId.futureBirthDate"
        case checkCharacter = "citizenId.checkCharacter"
    }

    public enum Sex: String, Sendable, Codable, CaseIterable { case male, female }

    /// The normalised 18-character number (uppercase X).
    public let value: String

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// Validates and normalises `raw` (surrounding spaces trimmed, lowercase x accepted).
    /// `today` bounds the birth date (a number cannot belong to someone not yet born).
    public init(_ raw: String, today: Date = Date()) throws(Problem) {
        try self.init(raw, today: Day(today))
    }

    /// As above with today's calendar day already known (China time): no calendar work per number, for bulk imports.
    public init(_ raw: String, today: Day) throws(Problem) {
        let text = raw.trimmingCharacters(in: .whitespaces).uppercased()
        guard text.count == 18 else { throw .length }
        let bytes = Array(text.utf8)
        guard bytes.count == 18 else { throw .characters }
        func digit(_ b: UInt8) -> Int? { (48...57).contains(b) ? Int(b - 48) : nil }
        guard bytes[0..<17].allSatisfy({ digit($0) != nil }), digit(bytes[17]) != nil || bytes[17] == UInt8(ascii: "X") else { throw .characters }
        func number(_ r: Range<Int>) -> Int { bytes[r].reduce(0) { $0 * 10 + Int($1 - 48) } }
        let year = number(6..<10)
        let month = number(10..<12)
        let day = number(12..<14)
        guard year >= 1800, (1...12).contains(month), day >= 1, day <= Day.daysIn(year: year, month: month) else { throw .birthDate }
        guard Day(year: year, month: month, day: day) <= today else { throw .futureBirthDate }
        let sum = zip(bytes[0..<17], Self.weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
        guard Self.checkCharacters[sum % 11] == Character(UnicodeScalar(bytes[17])) else { throw .checkCharacter }
        value = text
    }

    /// The MOD 11-2 check character for the first 17 digits.
    public static func checkCharacter(for first17: String) -> Character {
        let sum = zip(first17, weights).reduce(0) { $0 + ($1.0.wholeNumberValue ?? 0) * $1.1 }
        return checkCharacters[sum % 11]
    }

    static func date(_ yyyymmdd: String) -> (date: Date, components: DateComponents)? {
        guard yyyymmdd.count == 8,
            let year = Int(yyyymmdd.prefix(4)), let month = Int(yyyymmdd.dropFirst(4).prefix(2)),
            let day = Int(yyyymmdd.suffix(2)), year >= 1800
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day], from: date) == components
        else { return nil }
        return (date, components)
    }

    /// The GB/T 2260 address code of the place of first registration.
    public var addressCode: String { String(value.prefix(6)) }

    /// Birth date as `YYYY-MM-DD`.
    public var birthDate: String {
        let d = Array(value)[6..<14]
        return "\(String(d.prefix(4)))-\(String(d.dropFirst(4).prefix(2)))-\(String(d.suffix(2)))"
    }

    public var sex: Sex {
        let sequenceDigit = Array(value)[16].wholeNumberValue ?? 0
        return sequenceDigit % 2 == 1 ? .male : .female
    }

    /// The form shown on screens: first four and last four characters, the rest starred.
    public var masked: String { Self.mask(value) }

    public static func mask(_ value: String) -> String {
        guard value.count > 8 else { return String(repeating: "*", count: value.count) }
        return value.prefix(4) + String(repeating: "*", count: value.count - 8) + value.suffix(4)
    }

    /// Never the number itself, so a stray interpolation cannot leak it into a log.
    public var description: String { masked }
}
