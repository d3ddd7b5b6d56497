import Crypto
import Foundation

/// Multibase encodings the credentials use: base58btc (`z…`) and base64url without padding (`u…`).
public enum Multibase {
    static let alphabet = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".utf8)
    static let index: [UInt8: Int] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })

    public static func base58btc(_ bytes: [UInt8]) -> String {
        let zeros = bytes.prefix { $0 == 0 }.count
        var b58: [UInt8] = []  // little-endian base-58 digits
        for byte in bytes {
            var carry = Int(byte)
            for j in 0..<b58.count {
                carry += Int(b58[j]) << 8
                b58[j] = UInt8(carry % 58)
                carry /= 58
            }
            while carry > 0 {
                b58.append(UInt8(carry % 58))
                carry /= 58
            }
        }
        return "z" + String(repeating: "1", count: zeros) + String(decoding: b58.reversed().map { alphabet[Int($0)] }, as: UTF8.self)
    }

    public static func decodeBase58btc(_ text: String) -> [UInt8]? {
        guard text.hasPrefix("z") else { return nil }
        let chars = Array(text.utf8.dropFirst())
        let zeros = chars.prefix { $0 == UInt8(ascii: "1") }.count
        var bytes: [UInt8] = []  // little-endian base-256
        for c in chars {
            guard var carry = index[c] else { return nil }
            for j in 0..<bytes.count {
                carry += Int(bytes[j]) * 58
                bytes[j] = UInt8(carry & 0xFF)
                carry >>= 8
            }
            while carry > 0 {
                bytes.append(UInt8(carry & 0xFF))
                carry >>= 8
            }
        }
        return [UInt8](repeating: 0, count: zeros) + bytes.reversed()
    }

    static let base64urlAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// RFC 4648 §5 without padding, written directly (Foundation's string replacements are slow on Linux).
    public static func base64url(_ data: Data) -> String {
        let t = base64urlAlphabet
        var out = [UInt8]()
        out.reserveCapacity((data.count * 4 + 2) / 3)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i + 3 <= b.count {
                let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
                out.append(t[Int(n >> 18)])
                out.append(t[Int(n >> 12 & 63)])
                out.append(t[Int(n >> 6 & 63)])
                out.append(t[Int(n & 63)])
                i += 3
            }
            switch b.count - i {
            case 1:
                let n = UInt32(b[i]) << 16
                out.append(t[Int(n >> 18)])
                out.append(t[Int(n >> 12 & 63)])
            case 2:
                let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8
                out.append(t[Int(n >> 18)])
                out.append(t[Int(n >> 12 & 63)])
                out.append(t[Int(n >> 6 & 63)])
            default: break
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decodeBase64url(_ text: String) -> Data? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s)
    }
}

/// Ed25519 public keys as `Multikey` (`z` + base58btc of the multicodec prefix 0xed01 and the 32 key bytes) and as
/// `did:key`.
public enum Multikey {
    public static func encode(_ key: Curve25519.Signing.PublicKey) -> String { Multibase.base58btc([0xED, 0x01] + Array(key.rawRepresentation)) }

    public static func decode(_ multibase: String) -> Curve25519.Signing.PublicKey? {
        guard let bytes = Multibase.decodeBase58btc(multibase), bytes.count == 34, bytes[0] == 0xED, bytes[1] == 0x01 else { return nil }
        return try? Curve25519.Signing.PublicKey(rawRepresentation: bytes[2...])
    }

    /// The key of a `did:key:z6Mk…` identifier or verification method (`did:key:z…#z…`).
    public static func fromDIDKey(_ did: String) -> Curve25519.Signing.PublicKey? {
        guard did.hasPrefix("did:key:") else { return nil }
        let id = did.dropFirst("did:key:".count).split(separator: "#").first.map(String.init) ?? ""
        return decode(id)
    }
}

/// The W3C Data Integrity cryptosuite `eddsa-jcs-2022`: the proof options (without `proofValue`, with the document's
/// `@context`) and the document (without `proof`) are each canonicalized with RFC 8785 and hashed with SHA-256; the
/// Ed25519 signature is over the proof-options hash followed by the document hash; `proofValue` is its base58btc.
public enum EddsaJcs2022 {
    public static let cryptosuite = "eddsa-jcs-2022"

    public enum Failure: String, Error, Sendable {
        case noProof = "proof.missing"
        case wrongSuite = "proof.cryptosuite"
        case badProofValue = "proof.value"
        case contextMismatch = "proof.context"
        case badSignature = "proof.signature"
    }

    static func hashData(document: JSONValue, options: JSONValue) -> Data {
        Data(SHA256.hash(data: CanonicalJSON.data(options))) + Data(SHA256.hash(data: CanonicalJSON.data(document)))
    }

    /// Signs `document` (which must not carry a proof): returns it with the `proof` member added.
    public static func sign(
        _ document: JSONValue, verificationMethod: String, created: String, key: Curve25519.Signing.PrivateKey,
        proofPurpose: String = "assertionMethod"
    ) throws -> JSONValue {
        var options: [String: JSONValue] = [
            "type": .string("DataIntegrityProof"), "cryptosuite": .string(cryptosuite), "created": .string(created),
            "verificationMethod": .string(verificationMethod), "proofPurpose": .string(proofPurpose),
        ]
        if let context = document["@context"] { options["@context"] = context }
        let signature = try key.signature(for: hashData(document: document.removing("proof"), options: .object(options)))
        options["proofValue"] = .string(Multibase.base58btc(Array(signature)))
        return document.setting("proof", .object(options))
    }

    /// Verifies the embedded proof with `key`. Throws the first reason it does not verify.
    public static func verify(_ secured: JSONValue, key: Curve25519.Signing.PublicKey) throws(Failure) {
        guard let proof = secured["proof"], case .object(var options) = proof else { throw .noProof }
        guard options["cryptosuite"]?.string == cryptosuite, options["type"]?.string == "DataIntegrityProof" else { throw .wrongSuite }
        guard let value = options.removeValue(forKey: "proofValue")?.string, let signature = Multibase.decodeBase58btc(value), signature.count == 64
        else {
            throw .badProofValue
        }
        let document = secured.removing("proof")
        if let context = options["@context"], context != document["@context"] { throw .contextMismatch }
        guard key.isValidSignature(Data(signature), for: hashData(document: document, options: .object(options))) else { throw .badSignature }
    }
}

/// A W3C Bitstring Status List: 131,072 one-bit entries, index 0 the left-most bit, GZIP then multibase base64url.
public struct BitstringStatusList: Sendable, Hashable {
    public static let size = 131_072
    public private(set) var bytes: [UInt8]

    public init() { bytes = [UInt8](repeating: 0, count: Self.size / 8) }

    public subscript(index: Int) -> Bool {
        get { bytes[index / 8] & (0x80 >> UInt8(index % 8)) != 0 }
        set { if newValue { bytes[index / 8] |= 0x80 >> UInt8(index % 8) } else { bytes[index / 8] &= ~(0x80 >> UInt8(index % 8)) } }
    }

    /// `u` + base64url(GZIP(bits)).
    public var encodedList: String { "u" + Multibase.base64url(Gzip.compress(bytes)) }

    public init?(encodedList: String) {
        guard encodedList.hasPrefix("u"), let gz = Multibase.decodeBase64url(String(encodedList.dropFirst())),
            let raw = Gzip.decompressStored(Array(gz)), raw.count * 8 >= Self.size
        else { return nil }
        bytes = raw
    }
}

/// GZIP (RFC 1952) with DEFLATE stored blocks (RFC 1951 §3.2.4): valid for every GZIP reader, no compression library
/// needed. (A status list is 16 KB; stored, its encoded form is about 22,000 characters.)
public enum Gzip {
    static let crcTable: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func crc32(_ data: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in data { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)] }

    public static func compress(_ data: [UInt8]) -> Data {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var offset = 0
        repeat {
            let n = min(65_535, data.count - offset)
            let last: UInt8 = offset + n >= data.count ? 1 : 0
            out += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[offset..<offset + n]
            offset += n
        } while offset < data.count
        out += le32(crc32(data)) + le32(UInt32(truncatingIfNeeded: data.count))
        return Data(out)
    }

    /// Reads back what `compress` writes (stored blocks only); nil for anything else or a bad checksum.
    public static func decompressStored(_ gz: [UInt8]) -> [UInt8]? {
        guard gz.count >= 18, gz[0] == 0x1F, gz[1] == 0x8B, gz[2] == 8, gz[3] == 0 else { return nil }
        var i = 10
        var out: [UInt8] = []
        while true {
            guard i + 5 <= gz.count, gz[i] & 0x06 == 0 else { return nil }
            let last = gz[i] & 1 == 1
            let n = Int(gz[i + 1]) | Int(gz[i + 2]) << 8
            i += 5
            guard i + n <= gz.count else { return nil }
            out += gz[i..<i + n]
            i += n
            if last { break }
        }
        guard i + 8 == gz.count, Array(gz[i..<i + 4]) == le32(crc32(out)) else { return nil }
        return out
    }
}
