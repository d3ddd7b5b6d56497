import Crypto
import Foundation

/// What anyone may learn from a certificate number, and what lifts it to the holder's full name.
///
/// Numbers are sequential within a body, year and level, so the number alone must not name the holder: by number alone
/// the platform answers status, occupation, level, body and dates with the name masked (李*). The full name is shown
/// when the verifier supplies it and it matches (as the national query does), or when the verifier follows the printed
/// certificate's QR link, which carries a secret derived from the number with a platform key.
public enum PublicVerification {
    /// The first character and one star, whatever the length (李四 → 李*, 欧阳修文 → 欧*), so the mask does not tell the
    /// name's length either. Empty stays empty.
    public static func maskName(_ name: String) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.first else { return "" }
        return String(first) + "*"
    }

    /// Names compare after trimming and without inner spaces (people type "李 四" for 李四); letters ignore case.
    public static func nameMatches(_ given: String, holder: String) -> Bool {
        func norm(_ s: String) -> String { s.filter { !$0.isWhitespace && $0 != "\u{3000}" && $0 != "·" && $0 != "•" }.lowercased() }
        let g = norm(given)
        return !g.isEmpty && g == norm(holder)
    }

    /// The secret a printed certificate's QR link carries: HMAC-SHA-256 of the canonical number, 16 bytes, base64url (22 characters).
    public static func linkSecret(number: String, key: SymmetricKey) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(number.utf8), using: key)
        return Multibase.base64url(Data(mac).prefix(16))
    }

    public static func linkSecretMatches(_ given: String, number: String, key: SymmetricKey) -> Bool {
        Tokens.equal(given, linkSecret(number: number, key: key))
    }

    /// How long to hold a verifier back after `misses` unknown numbers or wrong names from one address in the window:
    /// the first `free` cost nothing, then each adds `stepMilliseconds`, up to `maxMilliseconds`. Someone who mistypes
    /// a few times never notices; walking the number space slows to a crawl.
    public struct MissPolicy: Sendable, Equatable {
        public var free: Int = 10
        public var stepMilliseconds: Int = 250
        public var maxMilliseconds: Int = 5_000
        public var windowSeconds: Int = 600
        public init() {}

        public func delayMilliseconds(misses: Int) -> Int {
            guard misses > free else { return 0 }
            return min(maxMilliseconds, (misses - free) * stepMilliseconds)
        }
    }
}

/// Whether a presented credential is the platform's record of that certificate: the same issuer, and the same subject
/// (salted ID hash, name, occupation and level). A credential validly signed by one body but naming another body's
/// certificate number, or a different person, is tampered.
public enum CredentialBinding {
    public struct Result: Sendable, Equatable {
        public let issuerMatches: Bool
        public let subjectMatches: Bool
        /// The subject fields that differ (`identityHash`, `name`, `occupation`, `level`).
        public let differing: [String]
    }

    public static func compare(presented: JSONValue, stored: JSONValue) -> Result {
        func issuer(_ v: JSONValue) -> String? { v["issuer"]?["id"]?.string ?? v["issuer"]?.string }
        func subject(_ v: JSONValue) -> [String: String?] {
            let s = v["credentialSubject"]
            let hash = s?["identifier"]?.array?.first?["identityHash"]?.string
            let occupation = s?["achievement"]?["alignment"]?.array?.first?["targetCode"]?.string
            let level = s?["result"]?.array?.first { $0["resultDescription"]?.string?.hasSuffix("-level") == true }?["value"]?.string
            return ["identityHash": hash, "name": s?["name"]?.string, "occupation": occupation, "level": level]
        }
        let p = subject(presented)
        let s = subject(stored)
        let differing = ["identityHash", "name", "occupation", "level"].filter { key in
            guard let a = p[key] ?? nil, let b = s[key] ?? nil else { return true }
            return a != b
        }
        let i = issuer(presented)
        return Result(issuerMatches: i != nil && i == issuer(stored), subjectMatches: differing.isEmpty, differing: differing)
    }
}
