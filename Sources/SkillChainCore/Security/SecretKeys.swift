import Crypto
import Foundation

/// Keys derived from the platform secret (HKDF-SHA256, one label per purpose), so one
/// configured secret never serves two purposes directly.
public struct SecretKeys: Sendable {
    public let personalDataKey: SymmetricKey
    public let blindIndexKey: SymmetricKey
    public let csrfKey: SymmetricKey
    /// Keys the per-certificate secret of printed QR links (see `PublicVerification.linkSecret`).
    public let verificationLinkKey: SymmetricKey

    public init(secret: String) {
        let ikm = SymmetricKey(data: Data(secret.utf8))
        func derive(_ label: String) -> SymmetricKey {
            HKDF<SHA256>.deriveKey(inputKeyMaterial: ikm, salt: Data("skillchain".utf8), info: Data(label.utf8), outputByteCount: 32)
        }
        personalDataKey = derive("personal-data.aes-gcm.v1")
        blindIndexKey = derive("personal-data.blind-index.v1")
        csrfKey = derive("csrf.v1")
        verificationLinkKey = derive("verification-link.v1")
    }
}

/// Encrypts personal identifiers at rest (AES-256-GCM) and computes the HMAC blind index used to find
/// a person by exact number without storing the number.
public struct PersonalDataCipher: Sendable {
    public enum Problem: Error, Sendable { case undecryptable }
    let keys: SecretKeys

    public init(keys: SecretKeys) { self.keys = keys }

    /// `nonce ‖ ciphertext ‖ tag`, base64.
    public func seal(_ plaintext: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: keys.personalDataKey)
        guard let combined = box.combined else { throw Problem.undecryptable }
        return combined.base64EncodedString()
    }

    public func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: sealed),
            let box = try? AES.GCM.SealedBox(combined: data),
            let plain = try? AES.GCM.open(box, using: keys.personalDataKey),
            let text = String(data: plain, encoding: .utf8)
        else { throw Problem.undecryptable }
        return text
    }

    public func blindIndex(_ value: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(value.utf8), using: keys.blindIndexKey)).hexString
    }
}

public enum Tokens {
    /// How tokens are kept at rest: SHA-256, hex.
    public static func digest(_ token: String) -> String { Data(SHA256.hash(data: Data(token.utf8))).hexString }

    /// Constant-time comparison for secrets of equal length.
    public static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension Data {
    /// Lower-case hex. (Table-driven: `String(format:)` per byte cost ~90 µs per digest on Linux, which bulk imports felt.)
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
