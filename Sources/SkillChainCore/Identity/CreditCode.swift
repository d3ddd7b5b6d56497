import Foundation

/// The unified social credit code of an organization (GB 32100-2015): 18 characters from a
/// 31-character alphabet (no I, O, S, V, Z), the last a weighted MOD 31 check character.
public struct CreditCode: Hashable, Sendable, CustomStringConvertible {
    public enum Problem: String, Error, Sendable, Equatable {
        case length = "creditCode.length"
        case characters = "creditCode.characters"
        case checkCharacter = "creditCode.checkCharacter"
    }

    static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public let value: String

    public init(_ raw: String) throws(Problem) {
        let text = raw.trimmingCharacters(in: .whitespaces).uppercased()
        guard text.count == 18 else { throw .length }
        guard text.allSatisfy({ Self.alphabet.contains($0) }) else { throw .characters }
        guard Self.checkCharacter(for: String(text.prefix(17))) == text.last else { throw .checkCharacter }
        value = text
    }

    /// The check character for the first 17 characters (which must be from the alphabet).
    public static func checkCharacter(for first17: String) -> Character? {
        var sum = 0
        for (char, weight) in zip(first17, weights) {
            guard let index = alphabet.firstIndex(of: char) else { return nil }
            sum += index * weight
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    public var description: String { value }
}

extension CreditCode {
    /// Completes 17 characters with their check character (used to make fixtures and demo data).
    public static func completing(_ first17: String) -> CreditCode? {
        guard first17.count == 17, let check = checkCharacter(for: first17) else { return nil }
        return try? CreditCode(first17 + String(check))
    }
}

extension CitizenID {
    /// Completes 17 digits with their check character (used to make fixtures and demo data).
    public static func completing(_ first17: String) -> CitizenID? {
        try? CitizenID(first17 + String(checkCharacter(for: first17)))
    }
}
