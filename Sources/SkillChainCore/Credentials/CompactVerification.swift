import Crypto
import Foundation

/// Checking an `SC1:` record without the network, against a trust list: what the offline page does in the browser
/// and `skillchain verify-qr` on the command line.
extension CompactCertificate {
    public enum Failure: String, Error, Sendable {
        case notSC1 = "offline.notSC1"
        case encoding = "offline.encoding"
        case structure = "offline.structure"
        case unknownIssuer = "offline.unknownIssuer"
        case unknownKey = "offline.unknownKey"
        case badSignature = "offline.badSignature"
    }

    public struct Verified: Sendable, Equatable {
        public var claims: Claims
        public var issuerName: String
        public var key: TrustList.Key
    }

    public static func verify(_ text: String, trust: TrustList) throws(Failure) -> Verified {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix(prefix) else { throw .notSC1 }
        guard let zipped = Base45.decode(String(trimmed.dropFirst(prefix.count))), let raw = Zlib.unwrapStored(zipped) else {
            throw .encoding
        }
        guard case .tag(18, .array(let parts))? = CBOR.decode(raw), parts.count == 4,
            case .bytes(let protected) = parts[0], case .bytes(let payload) = parts[2], case .bytes(let signature) = parts[3],
            case .map(let header)? = CBOR.decode(protected), header.value(.int(1)) == .int(-8),
            case .bytes(let kid)? = header.value(.int(4)),
            case .map(let fields)? = CBOR.decode(payload), let claims = Claims(fields)
        else { throw .structure }
        guard let body = trust.bodies.first(where: { $0.did == claims.issuer }) else { throw .unknownIssuer }
        let hex = kid.map { String(format: "%02x", $0) }.joined()
        guard let key = body.keys.first(where: { $0.kid == hex }), let raw = Data(base64Encoded: key.publicKey),
            let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else { throw .unknownKey }
        let toSign = CBOR.array([.text("Signature1"), .bytes(protected), .bytes(Data()), .bytes(payload)]).encoded
        guard publicKey.isValidSignature(signature, for: toSign) else { throw .badSignature }
        return Verified(claims: claims, issuerName: body.name, key: key)
    }
}

extension CompactCertificate.Claims {
    init?(_ fields: [(CBOR, CBOR)]) {
        func text(_ name: String) -> String? {
            if case .text(let s)? = fields.value(.text(name)) { return s }
            return nil
        }
        guard let number = text("number"), let holder = text("holder"), let code = text("occupationCode"),
            let occupation = text("occupation"), let level = text("level"), let issued = text("issued"), let issuer = text("issuer")
        else { return nil }
        self.init(
            number: number, holder: holder, occupationCode: code, occupation: occupation, level: level, issued: issued, issuer: issuer,
            validUntil: text("validUntil"))
    }
}

extension [(CBOR, CBOR)] {
    func value(_ key: CBOR) -> CBOR? { first { $0.0 == key }?.1 }
}

extension CBOR {
    /// Decodes one item filling all of `data` (definite lengths, the types this enum holds); nil otherwise.
    public static func decode(_ data: Data) -> CBOR? {
        var reader = Reader(bytes: [UInt8](data))
        guard let item = reader.item(depth: 0), reader.offset == reader.bytes.count else { return nil }
        return item
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func head() -> (major: UInt8, value: UInt64)? {
            guard offset < bytes.count else { return nil }
            let first = bytes[offset]
            offset += 1
            let info = first & 0x1F
            let count: Int
            switch info {
            case 0..<24: return (first >> 5, UInt64(info))
            case 24: count = 1
            case 25: count = 2
            case 26: count = 4
            case 27: count = 8
            default: return nil
            }
            guard offset + count <= bytes.count else { return nil }
            let value = bytes[offset..<offset + count].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            offset += count
            return (first >> 5, value)
        }

        mutating func take(_ n: UInt64) -> Data? {
            guard n <= UInt64(bytes.count - offset) else { return nil }
            defer { offset += Int(n) }
            return Data(bytes[offset..<offset + Int(n)])
        }

        mutating func item(depth: Int) -> CBOR? {
            guard depth < 16, let (major, value) = head() else { return nil }
            switch major {
            case 0: return value <= UInt64(Int.max) ? .int(Int(value)) : nil
            case 1: return value < UInt64(Int.max) ? .int(-1 - Int(value)) : nil
            case 2: return take(value).map(CBOR.bytes)
            case 3: return take(value).flatMap { String(data: $0, encoding: .utf8) }.map(CBOR.text)
            case 4:
                guard value <= UInt64(bytes.count - offset) else { return nil }
                var items: [CBOR] = []
                for _ in 0..<value {
                    guard let i = item(depth: depth + 1) else { return nil }
                    items.append(i)
                }
                return .array(items)
            case 5:
                guard value <= UInt64(bytes.count - offset) else { return nil }
                var pairs: [(CBOR, CBOR)] = []
                for _ in 0..<value {
                    guard let k = item(depth: depth + 1), let v = item(depth: depth + 1) else { return nil }
                    pairs.append((k, v))
                }
                return .map(pairs)
            case 6: return item(depth: depth + 1).map { .tag(value, $0) }
            default: return nil
            }
        }
    }
}

extension Zlib {
    /// The data inside a zlib stream of stored (uncompressed) DEFLATE blocks, its Adler-32 checked; nil for anything
    /// else (the records this platform prints are stored, so a verifier needs no inflater).
    public static func unwrapStored(_ data: Data) -> Data? {
        let b = [UInt8](data)
        guard b.count >= 6, b[0] & 0x0F == 8, (Int(b[0]) << 8 | Int(b[1])) % 31 == 0, b[1] & 0x20 == 0 else { return nil }
        var out = Data()
        var i = 2
        while true {
            guard i + 5 <= b.count, b[i] & 0x06 == 0 else { return nil }
            let final = b[i] & 1 == 1
            let n = Int(b[i + 1]) | Int(b[i + 2]) << 8
            guard n == ~(Int(b[i + 3]) | Int(b[i + 4]) << 8) & 0xFFFF, i + 5 + n <= b.count else { return nil }
            out += b[(i + 5)..<(i + 5 + n)]
            i += 5 + n
            if final { break }
        }
        guard i + 4 == b.count else { return nil }
        let adler = b[i..<(i + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return adler == adler32(out) ? out : nil
    }
}
