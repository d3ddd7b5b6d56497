import Crypto
import Foundation

/// The printed certificate's second QR code, verifiable offline (the EU digital certificates' construction): a CBOR
/// map of what the certificate says, signed as COSE_Sign1 (RFC 9052) with the body's Ed25519 key (EdDSA, alg -8),
/// zlib-wrapped (RFC 1950) and Base45-encoded (RFC 9285) after the prefix `SC1:`.
public enum CompactCertificate {
    public static let prefix = "SC1:"

    public struct Claims: Sendable, Equatable {
        public var number, holder, occupationCode, occupation, level, issued, issuer: String
        public var validUntil: String?

        public init(
            number: String, holder: String, occupationCode: String, occupation: String, level: String, issued: String, issuer: String,
            validUntil: String?
        ) {
            (self.number, self.holder, self.occupationCode, self.occupation) = (number, holder, occupationCode, occupation)
            (self.level, self.issued, self.issuer, self.validUntil) = (level, issued, issuer, validUntil)
        }

        var cbor: CBOR {
            var pairs: [(CBOR, CBOR)] = [
                (.text("number"), .text(number)), (.text("holder"), .text(holder)), (.text("occupationCode"), .text(occupationCode)),
                (.text("occupation"), .text(occupation)), (.text("level"), .text(level)), (.text("issued"), .text(issued)),
                (.text("issuer"), .text(issuer)),
            ]
            if let validUntil { pairs.append((.text("validUntil"), .text(validUntil))) }
            return .map(pairs)
        }
    }

    /// The key id in the protected header: the first 8 bytes of SHA-256 of the raw public key.
    public static func keyID(_ publicKey: Data) -> Data { Data(SHA256.hash(data: publicKey).prefix(8)) }

    public static func encode(_ claims: Claims, key: Curve25519.Signing.PrivateKey) throws -> String {
        let protected = CBOR.map([(.int(1), .int(-8)), (.int(4), .bytes(keyID(key.publicKey.rawRepresentation)))]).encoded
        let payload = claims.cbor.encoded
        let toSign = CBOR.array([.text("Signature1"), .bytes(protected), .bytes(Data()), .bytes(payload)]).encoded
        let signature = try key.signature(for: toSign)
        let sign1 = CBOR.tag(18, .array([.bytes(protected), .map([]), .bytes(payload), .bytes(signature)])).encoded
        return prefix + Base45.encode(Zlib.wrapStored(sign1))
    }
}

/// The subset of CBOR (RFC 8949) the compact certificate needs, encoded deterministically (shortest heads).
public indirect enum CBOR: Sendable, Equatable {
    case int(Int)
    case bytes(Data)
    case text(String)
    case array([CBOR])
    case map([(CBOR, CBOR)])
    case tag(UInt64, CBOR)

    public static func == (a: CBOR, b: CBOR) -> Bool { a.encoded == b.encoded }

    static func head(_ major: UInt8, _ value: UInt64) -> Data {
        switch value {
        case 0..<24: return Data([major << 5 | UInt8(value)])
        case 24..<256: return Data([major << 5 | 24, UInt8(value)])
        case 256..<65_536: return Data([major << 5 | 25, UInt8(value >> 8), UInt8(value & 0xFF)])
        case 65_536..<4_294_967_296: return Data([major << 5 | 26] + (0..<4).reversed().map { UInt8((value >> ($0 * 8)) & 0xFF) })
        default: return Data([major << 5 | 27] + (0..<8).reversed().map { UInt8((value >> ($0 * 8)) & 0xFF) })
        }
    }

    public var encoded: Data {
        switch self {
        case .int(let v): return v >= 0 ? Self.head(0, UInt64(v)) : Self.head(1, UInt64(-1 - v))
        case .bytes(let d): return Self.head(2, UInt64(d.count)) + d
        case .text(let s): return Self.head(3, UInt64(s.utf8.count)) + Data(s.utf8)
        case .array(let items): return items.reduce(Self.head(4, UInt64(items.count))) { $0 + $1.encoded }
        case .map(let pairs): return pairs.reduce(Self.head(5, UInt64(pairs.count))) { $0 + $1.0.encoded + $1.1.encoded }
        case .tag(let t, let v): return Self.head(6, t) + v.encoded
        }
    }
}

/// zlib (RFC 1950) around DEFLATE stored blocks: every zlib reader takes it; no compression library needed.
public enum Zlib {
    public static func adler32(_ data: Data) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    public static func wrapStored(_ data: Data) -> Data {
        var out = Data([0x78, 0x01])
        let bytes = [UInt8](data)
        var offset = 0
        repeat {
            let n = min(65_535, bytes.count - offset)
            out += [offset + n >= bytes.count ? 1 : 0, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += bytes[offset..<offset + n]
            offset += n
        } while offset < bytes.count
        let adler = adler32(data)
        return out + [UInt8(adler >> 24), UInt8((adler >> 16) & 0xFF), UInt8((adler >> 8) & 0xFF), UInt8(adler & 0xFF)]
    }
}

/// Base45 (RFC 9285): two bytes to three characters of the QR alphanumeric alphabet.
public enum Base45 {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")

    public static func encode(_ data: Data) -> String {
        let bytes = [UInt8](data)
        var out = ""
        var i = 0
        while i + 1 < bytes.count {
            let n = Int(bytes[i]) * 256 + Int(bytes[i + 1])
            out += String([alphabet[n % 45], alphabet[(n / 45) % 45], alphabet[n / 2025]])
            i += 2
        }
        if i < bytes.count { out += String([alphabet[Int(bytes[i]) % 45], alphabet[Int(bytes[i]) / 45]]) }
        return out
    }

    public static func decode(_ text: String) -> Data? {
        let values = text.map { alphabet.firstIndex(of: $0) }
        guard !values.contains(nil), values.count % 3 != 1 else { return nil }
        let v = values.map { $0! }
        var out = Data()
        var i = 0
        while i + 2 < v.count {
            let n = v[i] + v[i + 1] * 45 + v[i + 2] * 2025
            guard n < 65_536 else { return nil }
            out += [UInt8(n >> 8), UInt8(n & 0xFF)]
            i += 3
        }
        if i + 1 < v.count {
            let n = v[i] + v[i + 1] * 45
            guard n < 256 else { return nil }
            out.append(UInt8(n))
        }
        return out
    }
}
