import Crypto
import Foundation
import Testing

@testable import SkillChainCore

/// The offline QR's encodings against their specifications' own examples: Base45 (RFC 9285 §4.3), CBOR (RFC 8949
/// Appendix A), Adler-32, and a signed record whose COSE signature checks.
@Suite struct CompactCertificateTests {
    @Test func base45_matches_the_rfc_examples_and_reads_back() {
        #expect(Base45.encode(Data("AB".utf8)) == "BB8")
        #expect(Base45.encode(Data("Hello!!".utf8)) == "%69 VD92EX0")
        #expect(Base45.encode(Data("base-45".utf8)) == "UJCLQE7W581")
        #expect(Base45.decode("QED8WEX0") == Data("ietf!".utf8))
        #expect(Base45.decode("GGW") == nil, "RFC 9285 §6: a triple over 65535 is refused")
        #expect(Base45.decode("a") == nil)
    }

    @Test func cbor_heads_and_items_match_the_rfc_appendix() {
        #expect(CBOR.int(10).encoded == Data([0x0A]))
        #expect(CBOR.int(100).encoded == Data([0x18, 0x64]))
        #expect(CBOR.int(1000).encoded == Data([0x19, 0x03, 0xE8]))
        #expect(CBOR.int(-1).encoded == Data([0x20]))
        #expect(CBOR.int(-8).encoded == Data([0x27]))
        #expect(CBOR.text("IETF").encoded == Data([0x64, 0x49, 0x45, 0x54, 0x46]))
        #expect(CBOR.array([.int(1), .int(2), .int(3)]).encoded == Data([0x83, 0x01, 0x02, 0x03]))
        #expect(CBOR.map([(.int(1), .int(2)), (.int(3), .int(4))]).encoded == Data([0xA2, 0x01, 0x02, 0x03, 0x04]))
        #expect(CBOR.tag(18, .array([])).encoded == Data([0xD2, 0x80]))
    }

    @Test func adler32_and_the_zlib_wrapper_are_standard() {
        #expect(Zlib.adler32(Data("Wikipedia".utf8)) == 0x11E6_0398)
        let wrapped = Zlib.wrapStored(Data("SkillChain".utf8))
        #expect(wrapped.prefix(2) == Data([0x78, 0x01]) && wrapped.count == 2 + 5 + 10 + 4)
    }

    @Test func a_signed_record_carries_its_key_id_and_a_signature_over_the_sig_structure() throws {
        let key = Curve25519.Signing.PrivateKey()
        let claims = CompactCertificate.Claims(
            number: "S000000000000000000001", holder: "王丽", occupationCode: "6-18-02-04", occupation: "焊工", level: "level4",
            issued: "2026-12-05", issuer: "did:web:example.cn:orgs:1", validUntil: nil)
        let text = try CompactCertificate.encode(claims, key: key)
        #expect(text.hasPrefix("SC1:") && text.dropFirst(4).allSatisfy { "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".contains($0) })
        let zlib = try #require(Base45.decode(String(text.dropFirst(4))))
        let sign1 = zlib.dropFirst(2 + 5).dropLast(4)
        let protected = CBOR.map([(.int(1), .int(-8)), (.int(4), .bytes(CompactCertificate.keyID(key.publicKey.rawRepresentation)))]).encoded
        let payload = claims.cbor.encoded
        let toSign = CBOR.array([.text("Signature1"), .bytes(protected), .bytes(Data()), .bytes(payload)]).encoded
        let signature = Data(sign1.suffix(64))
        #expect(key.publicKey.isValidSignature(signature, for: toSign))
        #expect(Data(sign1.prefix(2)) == Data([0xD2, 0x84]), "tag 18, an array of four")
    }
}
