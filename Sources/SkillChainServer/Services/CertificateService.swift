import Crypto
import Fluent
import Foundation
import SkillChainCore
import SQLKit
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
            try await SigningKeyRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$retiredAt == nil)
                .set(\.$retiredAt, to: app.now).update()
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

    /// A batch's certificates, numbered, indexed and signed before the write lock is taken, with what they assumed.
    struct PreparedIssue: Sendable {
        let organization: UUID, year: Int, level: String
        /// The body's last serial for the year and level when the numbers were drawn (nil: no counter yet).
        let lastSerial: Int?
        let registrations: Set<UUID>
        let revocation: Set<Int>, suspension: Set<Int>
        let rows: [[BulkValue]]
        let events: [AuditLog.Event]
        let timings: String
        var count: Int { rows.count }
    }

    /// What an issuance assumed changed before it could commit (another batch took serials or indexes, or a result
    /// was corrected): prepare again.
    struct StaleIssue: Error {}

    /// One certificate to issue (from a batch) or to import, with what the credential states.
    struct IssueItem: Sendable {
        let registrationID: UUID?, batchID: UUID?, personID: UUID
        let name: String, citizenIDSealed: String, citizenIDIndex: String, citizenIDMasked: String
        let occupationCode: String, occupationName: String, occupationEdition: String, workType: String
        let level: SkillLevel, issued: Day, scores: [Subject: Double], standardName: String?
        var number: CertificateNumber? = nil, revocation = 0, suspension = 0
    }

    /// The body as issuer: its identifier, current key and status lists.
    struct Signer: Sendable {
        let organization: UUID, issuerDID: String, issuerName: String, kid: String, publicKey: String
        let privateKey: Curve25519.Signing.PrivateKey, base: String, revocationList: String, suspensionList: String
    }

    static func signer(_ org: UUID, name: String, app: Application) async throws -> Signer {
        let (record, key) = try await app.write { db in try await activeKey(org, app: app, on: db) }
        let issuer = did(org, app)
        return Signer(organization: org, issuerDID: issuer, issuerName: name, kid: "\(issuer)#\(record.publicMultibase)", publicKey: record.publicMultibase,
                      privateKey: key, base: baseURL(app), revocationList: statusListURL(org, purpose: "revocation", app),
                      suspensionList: statusListURL(org, purpose: "suspension", app))
    }

    /// Everyone who passed a batch, read as the columns issuance needs (not whole models: 10,000 are read at once).
    static func candidates(_ d: BatchDetail, issued: Day, on db: any Database) async throws -> [IssueItem] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let rows = try await sql.select()
            .column(SQLColumn("id", table: "r"), as: "rid").column(SQLColumn("person_id", table: "r"))
            .column(SQLColumn("theory_score", table: "r")).column(SQLColumn("practical_score", table: "r")).column(SQLColumn("review_score", table: "r"))
            .column(SQLColumn("name", table: "p")).column(SQLColumn("citizen_id_sealed", table: "p")).column(SQLColumn("citizen_id_index", table: "p"))
            .column(SQLColumn("citizen_id_masked", table: "p"))
            .from(SQLAlias(SQLIdentifier(RegistrationRecord.schema), as: SQLIdentifier("r")))
            .join(SQLAlias(SQLIdentifier(PersonRecord.schema), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "r"), .equal, SQLColumn("id", table: "p"))
            .where(SQLColumn("batch_id", table: "r"), .equal, SQLBind(d.batch.id!)).where(SQLColumn("outcome", table: "r"), .equal, SQLBind("passed"))
            .orderBy(SQLColumn("created_at", table: "r")).orderBy(SQLColumn("id", table: "r"))
            .all()
        let subjects = PassRule.subjects(for: d.level)
        return try rows.map { row in
            var scores: [Subject: Double] = [:]
            for s in subjects {
                let column = switch s { case .theory: "theory_score"; case .practical: "practical_score"; case .review: "review_score" }
                scores[s] = try row.decodeNil(column: column) ? nil : try row.decode(column: column, as: Double.self)
            }
            return IssueItem(registrationID: try row.decode(column: "rid", as: UUID.self), batchID: d.batch.id!, personID: try row.decode(column: "person_id", as: UUID.self),
                             name: try row.decode(column: "name", as: String.self), citizenIDSealed: try row.decode(column: "citizen_id_sealed", as: String.self),
                             citizenIDIndex: try row.decode(column: "citizen_id_index", as: String.self),
                             citizenIDMasked: try row.decode(column: "citizen_id_masked", as: String.self),
                             occupationCode: d.batch.occupationCode, occupationName: d.occupation?.name ?? d.batch.occupationCode,
                             occupationEdition: d.occupation?.edition ?? "2022", workType: "--", level: d.level, issued: issued, scores: scores,
                             standardName: d.standard.documentNumber)
        }
    }

    /// Status indexes drawn at random from the unused ones (herd privacy), two per certificate.
    static func allocate(_ items: [IssueItem], used: (revocation: Set<Int>, suspension: Set<Int>)) throws -> [IssueItem] {
        var revocation = used.revocation, suspension = used.suspension
        var rng = SystemRandomNumberGenerator()
        func draw(_ used: inout Set<Int>) throws -> Int {
            guard used.count < BitstringStatusList.size else { throw DomainError.rule(code: "certificate.statusListFull") }
            while true { let i = Int.random(in: 0..<BitstringStatusList.size, using: &rng); if used.insert(i).inserted { return i } }
        }
        var out = items
        for i in out.indices { out[i].revocation = try draw(&revocation); out[i].suspension = try draw(&suspension) }
        return out
    }

    /// Opens the ID numbers, builds each credential and signs it twice (Data Integrity proof; VC-JWT, stored with its
    /// payload detached), in parallel parts, order kept: the certificate rows and their audit events.
    static func build(_ items: [IssueItem], signer: Signer, action: String, cipher: PersonalDataCipher, now: Date)
        async throws -> (rows: [[BulkValue]], events: [AuditLog.Event]) {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, items.count / 64 + 1))
        let size = max(1, (items.count + parts - 1) / parts)
        let built = try await withThrowingTaskGroup(of: (Int, [[BulkValue]], [AuditLog.Event]).self) { group in
            for start in stride(from: 0, to: items.count, by: size) {
                let slice = items[start..<min(start + size, items.count)]
                group.addTask {
                    var rows: [[BulkValue]] = [], events: [AuditLog.Event] = []
                    for c in slice {
                        guard let number = c.number else { continue }
                        let facts = CertificateFacts(
                            number: number, holderName: c.name, citizenID: try cipher.open(c.citizenIDSealed), salt: Tokens.random(bytes: 12),
                            occupationCode: c.occupationCode, occupationName: c.occupationName, occupationEdition: c.occupationEdition, workType: c.workType,
                            level: c.level, issuerDID: signer.issuerDID, issuerName: signer.issuerName, issued: c.issued, validUntil: nil, scores: c.scores,
                            standardName: c.standardName, credentialURL: "\(signer.base)/api/v1/certificates/\(number.value)/credential",
                            standardURL: "\(signer.base)/occupations/\(c.occupationCode)",
                            statusEntries: [.init(purpose: "revocation", listURL: signer.revocationList, index: c.revocation),
                                            .init(purpose: "suspension", listURL: signer.suspensionList, index: c.suspension)])
                        let document = CertificateCredential.document(facts)
                        let secured = try EddsaJcs2022.sign(document, verificationMethod: signer.kid, created: c.issued.description + "T00:00:00Z", key: signer.privateKey)
                        let jwt = VCJWT.detached(try VCJWT.sign(document, kid: signer.kid, key: signer.privateKey))
                        rows.append([.uuid(UUID()), .text(number.value), .uuid(signer.organization), c.batchID.map(BulkValue.uuid) ?? .null,
                                     c.registrationID.map(BulkValue.uuid) ?? .null, .uuid(c.personID), .text(c.citizenIDIndex), .text(c.name),
                                     .text(c.citizenIDMasked), .text(c.occupationCode), .text(c.occupationName), .text(c.workType), .text(c.level.rawValue),
                                     .text(c.issued.description), .null, .text(CanonicalJSON.string(secured)), .text(jwt), .text(signer.publicKey),
                                     .int(c.revocation), .int(c.suspension), .text("valid"), .date(now)])
                        var detail = ["occupation": c.occupationCode, "level": c.level.rawValue]
                        if let b = c.batchID { detail["batch"] = b.uuidString.lowercased() }
                        if let r = c.registrationID { detail["registration"] = r.uuidString.lowercased() }
                        events.append(.init(action: action, objectType: "certificate", objectID: number.value, detail: detail))
                    }
                    return (start, rows, events)
                }
            }
            var out: [(Int, [[BulkValue]], [AuditLog.Event])] = []
            for try await part in group { out.append(part) }
            return out.sorted { $0.0 < $1.0 }
        }
        return (built.flatMap(\.1), built.flatMap(\.2))
    }

    /// The compact VC-JWT of a certificate (stored with its payload detached; rebuilt from the credential).
    static func jwt(_ c: CertificateRecord) throws -> String {
        guard let credential = try? JSONValue.parse(c.credential) else { throw Abort(.internalServerError) }
        return VCJWT.attached(c.jwt, credential: credential)
    }

    /// Numbers, status indexes and both signatures for everyone who passed a signed-off batch, computed from reads
    /// outside any write transaction (built and signed in parallel), so the commit holds the database only to insert.
    static func prepare(_ d: BatchDetail, app: Application, today: Day) async throws -> PreparedIssue {
        let clock = ContinuousClock()
        var mark = clock.now, laps: [String] = []
        func lap(_ name: String) { let t = clock.now; laps.append("\(name)=\(t - mark)"); mark = t }
        let db = app.db, org = d.batch.organizationID
        var items = try await candidates(d, issued: today, on: db)
        let signer = try await signer(org, name: d.organization.name, app: app)
        let lastSerial = try await CertificateSerialRecord.query(on: db).filter(\.$organizationID == org).filter(\.$year == today.year)
            .filter(\.$level == d.batch.level).first()?.lastSerial
        let used = try await usedIndexes(org, on: db)
        lap("read")
        for i in items.indices {
            items[i].number = try CertificateNumber.make(identity: d.identity, year: today.year, level: d.level, serial: (lastSerial ?? 0) + 1 + i)
        }
        items = try allocate(items, used: used)
        lap("allocate")
        let built = try await build(items, signer: signer, action: "certificate.issued", cipher: app.personalData, now: app.now)
        lap("sign")
        return PreparedIssue(organization: org, year: today.year, level: d.batch.level, lastSerial: lastSerial, registrations: Set(items.compactMap(\.registrationID)),
                             revocation: used.revocation, suspension: used.suspension, rows: built.rows, events: built.events,
                             timings: laps.joined(separator: " "))
    }

    /// Writes a prepared issuance inside the caller's transaction after checking that what it assumed still holds:
    /// the serial counter advanced once, every certificate row, every audit entry — all or nothing.
    static func commit(_ p: PreparedIssue, batchID: UUID, actor: Actor?, on db: any Database) async throws {
        let passed = try await RegistrationRecord.query(on: db).filter(\.$batchID == batchID).filter(\.$outcome == "passed").field(\.$id).all()
        let serial = try await CertificateSerialRecord.query(on: db).filter(\.$organizationID == p.organization).filter(\.$year == p.year)
            .filter(\.$level == p.level).first()
        let used = try await usedIndexes(p.organization, on: db)
        guard Set(passed.compactMap(\.id)) == p.registrations, serial?.lastSerial == p.lastSerial,
              used.revocation == p.revocation, used.suspension == p.suspension else { throw StaleIssue() }
        guard p.count > 0 else { return }
        let row = serial ?? { let r = CertificateSerialRecord(); r.organizationID = p.organization; r.year = p.year; r.level = p.level; r.lastSerial = 0; return r }()
        row.lastSerial += p.count
        try await row.save(on: db)
        try await BulkInsert.run(CertificateRecord.schema, columns: certificateColumns, rows: p.rows, on: db)
        try await AuditLog.appendAll(p.events, actor: actor, on: db)
    }

    static let certificateColumns = ["id", "number", "organization_id", "batch_id", "registration_id", "person_id", "citizen_id_index", "holder_name",
                                     "citizen_id_masked", "occupation_code", "occupation_name", "work_type", "level", "issue_date", "valid_until",
                                     "credential", "jwt", "key_id", "revocation_index", "suspension_index", "status", "created_at"]

    /// The status-list indexes a body has given out, read as two integer columns (not whole certificates).
    static func usedIndexes(_ organization: UUID, on db: any Database) async throws -> (revocation: Set<Int>, suspension: Set<Int>) {
        guard let sql = db as? any SQLDatabase else { return ([], []) }
        let rows = try await sql.select().column("revocation_index").column("suspension_index").from(CertificateRecord.schema)
            .where("organization_id", .equal, organization).all()
        var r = Set<Int>(), s = Set<Int>()
        for row in rows {
            r.insert(try row.decode(column: "revocation_index", as: Int.self))
            s.insert(try row.decode(column: "suspension_index", as: Int.self))
        }
        return (r, s)
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
        // A category given with a reinstatement is still checked (and then not used).
        let given = action == "reinstate" && (input.category ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            ? nil : v.oneOf("category", input.category, StatusCategory.self)
        let category = action == "reinstate" ? nil : given
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
        AppMetrics.certificateStatusChanged(action)
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
        let now = ISO8601DateFormatter().string(from: app.now)
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

    static func status(_ c: CertificateRecord, today: Day) -> VerificationStatus {
        if c.status == "revoked" { return .revoked }
        if c.status == "suspended" { return .suspended }
        if let until = c.validUntil.flatMap(Day.init), until < today { return .expired }
        return .valid
    }

    /// Verifies a presented credential (Data Integrity JSON or VC-JWT): issuer key resolved from this platform's DID
    /// documents, signature, status and dates — each check reported.
    static func verifyPresented(_ text: String, app: Application) async throws -> (VerificationStatus, [VerificationCheck], CertificateRecord?) {
        let result = try await checkPresented(text, app: app)
        AppMetrics.verified("presented-\(result.0.rawValue)")
        return result
    }

    private static func checkPresented(_ text: String, app: Application) async throws -> (VerificationStatus, [VerificationCheck], CertificateRecord?) {
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
        // The record the credential names must be this issuer's, about the same person, occupation and level.
        if let record, let stored = try? JSONValue.parse(record.credential) {
            let binding = CredentialBinding.compare(presented: credential, stored: stored)
            let issuerOK = binding.issuerMatches && organization(ofDID: issuerID, app) == record.organizationID
            checks.append(.init(name: "issuer", ok: issuerOK, detail: issuerOK ? "issuer.ok" : "issuer.mismatch"))
            checks.append(.init(name: "subject", ok: binding.subjectMatches, detail: binding.subjectMatches ? "subject.ok" : "subject.mismatch"))
            if !issuerOK || !binding.subjectMatches { return (.tampered, checks, nil) }
        }
        let status: VerificationStatus = record.map { Self.status($0, today: app.today) } ?? .unknown
        checks.append(.init(name: "status", ok: status == .valid, detail: "status.\(status.rawValue)"))
        let now = app.now
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
