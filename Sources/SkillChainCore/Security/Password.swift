import Crypto
import Foundation

/// Password rules (OWASP ASVS 5.0 §6.2): at least 8 characters, at most 256, no composition rules,
/// verified exactly as typed. `prehash` makes long multibyte passphrases fit bcrypt's 72-byte input.
public enum Password {
    public static let minimumLength = 8
    public static let maximumLength = 256

    public static func problem(_ password: String) -> String? {
        if password.count < minimumLength { return "password.tooShort" }
        if password.count > maximumLength { return "password.tooLong" }
        return nil
    }

    /// base64(SHA-256(password)): 44 ASCII bytes, so bcrypt sees every character of the passphrase.
    public static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }
}
