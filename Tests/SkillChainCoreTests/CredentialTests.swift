import Crypto
import Foundation
import SkillChainCore
import Testing

/// Known answers: the W3C/Digital Bazaar `eddsa-jcs-2022` interoperability vector, RFC 8032 §7.1 TEST 1, and the
/// examples of RFC 8785.
@Suite struct CredentialPrimitiveTests {
    static let alumni = #"""
        {
          "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2"
          ],
          "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
          "type": [
            "VerifiableCredential",
            "AlumniCredential"
          ],
          "name": "Alumni Credential",
          "description": "A minimum viable example of an Alumni Credential.",
          "issuer": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
          "validFrom": "2023-01-01T00:00:00Z",
          "credentialSubject": {
            "id": "did:example:abcdefgh",
            "alumniOf": "The School of Examples"
          },
          "proof": {
            "type": "DataIntegrityProof",
            "created": "2023-02-24T23:36:38Z",
            "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
            "cryptosuite": "eddsa-jcs-2022",
            "proofPurpose": "assertionMethod",
            "@context": [
              "https://www.w3.org/ns/credentials/v2",
              "https://www.w3.org/ns/credentials/examples/v2"
            ],
            "proofValue": "z5EhYRJkfPLkoT92FPXN8KK6M9rsBhq3xs19GBSsA6VdNYH4QMKSyNuA2Gfznz9QthVD7Rz3HTAfqxxay23htUpTg"
          }
        }
        """#

    @Test func rfc8032_test1_reproduces() throws {
        let secret = Data(hex: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: secret)
        #expect(key.publicKey.rawRepresentation.hexString == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let signature = try key.signature(for: Data())
        #expect(
            signature.hexString
                == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(key.publicKey.isValidSignature(signature, for: Data()))
    }

    @Test func the_eddsa_jcs_2022_vector_verifies_and_any_change_fails() throws {
        let doc = try JSONValue.parse(Self.alumni)
        let method = doc["proof"]!["verificationMethod"]!.string!
        let key = try #require(Multikey.fromDIDKey(method))
        try EddsaJcs2022.verify(doc, key: key)
        // Change a value of the document, of the proof options, or one character of the signature: each fails.
        #expect(throws: EddsaJcs2022.Failure.badSignature) { try EddsaJcs2022.verify(doc.setting("name", .string("Alumni Credential!")), key: key) }
        let subject = doc["credentialSubject"]!.setting("alumniOf", .string("The School of Example"))
        #expect(throws: EddsaJcs2022.Failure.badSignature) { try EddsaJcs2022.verify(doc.setting("credentialSubject", subject), key: key) }
        let proof = doc["proof"]!
        #expect(throws: EddsaJcs2022.Failure.badSignature) {
            try EddsaJcs2022.verify(doc.setting("proof", proof.setting("created", .string("2023-02-24T23:36:39Z"))), key: key)
        }
        var value = Array(proof["proofValue"]!.string!)
        value[10] = value[10] == "A" ? "B" : "A"
        #expect(throws: EddsaJcs2022.Failure.self) {
            try EddsaJcs2022.verify(doc.setting("proof", proof.setting("proofValue", .string(String(value)))), key: key)
        }
        // Another key does not verify it.
        #expect(throws: EddsaJcs2022.Failure.badSignature) { try EddsaJcs2022.verify(doc, key: Curve25519.Signing.PrivateKey().publicKey) }
    }

    @Test func our_proofs_round_trip_and_reproduce() throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: Data(hex: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        let doc = try JSONValue.parse(Self.alumni).removing("proof")
        let did = "did:key:" + Multikey.encode(key.publicKey)
        let signed = try EddsaJcs2022.sign(
            doc, verificationMethod: did + "#" + Multikey.encode(key.publicKey), created: "2026-11-27T00:00:00Z", key: key)
        try EddsaJcs2022.verify(signed, key: key.publicKey)
        // Ed25519 is deterministic: the same document, options and key give the same proof value.
        let again = try EddsaJcs2022.sign(
            doc, verificationMethod: did + "#" + Multikey.encode(key.publicKey), created: "2026-11-27T00:00:00Z", key: key)
        #expect(signed["proof"]!["proofValue"] == again["proof"]!["proofValue"])
        // Member order does not matter; the canonical form is what is signed.
        let reordered = try JSONValue.parse(CanonicalJSON.string(signed))
        try EddsaJcs2022.verify(reordered, key: key.publicKey)
        #expect(Multikey.encode(key.publicKey).hasPrefix("z6Mk"))
        #expect(Multikey.decode(Multikey.encode(key.publicKey))?.rawRepresentation == key.publicKey.rawRepresentation)
    }

    @Test func base58btc_and_base64url_round_trip_with_leading_zeros() {
        let bytes: [UInt8] = [0, 0, 1, 2, 255, 254, 0, 7]
        #expect(Multibase.decodeBase58btc(Multibase.base58btc(bytes)) == bytes)
        #expect(Multibase.base58btc(Array("Hello World!".utf8)) == "z2NEpo7TZRRrLZSi2U")
        #expect(Multibase.decodeBase58btc("z0OIl") == nil)
        #expect(Multibase.decodeBase64url(Multibase.base64url(Data([251, 255, 0]))) == Data([251, 255, 0]))
        #expect(Multibase.base64url(Data([251, 255])) == "-_8")
        // RFC 4648 §10 test vectors, unpadded.
        for (plain, encoded) in [
            ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy"),
        ] {
            #expect(Multibase.base64url(Data(plain.utf8)) == encoded)
        }
    }

    @Test func jwt_dates_are_read_as_the_formatter_reads_them() {
        let formatter = ISO8601DateFormatter()
        for text in ["2026-11-27T00:00:00Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "1969-12-31T23:59:59Z", "2100-03-01T12:30:00Z"] {
            #expect(VCJWT.epoch(text) == formatter.date(from: text)!.timeIntervalSince1970, "\(text)")
        }
        #expect(VCJWT.epoch("2026-11-27T08:00:00+08:00") == VCJWT.epoch("2026-11-27T00:00:00Z"))
        #expect(VCJWT.epoch("2026-11-27T00:00:00.400Z") == VCJWT.epoch("2026-11-27T00:00:00Z"))
        for bad in ["2026-02-30T00:00:00Z", "2026-11-27", "2026-11-27T00:00:00", "2026-11-27T24:00:00Z", "2026-11-27T00:00:00Zjunk", "x"] {
            #expect(VCJWT.epoch(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct CanonicalJSONTests {
    @Test func numbers_follow_ecmascript() {
        let cases: [(Double, String)] = [
            (0, "0"), (-0.0, "0"), (1, "1"), (-1.5, "-1.5"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
            (123_456_789_012_345_680_000, "123456789012345680000"),
            (0.000001, "0.000001"), (1e-7, "1e-7"), (333333333.33333329, "333333333.3333333"), (4.50, "4.5"), (2e-3, "0.002"),
            (0.000001234, "0.000001234"), (1.2345e-8, "1.2345e-8"), (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
            (9_007_199_254_740_992, "9007199254740992"), (295_147_905_179_352_830_000, "295147905179352830000"), (1e23, "1e+23"),
        ]
        for (d, s) in cases { #expect(CanonicalJSON.number(d) == s, "\(d)") }
    }

    @Test func rfc8785_example_serializes_exactly() throws {
        // RFC 8785 §3.2.2 example input.
        let input =
            #"{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}"#
        let expected = #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#
        #expect(CanonicalJSON.string(try JSONValue.parse(input)) == expected)
    }

    @Test func members_sort_by_utf16_code_units() throws {
        // RFC 8785 §3.2.3: "\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33".
        let input =
            #"{"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One", "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"}"#
        guard case .object(let o) = try JSONValue.parse(input) else {
            Issue.record("not an object")
            return
        }
        let order = o.keys.sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }.map { $0.unicodeScalars.first!.value }
        #expect(order == [0x0D, 0x31, 0x80, 0xF6, 0x20AC, 0x1F600, 0xFB33])
        #expect(CanonicalJSON.string(try JSONValue.parse(input)).hasPrefix(#"{"\r":"Carriage Return","1":"One","#))
    }

    @Test func bad_json_and_duplicate_names_are_refused() {
        #expect(throws: JSONParseError.duplicateKey("a")) { try JSONValue.parse(#"{"a":1,"a":2}"#) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("[1,]") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("01") }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("1e400") }
        #expect((try? JSONValue.parse(" [ \"x\" , -0.5e1 ] ")) == .array([.string("x"), .number(-5)]))
    }
}

@Suite struct CertificateNumberTests {
    let identity = FilingIdentity(type: .Y, institutionCode: "0000", provinceCode: "44", siteSerial: "190001")

    @Test func national_numbers_are_built_and_read_back() throws {
        let n = try CertificateNumber.make(identity: identity, year: 2026, level: .level4, serial: 17)
        #expect(n.value == "Y000044190001264000017")
        #expect(n.value.count == 22)
        #expect(n.year == 2026 && n.level == .level4 && n.serial == 17 && n.institutionType == .Y && n.prefix == identity.certificatePrefix)
        #expect(try CertificateNumber("y0000 4419 0001 26 4 000017") == n)
        #expect(throws: CertificateNumber.Problem.serial) { try CertificateNumber.make(identity: identity, year: 2026, level: .level4, serial: 0) }
        #expect(throws: CertificateNumber.Problem.serial) {
            try CertificateNumber.make(identity: identity, year: 2026, level: .level4, serial: 1_000_000)
        }
        #expect(throws: CertificateNumber.Problem.level) { try CertificateNumber.make(identity: identity, year: 2026, level: .apprentice, serial: 1) }
    }

    @Test func bad_numbers_say_why() {
        #expect(throws: CertificateNumber.Problem.length) { try CertificateNumber("Y00004419000126400001") }
        #expect(throws: CertificateNumber.Problem.institutionType) { try CertificateNumber("X000044190001264000017") }
        #expect(throws: CertificateNumber.Problem.characters) { try CertificateNumber("Y0000441900012640000A7") }
        #expect(throws: CertificateNumber.Problem.level) { try CertificateNumber("Y000044190001266000017") }
        #expect(throws: CertificateNumber.Problem.serial) { try CertificateNumber("Y000044190001264000000") }
        #expect(throws: CertificateNumber.Problem.province) { try CertificateNumber("Y000099190001264000017") }
    }

    @Test func legacy_numbers_are_accepted_on_import() throws {
        let old = try CertificateNumber("0944190301400012")
        #expect(old.format == .legacyQualification && old.level == nil)
        let shanghai = try CertificateNumber("1231000012345")
        #expect(shanghai.value == "1231000012345000" && shanghai.format == .legacyQualification)
    }

    @Test func levels_are_read_as_people_write_them() {
        let cases: [(String, SkillLevel?)] = [
            ("level4", .level4), ("4", .level4), ("4级", .level4), ("四级", .level4), ("中级工", .level4),
            ("高级技师", .level1), ("技师", .level2), ("高级工", .level3), ("初级工", .level5), ("一级/高级技师", .level1),
            ("apprentice", nil), ("6", nil), ("特级技师", nil), ("", nil),
        ]
        for (text, level) in cases { #expect(SkillLevel(written: text) == level, "\(text)") }
    }

    func validate(_ csv: String) -> LegacyCertificateImport.Result {
        LegacyCertificateImport.validate(try! CSV.parse(csv), knownOccupation: { $0 == "6-25-04-07" }, today: Day(year: 2026, month: 11, day: 27))
    }

    @Test func existing_certificates_import_with_national_and_legacy_numbers() {
        let r = validate(
            """
            姓名,身份证号,职业编码,工种,等级,发证日期,证书编号
            李娜,440101199003077519,6-25-04-07,,四级,2024/06/30,Y000044190001244000031
            王强,440101198802153114,6-25-04-07,视觉检测,中级工,2012-05-18,0944190301400012
            赵敏,110101199507081216,6-25-04-07,,3,2015-01-09,1231000012345
            """)
        #expect(r.errors == [])
        #expect(r.rows.map(\.number.value) == ["Y000044190001244000031", "0944190301400012", "1231000012345000"])
        #expect(r.rows.map(\.workType) == ["--", "视觉检测", "--"])
        #expect(r.rows[2].level == .level3 && r.rows[0].issued == Day(year: 2024, month: 6, day: 30))
    }

    @Test func every_bad_cell_is_named() {
        let r = validate(
            """
            name,citizen id,occupation code,level,issue date,number
            李娜,440101199003077513,6-25-04-07,四级,2024-06-30,Y000044190001244000031
            王强,440101198802153114,9-99-99-99,三级,2027-01-01,Y000044190001244000031
            赵敏,110101199507081216,6-25-04-07,五级,2023-01-09,Y000044190001244000032
            钱磊,110101199507081216,6-25-04-07,,1990-01-01,12345
            """)
        let found = Set(r.errors.map { "\($0.line):\($0.column):\($0.code)" })
        #expect(r.rows.isEmpty)
        #expect(
            found == [
                "2:citizenId:citizenId.checkCharacter", "3:occupationCode:occupation.unknown", "3:issueDate:certificateImport.issueDate.future",
                "3:number:import.duplicateInFile", "3:number:certificateNumber.levelMismatch", "3:number:certificateNumber.yearMismatch",
                "4:number:certificateNumber.levelMismatch", "4:number:certificateNumber.yearMismatch",
                "5:level:field.required", "5:issueDate:certificateImport.issueDate.tooEarly", "5:number:certificateNumber.length",
            ])
        #expect(validate("姓名,证书编号\n").errors.map(\.column) == ["citizenId", "occupationCode", "level", "issueDate"])
    }
}

extension Data {
    init(hex: String) {
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            bytes.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        self.init(bytes)
    }
}

@Suite struct QRCodeTests {
    @Test func the_smallest_version_that_fits_is_chosen() throws {
        // Byte-mode capacities at level M: v1 14, v2 26, v4 62, v5 84, v10 213 bytes (ISO/IEC 18004 table 7).
        for (n, v) in [(14, 1), (15, 2), (26, 2), (27, 3), (62, 4), (63, 5), (84, 5), (213, 10), (214, 11)] {
            #expect(try QRCode(bytes: [UInt8](repeating: 0x41, count: n)).version == v, "\(n) bytes")
        }
        #expect(try QRCode(bytes: [UInt8](repeating: 0x41, count: 2331)).version == 40)
        #expect(throws: QRCode.Problem.self) { try QRCode(bytes: [UInt8](repeating: 0x41, count: 2332)) }
    }

    @Test func function_patterns_sit_where_readers_look() throws {
        let q = try QRCode(text: "https://skills.example.cn/verify/Y000044190001264000001")
        #expect(q.size == q.version * 4 + 17)
        // Finder patterns: dark 7×7 rings with dark 3×3 centres, light separators.
        for (x, y) in [(0, 0), (q.size - 7, 0), (0, q.size - 7)] {
            #expect(q.modules[y][x] && q.modules[y + 6][x + 6] && q.modules[y + 3][x + 3] && !q.modules[y + 1][x + 1])
        }
        #expect(!q.modules[7][7] && q.modules[q.size - 8][8])  // separator light, the dark module
        #expect((8..<(q.size - 8)).allSatisfy { q.modules[6][$0] == ($0 % 2 == 0) })  // timing
        #expect(q.svg().hasPrefix("<svg") && q.svg().contains("<path d=\"M"))
        // Deterministic: the same text gives the same modules.
        #expect(try QRCode(text: "https://skills.example.cn/verify/Y000044190001264000001").modules == q.modules)
    }
}
