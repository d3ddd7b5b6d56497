import Crypto
import Foundation

/// The bodies whose printed certificates an offline verifier accepts, with every signing key each has held: what
/// `/verify/offline` and `skillchain verify-qr` check an `SC1:` record against. Published as a signed note (one line
/// of JSON) under the platform's log key, so a copy taken while online can be trusted later without the network.
public struct TrustList: Codable, Sendable, Equatable {
    public struct Key: Codable, Sendable, Equatable {
        /// The raw Ed25519 public key, base64.
        public var publicKey: String
        /// `CompactCertificate.keyID` in hex: what an `SC1:` record's protected header names.
        public var kid: String
        /// When the key was made and (if so) retired: a retired key still vouches for what it signed before.
        public var created: String
        public var retired: String?

        public init(publicKey: Data, created: String, retired: String?) {
            self.publicKey = publicKey.base64EncodedString()
            self.kid = CompactCertificate.keyID(publicKey).map { String(format: "%02x", $0) }.joined()
            (self.created, self.retired) = (created, retired)
        }
    }

    public struct Body: Codable, Sendable, Equatable {
        public var did: String
        public var name: String
        public var keys: [Key]

        public init(did: String, name: String, keys: [Key]) { (self.did, self.name, self.keys) = (did, name, keys) }
    }

    public static let format = "skillchain.trust/v1"
    public var format = TrustList.format
    /// When the list was signed (ISO 8601, UTC): a verifier says how old its copy is.
    public var issued: String
    public var bodies: [Body]

    public init(issued: String, bodies: [Body]) { (self.issued, self.bodies) = (issued, bodies) }

    /// The note text: the list as one line of JSON with sorted keys.
    public var text: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }

    public func signed(name: String, key: Curve25519.Signing.PrivateKey) throws -> String {
        try SignedNote.sign(text, name: name, key: key)
    }

    public enum Problem: String, Error, Sendable {
        case unsigned = "trust.unsigned"
        case malformed = "trust.malformed"
    }

    /// The list in a note signed by the pinned log key (`<name>+<id>+<key>`), or why not.
    public static func open(_ note: String, verifierKey: String) throws(Problem) -> TrustList {
        guard let key = SignedNote.parseVerifierKey(verifierKey) else { throw .malformed }
        let text: String
        do { text = try SignedNote.verify(note, name: key.name, publicKey: key.publicKey) } catch { throw .unsigned }
        guard let list = try? JSONDecoder().decode(TrustList.self, from: Data(text.utf8)), list.format == format else { throw .malformed }
        return list
    }
}
