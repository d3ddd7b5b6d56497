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

struct VerificationCheck: Content {
    let name: String
    let ok: Bool
    let detail: String

    /// The detail in the request's language: `key` or `key|arg|…` (under `verify.detail.`).
    static func text(_ detail: String, _ req: Request) -> String {
        let parts = detail.split(separator: "|").map(String.init)
        return req.t("verify.detail.\(parts.first ?? "")", Array(parts.dropFirst()))
    }
}

struct CertificateService {
    let app: Application

    init(_ app: Application) { self.app = app }

    // MARK: Identifiers and keys

    /// A batch's certificates, numbered, indexed and signed before the write lock is taken, with what they assumed.
    struct PreparedIssue: Sendable {
        let organization: UUID, year: Int, level: String
        /// The body's last serial for the year and level when the numbers were drawn (nil: no counter yet).
        let lastSerial: Int?
        let registrations: Set<UUID>
        let revocation: Set<Int>, suspension: Set<Int>
        let rows: [CertificateStore.Row]
        let events: [AuditLog.Event]
        let timings: String
        /// The transparency log's entries for these certificates, appended in the same transaction.
        let logEntries: [LogEntry]
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

    func signer(_ org: UUID, name: String) async throws -> Signer {
        let (record, key) = try await app.write { db in try await activeKey(org, on: db) }
        let issuer = did(org)
        return Signer(
            organization: org, issuerDID: issuer, issuerName: name, kid: "\(issuer)#\(record.publicMultibase)", publicKey: record.publicMultibase,
            privateKey: key, base: baseURL(), revocationList: statusListURL(org, purpose: "revocation"),
            suspensionList: statusListURL(org, purpose: "suspension"))
    }

    /// Everyone who passed a batch, read as the columns issuance needs (not whole models: 10,000 are read at once).
    static func candidates(_ d: BatchDetail, issued: Day, on db: any Database) async throws -> [IssueItem] {
        let rows = try await RegistrationStore(db).passedWithPeople(d.batch.id!)
        let subjects = PassRule.subjects(for: d.level)
        return rows.map { row in
            IssueItem(
                registrationID: row.registration, batchID: d.batch.id!, personID: row.person, name: row.name,
                citizenIDSealed: row.citizenIDSealed, citizenIDIndex: row.citizenIDIndex, citizenIDMasked: row.citizenIDMasked,
                occupationCode: d.batch.occupationCode, occupationName: d.occupation?.name ?? d.batch.occupationCode,
                occupationEdition: d.occupation?.edition ?? "2022", workType: "--", level: d.level, issued: issued,
                scores: row.scores.filter { subjects.contains($0.key) },
                standardName: d.standard.documentNumber)
        }
    }

    /// Status indexes drawn at random from the unused ones (herd privacy), two per certificate.
    static func allocate(_ items: [IssueItem], used: (revocation: Set<Int>, suspension: Set<Int>), random: any RandomSource) throws
        -> [IssueItem]
    {
        var revocation = used.revocation
        var suspension = used.suspension
        func draw(_ used: inout Set<Int>) throws -> Int {
            guard used.count < BitstringStatusList.size else { throw DomainError.rule(code: "certificate.statusListFull") }
            while true {
                let i = random.int(below: BitstringStatusList.size)
                if used.insert(i).inserted { return i }
            }
        }
        var out = items
        for i in out.indices {
            out[i].revocation = try draw(&revocation)
            out[i].suspension = try draw(&suspension)
        }
        return out
    }

    /// Opens the ID numbers, builds each credential and signs it twice (Data Integrity proof; VC-JWT, stored with its
    /// payload detached), in parallel parts, order kept: the certificate rows and their audit events.
    static func build(_ items: [IssueItem], signer: Signer, action: String, cipher: PersonalDataCipher, now: Date, random: any RandomSource)
        async throws -> (rows: [CertificateStore.Row], events: [AuditLog.Event])
    {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, items.count / 64 + 1))
        let size = max(1, (items.count + parts - 1) / parts)
        let built = try await withThrowingTaskGroup(of: (Int, [CertificateStore.Row], [AuditLog.Event]).self) { group in
            for start in stride(from: 0, to: items.count, by: size) {
                let slice = items[start..<min(start + size, items.count)]
                group.addTask {
                    var rows: [CertificateStore.Row] = []
                    var events: [AuditLog.Event] = []
                    for c in slice {
                        guard let number = c.number else { continue }
                        let facts = CertificateFacts(
                            number: number, holderName: c.name, citizenID: try cipher.open(c.citizenIDSealed), salt: random.token(bytes: 12),
                            occupationCode: c.occupationCode, occupationName: c.occupationName, occupationEdition: c.occupationEdition,
                            workType: c.workType,
                            level: c.level, issuerDID: signer.issuerDID, issuerName: signer.issuerName, issued: c.issued, validUntil: nil,
                            scores: c.scores,
                            standardName: c.standardName, credentialURL: "\(signer.base)/api/v1/certificates/\(number.value)/credential",
                            standardURL: "\(signer.base)/occupations/\(c.occupationCode)",
                            statusEntries: [
                                .init(purpose: "revocation", listURL: signer.revocationList, index: c.revocation),
                                .init(purpose: "suspension", listURL: signer.suspensionList, index: c.suspension),
                            ])
                        let document = CertificateCredential.document(facts)
                        let secured = try EddsaJcs2022.sign(
                            document, verificationMethod: signer.kid, created: c.issued.description + "T00:00:00Z", key: signer.privateKey)
                        let jwt = VCJWT.detached(try VCJWT.sign(document, kid: signer.kid, key: signer.privateKey))
                        rows.append(
                            CertificateStore.Row(
                                id: random.uuid(), number: number.value, organizationID: signer.organization, batchID: c.batchID,
                                registrationID: c.registrationID, personID: c.personID, citizenIDIndex: c.citizenIDIndex, holderName: c.name,
                                citizenIDMasked: c.citizenIDMasked, occupationCode: c.occupationCode, occupationName: c.occupationName,
                                workType: c.workType, level: c.level, issued: c.issued.description, validUntil: nil,
                                credential: CanonicalJSON.string(secured), jwt: jwt, keyID: signer.publicKey, revocationIndex: c.revocation,
                                suspensionIndex: c.suspension, status: .valid, createdAt: now))
                        var detail = ["occupation": c.occupationCode, "level": c.level.rawValue]
                        if let b = c.batchID { detail["batch"] = b.uuidString.lowercased() }
                        if let r = c.registrationID { detail["registration"] = r.uuidString.lowercased() }
                        events.append(.init(action: action, objectType: "certificate", objectID: number.value, detail: detail))
                    }
                    return (start, rows, events)
                }
            }
            var out: [(Int, [CertificateStore.Row], [AuditLog.Event])] = []
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
    func prepare(_ d: BatchDetail, today: Day) async throws -> PreparedIssue {
        let clock = ContinuousClock()
        var mark = clock.now
        var laps: [String] = []
        func lap(_ name: String) {
            let t = clock.now
            laps.append("\(name)=\(t - mark)")
            mark = t
        }
        let db = app.db
        let org = d.batch.organizationID
        var items = try await Self.candidates(d, issued: today, on: db)
        let signer = try await signer(org, name: d.organization.name)
        let lastSerial = try await CertificateSerialRecord.query(on: db).filter(\.$organizationID == org).filter(\.$year == today.year)
            .filter(\.$level == d.batch.level).first()?.lastSerial
        let used = try await CertificateStore(db).usedIndexes(org)
        lap("read")
        for i in items.indices {
            items[i].number = try CertificateNumber.make(identity: d.identity, year: today.year, level: d.level, serial: (lastSerial ?? 0) + 1 + i)
        }
        items = try Self.allocate(items, used: used, random: app.random)
        lap("allocate")
        let built = try await Self.build(
            items, signer: signer, action: "certificate.issued", cipher: app.personalData, now: app.now, random: app.random)
        lap("sign")
        return PreparedIssue(
            organization: org, year: today.year, level: d.batch.level, lastSerial: lastSerial, registrations: Set(items.compactMap(\.registrationID)),
            revocation: used.revocation, suspension: used.suspension, rows: built.rows, events: built.events,
            timings: laps.joined(separator: " "), logEntries: TransparencyLog.certificateEntries(built.rows, .issued, app: app, now: app.now))
    }

    /// Writes a prepared issuance inside the caller's transaction after checking that what it assumed still holds:
    /// the serial counter advanced once, every certificate row, every audit entry — all or nothing.
    static func commit(_ p: PreparedIssue, batchID: UUID, actor: Actor?, on db: any Database, now: Date) async throws {
        let passed = try await RegistrationStore(db).ids(.passed, inBatch: batchID)
        let serial = try await CertificateSerialRecord.query(on: db).filter(\.$organizationID == p.organization).filter(\.$year == p.year)
            .filter(\.$level == p.level).first()
        let used = try await CertificateStore(db).usedIndexes(p.organization)
        guard passed == p.registrations, serial?.lastSerial == p.lastSerial,
            used.revocation == p.revocation, used.suspension == p.suspension
        else { throw StaleIssue() }
        guard p.count > 0 else { return }
        let row =
            serial
            ?? {
                let r = CertificateSerialRecord()
                r.organizationID = p.organization
                r.year = p.year
                r.level = p.level
                r.lastSerial = 0
                return r
            }()
        row.lastSerial += p.count
        try await row.save(on: db)
        try await CertificateStore(db).insert(p.rows)
        try await TransparencyLog.append(p.logEntries, on: db)
        try await AuditLog.appendAll(p.events, actor: actor, on: db, now: now)
    }
}
