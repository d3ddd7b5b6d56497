import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 6 digits, 30-second steps, accepted one
/// step either side for clock drift. Any authenticator app (or `pyotp`) reads the `otpauth://` URI.
public struct TOTP: Sendable {
    public let secret: [UInt8]
    public var digits = 6
    public var period: Int64 = 30
    public var skew: Int64 = 1

    public init(secret: [UInt8]) { self.secret = secret }

    public init?(base32 text: String) {
        guard let bytes = Base32.decode(text), bytes.count >= 10 else { return nil }
        secret = bytes
    }

    /// A new random 160-bit secret (RFC 4226 §4 recommends 160 bits).
    public static func generate(using random: any RandomSource) -> TOTP { TOTP(secret: random.bytes(20)) }

    public var base32: String { Base32.encode(secret) }

    public func step(at date: Date) -> Int64 { Int64(floor(date.timeIntervalSince1970)) / period }

    /// The HOTP value for a counter (RFC 4226 §5.3, dynamic truncation).
    public func code(counter: Int64) -> String {
        var big = UInt64(bitPattern: counter).bigEndian
        let message = withUnsafeBytes(of: &big) { Data($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0f)
        let binary = (UInt32(mac[offset] & 0x7f) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    public func code(at date: Date) -> String { code(counter: step(at: date)) }

    /// The step a code matches at `date` (within the skew), or nil. A step at or before `after` is refused, so each
    /// code is good once.
    public func match(_ given: String, at date: Date, after lastUsed: Int64? = nil) -> Int64? {
        let code = given.filter { !$0.isWhitespace }
        guard code.count == digits, code.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let now = step(at: date)
        for s in (now - skew)...(now + skew) where lastUsed.map({ s > $0 }) ?? true {
            if Tokens.equal(self.code(counter: s), code) { return s }
        }
        return nil
    }

    /// The enrolment URI authenticator apps scan (Key Uri Format).
    public func uri(issuer: String, account: String) -> String {
        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s }
        return "otpauth://totp/\(enc(issuer)):\(enc(account))?secret=\(base32)&issuer=\(enc(issuer))&algorithm=SHA1&digits=\(digits)&period=\(period)"
    }
}

/// RFC 4648 base32 (upper case, no padding on output; padding, spaces and case ignored on input).
public enum Base32 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = ""
        var buffer = 0
        var bits = 0
        for b in bytes {
            buffer = (buffer << 8) | Int(b)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return out
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = 0
        var bits = 0
        for c in text.uppercased() where c != "=" && c != " " && c != "-" {
            guard let v = alphabet.firstIndex(of: c) else { return nil }
            buffer = (buffer << 5) | v
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xff))
                bits -= 8
            }
            buffer &= 0xffff
        }
        return out
    }
}

/// Ten single-use recovery codes (`xxxx-xxxx`, 40 bits each, lower-case letters and digits without look-alikes); only
/// their SHA-256 digests are kept.
public enum RecoveryCodes {
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyz23456789")

    public static func generate(count: Int = 10, using random: any RandomSource) -> [String] {
        (0..<count).map { _ in
            let chars = (0..<8).map { _ in alphabet[random.int(below: alphabet.count)] }
            return String(chars[0..<4]) + "-" + String(chars[4..<8])
        }
    }

    public static func normalise(_ code: String) -> String { code.lowercased().filter { $0.isLetter || $0.isNumber } }

    public static func digest(_ code: String) -> String { Tokens.digest("recovery:" + normalise(code)) }

    /// The digests left after using `code`, or nil when it is not one of them.
    public static func use(_ code: String, from digests: [String]) -> [String]? {
        let d = digest(code)
        guard let i = digests.firstIndex(where: { Tokens.equal($0, d) }) else { return nil }
        var rest = digests
        rest.remove(at: i)
        return rest
    }
}
