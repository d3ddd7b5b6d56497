import Crypto
import Fluent
import Foundation
import SkillChainCore
import Vapor

struct CertificateStatusInput: Content, Sendable {
    /// `revoke`, `suspend` or `reinstate`.
    var action: String?
    /// Shown on the verification page: `fraud`, `error`, `misconduct`, `other`.
    var category: String?
    /// Kept privately (encrypted).
    var reason: String?
}

/// Public categories of a status change. Localization keys `certificateReason.<rawValue>`.
enum StatusCategory: String, CaseIterable { case fraud, error, misconduct, other }

/// The verdict on a certificate or a presented credential.
enum VerificationStatus: String { case valid, revoked, suspended, expired, unknown, tampered }

struct VerificationCheck: Content { let name: String; let ok: Bool; let detail: String }

enum CertificateService {
    // MARK: Identifiers and keys

    static func baseURL(_ app: Application) -> String {
        var s = app.config.publicURL.absoluteString
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// `did:web:<host>[%3A<port>]:orgs:`, the start of every body's identifier on this platform.
    static func didPrefix(_ app: Application) -> String {
        let url = app.config.publicURL
        var host = url.host ?? "127.0.0.1"
        if let port = url.port { host += "%3A\(port)" }
        return "did:web:\(host):orgs:"
    }

    /// `did:web:<host>[%3A<port>]:orgs:<id>`, resolved at `<base>/orgs/<id>/did.json`.
    static func did(_ organization: UUID, _ app: Application) -> String { didPrefix(app) + organization.uuidString.lowercased() }

    static func statusListURL(_ organization: UUID, purpose: String, _ app: Application) -> String {
        "\(baseURL(app))/status/\(organization.uuidString.lowercased())-\(purpose)"
    }

    /// The body's current signing key, created on first use; the private key is sealed with the platform secret.
    static func activeKey(_ organization: UUID, app: Application, on db: any Database) async throws -> (SigningKeyRecord, Curve25519.Signing.PrivateKey) {
        if let k = try await SigningKeyRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$retiredAt == nil).sort(\.$createdAt, .descending).first() {
            return (k, try privateKey(k, app))
        }
        let key = Curve25519.Signing.PrivateKey()
        let r = SigningKeyRecord()
        r.organizationID = organization; r.publicMultibase = Multikey.encode(key.publicKey)
        r.privateSealed = try app.personalData.seal(key.rawRepresentation.base64EncodedString())
        try await r.create(on: db)
        return (r, key)
    }

    static func privateKey(_ r: SigningKeyRecord, _ app: Application) throws -> Curve25519.Signing.PrivateKey {
        guard let raw = Data(base64Encoded: try app.personalData.open(r.privateSealed)) else { throw Abort(.internalServerError) }
        return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }

    /// Retires the current key and makes a new one; old public keys stay in the DID document.
    static func rotate(_ organization: UUID, actor: Actor?, app: Application) async throws -> String {
        try await app.write { db in
            try await SigningKeyRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$retiredAt == nil).set(\.$retiredAt, to: Date()).update()
            let (k, _) = try await activeKey(organization, app: app, on: db)
            try await AuditLog.append(.init(action: "keys.rotated", objectType: "organization", objectID: organization.uuidString.lowercased(),
                                            detail: ["key": k.publicMultibase]), actor: actor, on: db)
            return k.publicMultibase
        }
    }

    /// The DID document: every key (current and retired) as a `Multikey` in `verificationMethod` and `assertionMethod`.
    static func didDocument(_ organization: UUID, app: Application) async throws -> JSONValue {
        guard try await OrganizationRecord.find(organization, on: app.db) != nil else { throw DomainError.notFound }
        let id = did(organization, app)
        let keys = try await SigningKeyRecord.query(on: app.db).filter(\.$organizationID == organization).sort(\.$createdAt).all()
        let methods: [JSONValue] = keys.map { k in
            .object(["id": .string("\(id)#\(k.publicMultibase)"), "type": .string("Multikey"), "controller": .string(id), "publicKeyMultibase": .string(k.publicMultibase)])
        }
        return .object([
            "@context": .array([.string("https://www.w3.org/ns/did/v1"), .string("https://w3id.org/security/multikey/v1")]),
            "id": .string(id), "verificationMethod": .array(methods),
            "assertionMethod": .array(keys.map { .string("\(id)#\($0.publicMultibase)") }),
        ])
    }

    // MARK: Issuance

    /// Issues certificates to everyone who passed a batch, inside the caller's transaction: number, signed credential
    /// (Data Integrity proof and VC-JWT), status indexes and audit entry for each — all or nothing.
    static func issue(_ d: BatchDetail, actor: Actor?, app: Application, on db: any Database, today: Day) async throws -> Int {
        let passed = try await RegistrationRecord.query(on: db).filter(\.$batchID == d.batch.id!).filter(\.$outcome == "passed").sort(\.$createdAt).all()
        guard !passed.isEmpty else { return 0 }
        let org = d.batch.organizationID
        let (key, privateKey) = try await activeKey(org, app: app, on: db)
        let issuer = did(org, app)
        let kid = "\(issuer)#\(key.publicMultibase)"
        let people = Dictionary(uniqueKeysWithValues: try await PersonRecord.query(on: db).filter(\.$id ~~ Set(passed.map(\.personID))).all().map { ($0.id!, $0) })
        // Serials: one counter per body, year and level, advanced once for the whole batch.
        let serialRow = try await CertificateSerialRecord.query(on: db).filter(\.$organizationID == org).filter(\.$year == today.year)
            .filter(\.$level == d.batch.level).first() ?? {
                let r = CertificateSerialRecord(); r.organizationID = org; r.year = today.year; r.level = d.batch.level; r.lastSerial = 0; return r
            }()
        let first = serialRow.lastSerial + 1
        serialRow.lastSerial += passed.count
        try await serialRow.save(on: db)
        // Status indexes drawn at random from the unused ones (herd privacy).
        let used = try await CertificateRecord.query(on: db).filter(\.$organizationID == org).all()
        var usedRevocation = Set(used.map(\.revocationIndex)), usedSuspension = Set(used.map(\.suspensionIndex))
        var rng = SystemRandomNumberGenerator()
        func draw(_ used: inout Set<Int>) throws -> Int {
            guard used.count < BitstringStatusList.size else { throw DomainError.rule(code: "certificate.statusListFull") }
            while true { let i = Int.random(in: 0..<BitstringStatusList.size, using: &rng); if used.insert(i).inserted { return i } }
        }
        let standard = d.standard
        for (n, r) in passed.enumerated() {
            guard let person = people[r.personID] else { continue }
            let number = try CertificateNumber.make(identity: d.identity, year: today.year, level: d.level, serial: first + n)
            let revocation = try draw(&usedRevocation), suspension = try draw(&usedSuspension)
            var scores: [Subject: Double] = [:]
            for s in PassRule.subjects(for: d.level) { scores[s] = r.score(s) }
            let facts = CertificateFacts(
                number: number, holderName: person.name, citizenID: try app.personalData.open(person.citizenIDSealed),
                salt: Tokens.random(bytes: 12), occupationCode: d.batch.occupationCode, occupationName: d.occupation?.name ?? d.batch.occupationCode,
                occupationEdition: d.occupation?.edition ?? "2022", workType: "--", level: d.level, issuerDID: issuer, issuerName: d.organization.name,
                issued: today, validUntil: nil, scores: scores, standardName: standard.documentNumber,
                credentialURL: "\(baseURL(app))/api/v1/certificates/\(number.value)/credential", standardURL: "\(baseURL(app))/occupations/\(d.batch.occupationCode)",
                statusEntries: [.init(purpose: "revocation", listURL: statusListURL(org, purpose: "revocation", app), index: revocation),
                                .init(purpose: "suspension", listURL: statusListURL(org, purpose: "suspension", app), index: suspension)])
            let document = CertificateCredential.document(facts)
            let secured = try EddsaJcs2022.sign(document, verificationMethod: kid, created: today.description + "T00:00:00Z", key: privateKey)
            let c = CertificateRecord()
            c.number = number.value; c.organizationID = org; c.batchID = d.batch.id!; c.registrationID = r.id!; c.personID = person.id!
            c.citizenIDIndex = person.citizenIDIndex; c.holderName = person.name; c.citizenIDMasked = person.citizenIDMasked
            c.occupationCode = facts.occupationCode; c.occupationName = facts.occupationName; c.workType = facts.workType; c.level = d.batch.level
            c.issueDate = today.description; c.credential = CanonicalJSON.string(secured); c.jwt = try VCJWT.sign(document, kid: kid, key: privateKey)
            c.keyID = key.publicMultibase; c.revocationIndex = revocation; c.suspensionIndex = suspension; c.status = "valid"
            try await c.create(on: db)
            try await AuditLog.append(.init(action: "certificate.issued", objectType: "certificate", objectID: number.value,
                                            detail: ["batch": d.batch.id!.uuidString.lowercased(), "registration": r.id!.uuidString.lowercased()]), actor: actor, on: db)
        }
        return passed.count
    }

    // MARK: Status

    static func changeStatus(_ number: String, _ input: CertificateStatusInput, actor: Actor, app: Application) async throws -> CertificateRecord {
        guard let c = try await CertificateRecord.query(on: app.db).filter(\.$number == number.uppercased()).first() else { throw DomainError.notFound }
        try actor.require(.manageCertificates, actor.scope(owner: c.organizationID))
        var v = Validator()
        let action = (input.action ?? "").trimmingCharacters(in: .whitespaces)
        let next: String? = switch (action, c.status) {
        case ("revoke", "valid"), ("revoke", "suspended"): "revoked"
        case ("suspend", "valid"): "suspended"
        case ("reinstate", "suspended"): "valid"
        default: nil
        }
        if !["revoke", "suspend", "reinstate"].contains(action) { v.add("action", action.isEmpty ? "field.required" : "field.invalidChoice") }
        let category = action == "reinstate" ? nil : v.oneOf("category", input.category, StatusCategory.self)
        let reason = v.optional("reason", input.reason, max: 1000)
        if action != "reinstate" && reason == nil { v.add("reason", "certificate.reason.required") }
        try v.check()
        guard let next else { throw DomainError.rule(code: "certificate.status.notAllowed") }
        let sealed = try reason.map { try app.personalData.seal($0) }
        let changed = try await app.write { db in
            guard let row = try await CertificateRecord.find(c.id!, on: db), row.status == c.status else { throw DomainError.conflict(code: "program.changedMeanwhile") }
            row.status = next
            row.statusCategory = next == "valid" ? nil : category?.rawValue
            row.statusReasonSealed = next == "valid" ? nil : sealed
            try await row.update(on: db)
            try await AuditLog.append(.init(action: "certificate.\(action)", objectType: "certificate", objectID: row.number,
                                            detail: ["status": next, "category": category?.rawValue ?? ""]), actor: actor, on: db)
            if next == "revoked" { try await flagSubsidies(row, actor: actor, on: db) }
            return row
        }
        // After the commit, so a concurrent lookup cannot cache the old status again.
        app.verificationCache.clear(changed.number)
        return changed
    }

    /// Subsidy claims whose settlement counted a certificate in this occupation for this person are flagged (and
    /// audited) when the certificate is revoked, so the HR bureau can claw back.
    static func flagSubsidies(_ c: CertificateRecord, actor: Actor, on db: any Database) async throws {
        let people = try await PersonRecord.query(on: db).filter(\.$citizenIDIndex == c.citizenIDIndex).all().compactMap(\.id)
        let enrollments = try await EnrollmentRecord.query(on: db).filter(\.$personID ~~ people).all()
        let programs = try await ProgramRecord.query(on: db).filter(\.$id ~~ Set(enrollments.map(\.programID))).filter(\.$occupationCode == c.occupationCode).all()
        let relevant = Set(enrollments.filter { e in programs.contains { $0.id == e.programID } }.compactMap(\.id))
        guard !relevant.isEmpty else { return }
        let claims = try await SubsidyClaimRecord.query(on: db).filter(\.$enrollmentID ~~ relevant)
            .filter(\.$outcome ~~ [TrainingOutcome.intermediateCertificate.rawValue, TrainingOutcome.advancedCertificate.rawValue]).all()
        for claim in claims {
            claim.revokedCertificate = c.number
            try await claim.update(on: db)
            try await AuditLog.append(.init(action: "subsidy.certificateRevoked", objectType: "subsidyClaim", objectID: claim.id!.uuidString.lowercased(),
                                            detail: ["certificate": c.number]), actor: actor, on: db)
        }
    }

    /// The signed Bitstring Status List credential of a body for `purpose`.
    static func statusList(_ listID: String, app: Application) async throws -> JSONValue {
        let parts = listID.split(separator: "-")
        guard parts.count == 6, let org = UUID(uuidString: parts.prefix(5).joined(separator: "-")), ["revocation", "suspension"].contains(String(parts[5])) else {
            throw DomainError.notFound
        }
        let purpose = String(parts[5])
        guard try await OrganizationRecord.find(org, on: app.db) != nil else { throw DomainError.notFound }
        var list = BitstringStatusList()
        let flagged = try await CertificateRecord.query(on: app.db).filter(\.$organizationID == org)
            .filter(\.$status == (purpose == "revocation" ? "revoked" : "suspended")).all()
        for c in flagged { list[purpose == "revocation" ? c.revocationIndex : c.suspensionIndex] = true }
        let url = statusListURL(org, purpose: purpose, app)
        let (key, privateKey) = try await app.write { db in try await activeKey(org, app: app, on: db) }
        let now = ISO8601DateFormatter().string(from: Date())
        let doc: JSONValue = .object([
            "@context": .array([.string("https://www.w3.org/ns/credentials/v2")]),
            "id": .string(url), "type": .array([.string("VerifiableCredential"), .string("BitstringStatusListCredential")]),
            "issuer": .string(did(org, app)), "validFrom": .string(now),
            "credentialSubject": .object(["id": .string(url + "#list"), "type": .string("BitstringStatusList"), "statusPurpose": .string(purpose),
                                          "encodedList": .string(list.encodedList), "ttl": .number(Double(statusTTL * 1000))]),
        ])
        return try EddsaJcs2022.sign(doc, verificationMethod: "\(did(org, app))#\(key.publicMultibase)", created: now, key: privateKey)
    }

    /// Seconds a status list may be cached (its `ttl`, and `Cache-Control: max-age`).
    static let statusTTL = 300

    /// Certificates the actor may see: the holder their own, the region's bureau its region's, a body its own.
    static func visible(_ actor: Actor, on db: any Database) async throws -> QueryBuilder<CertificateRecord> {
        let q = CertificateRecord.query(on: db)
        if actor.role == .learner {
            let index = try await actor.personID.asyncMap { try await PersonRecord.find($0, on: db) }??.citizenIDIndex ?? "-"
            q.filter(\.$citizenIDIndex == index)
        } else if actor.role == .governmentOfficer {
            let orgs = try await OrganizationRecord.query(on: db).filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: actor.organizationRegion)).all()
            q.filter(\.$organizationID ~~ orgs.compactMap(\.id))
        } else if Policy.grant(actor.role, .viewCertificate) != .all {
            q.filter(\.$organizationID == actor.organizationID)
        }
        return q
    }

    // MARK: Verification

    static func lookup(_ number: String, on db: any Database) async throws -> CertificateRecord? {
        guard let n = try? CertificateNumber(number) else { return nil }
        return try await CertificateRecord.query(on: db).filter(\.$number == n.value).first()
    }

    static func status(_ c: CertificateRecord, today: Day = Day(Date())) -> VerificationStatus {
        if c.status == "revoked" { return .revoked }
        if c.status == "suspended" { return .suspended }
        if let until = c.validUntil.flatMap(Day.init), until < today { return .expired }
        return .valid
    }

    /// Verifies a presented credential (Data Integrity JSON or VC-JWT): issuer key resolved from this platform's DID
    /// documents, signature, status and dates — each check reported.
    static func verifyPresented(_ text: String, app: Application) async throws -> (VerificationStatus, [VerificationCheck], CertificateRecord?) {
        var checks: [VerificationCheck] = []
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var credential: JSONValue?
        var isJWT = false
        if trimmed.hasPrefix("{") {
            do { credential = try JSONValue.parse(trimmed) } catch { checks.append(.init(name: "format", ok: false, detail: "json.invalid")); return (.tampered, checks, nil) }
        } else {
            isJWT = true
            guard let (_, payload) = try? VCJWT.decode(trimmed) else { checks.append(.init(name: "format", ok: false, detail: "jwt.format")); return (.tampered, checks, nil) }
            credential = payload
        }
        checks.append(.init(name: "format", ok: true, detail: isJWT ? "vc+jwt" : "eddsa-jcs-2022"))
        guard let credential else { return (.tampered, checks, nil) }
        // Issuer key: the verification method must be a key of the issuer's DID document on this platform.
        let issuerID = credential["issuer"]?["id"]?.string ?? credential["issuer"]?.string ?? ""
        let method = isJWT ? (try? VCJWT.decode(trimmed))?.header["kid"]?.string : credential["proof"]?["verificationMethod"]?.string
        var key: Curve25519.Signing.PublicKey?
        if let method, method.hasPrefix(issuerID + "#"), let org = organization(ofDID: issuerID, app),
           let multibase = method.split(separator: "#").last.map(String.init),
           try await SigningKeyRecord.query(on: app.db).filter(\.$organizationID == org).filter(\.$publicMultibase == multibase).first() != nil {
            key = Multikey.decode(multibase)
        }
        checks.append(.init(name: "issuerKey", ok: key != nil, detail: key != nil ? "issuerKey.resolved" : "issuerKey.unresolved"))
        guard let key else { return (.tampered, checks, nil) }
        do {
            if isJWT { _ = try VCJWT.verify(trimmed, key: key) } else { try EddsaJcs2022.verify(credential, key: key) }
            checks.append(.init(name: "signature", ok: true, detail: "signature.ok"))
        } catch let e as EddsaJcs2022.Failure {
            checks.append(.init(name: "signature", ok: false, detail: e.rawValue)); return (.tampered, checks, nil)
        } catch let e as VCJWT.Failure {
            checks.append(.init(name: "signature", ok: false, detail: e.rawValue)); return (.tampered, checks, nil)
        }
        let number = credential["id"]?.string?.split(separator: "/").dropLast().last.map(String.init) ?? ""
        let record = try await lookup(number, on: app.db)
        let status: VerificationStatus = record.map { Self.status($0) } ?? .unknown
        checks.append(.init(name: "status", ok: status == .valid, detail: "status.\(status.rawValue)"))
        let now = Date()
        let from = credential["validFrom"]?.string.flatMap { ISO8601DateFormatter().date(from: $0) }
        let until = credential["validUntil"]?.string.flatMap { ISO8601DateFormatter().date(from: $0) }
        let datesOK = (from.map { $0 <= now } ?? false) && (until.map { now <= $0 } ?? true)
        checks.append(.init(name: "dates", ok: datesOK, detail: datesOK ? "dates.ok" : "dates.outside"))
        return (datesOK ? status : (status == .valid ? .expired : status), checks, record)
    }

    /// The organization of one of this platform's `did:web` identifiers.
    static func organization(ofDID did: String, _ app: Application) -> UUID? {
        let prefix = didPrefix(app)
        guard did.hasPrefix(prefix) else { return nil }
        return UUID(uuidString: String(did.dropFirst(prefix.count)))
    }
}
