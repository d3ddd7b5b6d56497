import Crypto
import Foundation

/// What a skill level certificate says, before it is a credential.
public struct CertificateFacts: Sendable, Hashable {
    public var number: CertificateNumber
    public var holderName: String
    /// The citizen ID number: only its salted hash goes into the credential.
    public var citizenID: String
    public var salt: String
    public var occupationCode: String
    public var occupationName: String
    public var occupationEdition: String
    public var workType: String
    public var level: SkillLevel
    public var issuerDID: String
    public var issuerName: String
    public var issued: Day
    public var validUntil: Day?
    /// Subject scores out of 100.
    public var scores: [Subject: Double]
    public var standardName: String?
    /// Where the credential, the occupation's standard page and the status lists live (absolute URLs).
    public var credentialURL: String
    public var standardURL: String
    public var statusEntries: [StatusEntry]

    public struct StatusEntry: Sendable, Hashable {
        public var purpose: String
        public var listURL: String
        public var index: Int
        public init(purpose: String, listURL: String, index: Int) {
            self.purpose = purpose
            self.listURL = listURL
            self.index = index
        }
    }

    public init(
        number: CertificateNumber, holderName: String, citizenID: String, salt: String, occupationCode: String, occupationName: String,
        occupationEdition: String, workType: String, level: SkillLevel, issuerDID: String, issuerName: String, issued: Day, validUntil: Day?,
        scores: [Subject: Double], standardName: String?, credentialURL: String, standardURL: String, statusEntries: [StatusEntry]
    ) {
        self.number = number
        self.holderName = holderName
        self.citizenID = citizenID
        self.salt = salt
        self.occupationCode = occupationCode
        self.occupationName = occupationName
        self.occupationEdition = occupationEdition
        self.workType = workType
        self.level = level
        self.issuerDID = issuerDID
        self.issuerName = issuerName
        self.issued = issued
        self.validUntil = validUntil
        self.scores = scores
        self.standardName = standardName
        self.credentialURL = credentialURL
        self.standardURL = standardURL
        self.statusEntries = statusEntries
    }
}

/// The W3C VC 2.0 / Open Badges 3.0 `OpenBadgeCredential` of a certificate, and its two securings.
public enum CertificateCredential {
    public static let contexts: [JSONValue] = [
        .string("https://www.w3.org/ns/credentials/v2"),
        .string("https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"),
    ]

    static let levelNames: [SkillLevel: (String, String)] = [
        .level5: ("五级/初级工", "Level 5 (junior worker)"), .level4: ("四级/中级工", "Level 4 (intermediate worker)"),
        .level3: ("三级/高级工", "Level 3 (senior worker)"), .level2: ("二级/技师", "Level 2 (technician)"),
        .level1: ("一级/高级技师", "Level 1 (senior technician)"),
    ]
    static let subjectNames: [Subject: String] = [.theory: "理论知识考试", .practical: "操作技能考核", .review: "综合评审"]

    /// `sha256$` + hex(SHA-256(ID number ‖ salt)), as Open Badges' `IdentityObject.identityHash`.
    public static func identityHash(_ citizenID: String, salt: String) -> String {
        "sha256$" + Data(SHA256.hash(data: Data((citizenID + salt).utf8))).hexString
    }

    static func iso(_ d: Day) -> String { d.description + "T00:00:00Z" }

    /// The unsigned credential.
    public static func document(_ f: CertificateFacts) -> JSONValue {
        let level = levelNames[f.level] ?? (f.level.rawValue, f.level.rawValue)
        let achievementID = f.standardURL + "#" + f.level.rawValue
        let subjects = PassRule.subjects(for: f.level)
        var resultDescriptions: [JSONValue] = subjects.map { s in
            .object([
                "id": .string(achievementID + "-" + s.rawValue), "type": .array([.string("ResultDescription")]),
                "name": .string(subjectNames[s] ?? s.rawValue),
                "resultType": .string("RawScore"), "valueMin": .string("0"), "valueMax": .string("100"),
            ])
        }
        resultDescriptions.append(
            .object([
                "id": .string(achievementID + "-level"), "type": .array([.string("ResultDescription")]), "name": .string("职业技能等级"),
                "resultType": .string("Status"), "allowedValue": .array([.string(level.0)]),
            ]))
        var results: [JSONValue] = subjects.compactMap { s in
            f.scores[s].map { v in
                .object([
                    "type": .array([.string("Result")]), "resultDescription": .string(achievementID + "-" + s.rawValue),
                    "value": .string(v == v.rounded() ? String(Int(v)) : "\((v * 10).rounded() / 10)"),
                ])
            }
        }
        results.append(
            .object(["type": .array([.string("Result")]), "resultDescription": .string(achievementID + "-level"), "value": .string(level.0)]))
        var alignment: [JSONValue] = [
            .object([
                "type": .array([.string("Alignment")]), "targetName": .string(f.occupationName), "targetCode": .string(f.occupationCode),
                "targetFramework": .string("中华人民共和国职业分类大典（\(f.occupationEdition)年版）"), "targetType": .string("ext:Occupation"),
                "targetUrl": .string(f.standardURL),
            ])
        ]
        if let standard = f.standardName {
            alignment.append(
                .object([
                    "type": .array([.string("Alignment")]), "targetName": .string(standard), "targetType": .string("ext:OccupationalStandard"),
                    "targetUrl": .string(f.standardURL),
                ]))
        }
        var doc: [String: JSONValue] = [
            "@context": .array(contexts),
            "id": .string(f.credentialURL),
            "type": .array([.string("VerifiableCredential"), .string("OpenBadgeCredential")]),
            "name": .string("职业技能等级证书 \(f.number.value)"),
            "issuer": .object(["id": .string(f.issuerDID), "type": .array([.string("Profile")]), "name": .string(f.issuerName)]),
            "validFrom": .string(iso(f.issued)),
            "credentialSubject": .object([
                "type": .array([.string("AchievementSubject")]),
                "name": .string(f.holderName),
                "identifier": .array([
                    .object([
                        "type": .string("IdentityObject"), "identityType": .string("nationalIdentityNumber"), "hashed": .bool(true),
                        "identityHash": .string(identityHash(f.citizenID, salt: f.salt)), "salt": .string(f.salt),
                    ])
                ]),
                "achievement": .object([
                    "id": .string(achievementID), "type": .array([.string("Achievement")]), "achievementType": .string("Certificate"),
                    "name": .string("\(f.occupationName) \(level.0)"),
                    "description": .string("职业技能等级证书：\(f.occupationName)（\(f.occupationCode)），\(level.0)。\(level.1)."),
                    "criteria": .object(["narrative": .string("按国家职业技能标准考核，各科目成绩均达到 60 分及以上。")]),
                    "alignment": .array(alignment),
                    "resultDescription": .array(resultDescriptions),
                    "tag": .array([.string(f.workType)]),
                ]),
                "result": .array(results),
            ]),
            "credentialStatus": .array(
                f.statusEntries.map { e in
                    .object([
                        "id": .string("\(e.listURL)#\(e.index)"), "type": .string("BitstringStatusListEntry"), "statusPurpose": .string(e.purpose),
                        "statusListIndex": .string(String(e.index)), "statusListCredential": .string(e.listURL),
                    ])
                }),
        ]
        if let until = f.validUntil { doc["validUntil"] = .string(iso(until)) }
        return .object(doc)
    }
}

/// VC-JWT (compact JWS, `alg: EdDSA`): the credential as the payload, with `iss`, `jti`, `nbf` (and `exp`) matching it.
public enum VCJWT {
    public enum Failure: String, Error, Sendable {
        case format = "jwt.format"
        case algorithm = "jwt.algorithm"
        case signature = "jwt.signature"
        case claims = "jwt.claims"
    }

    /// Seconds since 1970 of an XML Schema `dateTimeStamp` as credentials write it (`2026-11-27T00:00:00Z`, optional
    /// fraction, `Z` or `±hh:mm`), rounded to the second. Parsed by hand: a formatter per call is slow on Linux.
    public static func epoch(_ iso: String?) -> Double? {
        guard let iso else { return nil }
        let u = Array(iso.utf8)
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard i < u.count, (0x30...0x39).contains(u[i]) else { return nil }
                v = v * 10 + Int(u[i] - 0x30)
            }
            return v
        }
        guard u.count >= 20, u[4] == 0x2D, u[7] == 0x2D, u[10] == 0x54 || u[10] == 0x74, u[13] == 0x3A, u[16] == 0x3A,
            let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13), let mi = num(14..<16), let s = num(17..<19),
            (1...12).contains(mo), d >= 1, d <= Day.daysIn(year: y, month: mo), h < 24, mi < 60, s < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if u[i] == 0x2E {
            var scale = 0.1
            i += 1
            let start = i
            while i < u.count, (0x30...0x39).contains(u[i]) {
                fraction += Double(u[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < u.count else { return nil }
        var offset = 0
        if u[i] == 0x5A || u[i] == 0x7A {
            guard i + 1 == u.count else { return nil }
        } else if u[i] == 0x2B || u[i] == 0x2D {
            guard i + 6 == u.count, u[i + 3] == 0x3A, let oh = num(i + 1..<i + 3), let om = num(i + 4..<i + 6), oh < 24, om < 60 else { return nil }
            offset = (u[i] == 0x2B ? 1 : -1) * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        let days = Day(year: y, month: mo, day: d).daysSince1970
        return (Double(days * 86_400 + h * 3600 + mi * 60 + s - offset) + fraction).rounded()
    }

    /// The JWT claims set for a credential: the credential (without an embedded proof) with `iss`, `jti`, `nbf`
    /// (and `exp`) copied from it, serialized canonically so it can be rebuilt byte for byte.
    public static func payload(_ credential: JSONValue) -> JSONValue {
        var payload = credential.removing("proof")
        payload = payload.setting("iss", credential["issuer"]?["id"] ?? credential["issuer"] ?? .null)
        if let id = credential["id"] { payload = payload.setting("jti", id) }
        if let nbf = epoch(credential["validFrom"]?.string) { payload = payload.setting("nbf", .number(nbf)) }
        if let exp = epoch(credential["validUntil"]?.string) { payload = payload.setting("exp", .number(exp)) }
        return payload
    }

    public static func sign(_ credential: JSONValue, kid: String, key: Curve25519.Signing.PrivateKey) throws -> String {
        let header: JSONValue = .object(["alg": .string("EdDSA"), "kid": .string(kid), "typ": .string("vc+jwt")])
        let input = Multibase.base64url(CanonicalJSON.data(header)) + "." + Multibase.base64url(CanonicalJSON.data(payload(credential)))
        return input + "." + Multibase.base64url(try key.signature(for: Data(input.utf8)))
    }

    /// The JWS with its payload left out (`header..signature`, RFC 7515 Appendix F): what is stored beside the
    /// credential, since the payload is the credential itself.
    public static func detached(_ jwt: String) -> String {
        let parts = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return jwt }
        return parts[0] + ".." + parts[2]
    }

    /// The compact JWT again, its payload rebuilt from the stored credential. A full JWT is returned as it is.
    public static func attached(_ stored: String, credential: JSONValue) -> String {
        let parts = stored.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].isEmpty else { return stored }
        return parts[0] + "." + Multibase.base64url(CanonicalJSON.data(payload(credential))) + "." + parts[2]
    }

    /// The header and payload of a JWT, unverified.
    public static func decode(_ jwt: String) throws(Failure) -> (header: JSONValue, payload: JSONValue) {
        let parts = jwt.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let h = Multibase.decodeBase64url(String(parts[0])), let p = Multibase.decodeBase64url(String(parts[1])),
            let header = try? JSONValue.parse(h), let payload = try? JSONValue.parse(p)
        else { throw .format }
        return (header, payload)
    }

    public static func verify(_ jwt: String, key: Curve25519.Signing.PublicKey) throws(Failure) -> JSONValue {
        let (header, payload) = try decode(jwt)
        guard header["alg"]?.string == "EdDSA" else { throw .algorithm }
        let parts = jwt.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".", omittingEmptySubsequences: false)
        guard let signature = Multibase.decodeBase64url(String(parts[2])),
            key.isValidSignature(signature, for: Data((parts[0] + "." + parts[1]).utf8))
        else {
            throw .signature
        }
        let issuer = payload["issuer"]?["id"] ?? payload["issuer"]
        guard payload["iss"] == issuer, payload["jti"] == payload["id"] else { throw .claims }
        if let nbf = epoch(payload["validFrom"]?.string), payload["nbf"] != .number(nbf) { throw .claims }
        return payload
    }
}
