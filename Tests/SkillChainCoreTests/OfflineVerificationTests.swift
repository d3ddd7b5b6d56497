import Crypto
import Foundation
import Testing

@testable import SkillChainCore

/// What the offline page and `skillchain verify-qr` decide about an `SC1:` record, against a trust list signed with
/// the log key: the body's record verifies with its current or a retired key; a changed byte, a stranger's key, an
/// unknown issuer and a trust list signed by another key are each refused and named.
@Suite struct OfflineVerificationTests {
    static let bodyKey = Curve25519.Signing.PrivateKey()
    static let oldKey = Curve25519.Signing.PrivateKey()
    static let logKey = Curve25519.Signing.PrivateKey()
    static let did = "did:web:example.org:orgs:1"
    static let claims = CompactCertificate.Claims(
        number: "Y000044190001264000001", holder: "张三", occupationCode: "6-18-01-01", occupation: "车工", level: "3", issued: "2026-06-01",
        issuer: did, validUntil: nil)
    static let trust = TrustList(
        issued: "2026-12-01T00:00:00Z",
        bodies: [
            .init(
                did: did, name: "示例企业",
                keys: [
                    .init(publicKey: oldKey.publicKey.rawRepresentation, created: "2025-01-01", retired: "2026-01-01"),
                    .init(publicKey: bodyKey.publicKey.rawRepresentation, created: "2026-01-01", retired: nil),
                ])
        ])

    @Test func a_record_verifies_with_the_current_or_a_retired_key_of_its_body() throws {
        let verified = try CompactCertificate.verify(try CompactCertificate.encode(Self.claims, key: Self.bodyKey), trust: Self.trust)
        #expect(verified.claims == Self.claims && verified.issuerName == "示例企业" && verified.key.retired == nil)
        let old = try CompactCertificate.verify(try CompactCertificate.encode(Self.claims, key: Self.oldKey), trust: Self.trust)
        #expect(old.key.retired == "2026-01-01")
    }

    @Test func a_changed_holder_a_stranger_key_and_an_unknown_issuer_are_refused_and_named() throws {
        // The holder's name changed inside the signed payload: the signature no longer checks.
        var forged = Self.claims
        forged.holder = "李四"
        let good = try CompactCertificate.encode(Self.claims, key: Self.bodyKey)
        let payloadBefore = try #require(Base45.decode(String(good.dropFirst(4))))
        let bad = try #require(Base45.decode(String(try CompactCertificate.encode(forged, key: Self.bodyKey).dropFirst(4))))
        // Splice the forged payload under the genuine signature.
        let spliced = Self.splice(signatureOf: payloadBefore, into: bad)
        #expect(throws: CompactCertificate.Failure.badSignature) {
            try CompactCertificate.verify("SC1:" + Base45.encode(spliced), trust: Self.trust)
        }
        #expect(throws: CompactCertificate.Failure.unknownKey) {
            try CompactCertificate.verify(try CompactCertificate.encode(Self.claims, key: Curve25519.Signing.PrivateKey()), trust: Self.trust)
        }
        var stranger = Self.claims
        stranger.issuer = "did:web:elsewhere.example:orgs:9"
        #expect(throws: CompactCertificate.Failure.unknownIssuer) {
            try CompactCertificate.verify(try CompactCertificate.encode(stranger, key: Self.bodyKey), trust: Self.trust)
        }
        // One changed character of the printed text breaks the zlib checksum or the structure before any key is tried.
        var chars = Array(good)
        chars[40] = chars[40] == "A" ? "B" : "A"
        #expect(throws: CompactCertificate.Failure.self) { try CompactCertificate.verify(String(chars), trust: Self.trust) }
        #expect(throws: CompactCertificate.Failure.notSC1) { try CompactCertificate.verify("HC1:6BF", trust: Self.trust) }
    }

    @Test func the_trust_list_opens_only_under_the_pinned_log_key() throws {
        let name = "example.org/skillchain"
        let note = try Self.trust.signed(name: name, key: Self.logKey)
        let pinned = SignedNote.verifierKey(name: name, publicKey: Self.logKey.publicKey.rawRepresentation)
        #expect(try TrustList.open(note, verifierKey: pinned) == Self.trust)
        let other = SignedNote.verifierKey(name: name, publicKey: Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)
        #expect(throws: TrustList.Problem.unsigned) { try TrustList.open(note, verifierKey: other) }
        let edited = note.replacingOccurrences(of: "示例企业", with: "冒名企业")
        #expect(throws: TrustList.Problem.unsigned) { try TrustList.open(edited, verifierKey: pinned) }
    }

    @Test func cbor_decodes_what_it_encodes_and_refuses_trailing_or_short_input() {
        let item = CBOR.tag(18, .array([.bytes(Data([1, 2])), .map([(.int(1), .int(-8))]), .text("车工"), .int(70_000)]))
        #expect(CBOR.decode(item.encoded) == item)
        #expect(CBOR.decode(item.encoded + [0]) == nil)
        #expect(CBOR.decode(item.encoded.dropLast()) == nil)
        #expect(CBOR.decode(Data([0x9F])) == nil, "indefinite lengths are not read")
    }

    /// The COSE_Sign1 of `forged` with the signature taken from `genuine` (both zlib-wrapped).
    static func splice(signatureOf genuine: Data, into forged: Data) -> Data {
        guard case .tag(18, .array(let g))? = CBOR.decode(Zlib.unwrapStored(genuine)!),
            case .tag(18, .array(var f))? = CBOR.decode(Zlib.unwrapStored(forged)!)
        else { return Data() }
        f[3] = g[3]
        return Zlib.wrapStored(CBOR.tag(18, .array(f)).encoded)
    }
}
