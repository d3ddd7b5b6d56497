import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The SQL of certificates: the row layout an issued certificate is inserted with (issued here, imported, or seeded by a
/// benchmark), the status-list indexes a body has given out, the certificates a status list flags, and which rows count
/// as valid on a day. Services and commands build `Row`s; only this file knows the columns and their order.
struct CertificateStore {
    let db: any Database

    init(_ db: any Database) { self.db = db }

    /// One certificate as it is inserted.
    struct Row: Sendable {
        var id: UUID
        var number: String
        var organizationID: UUID
        var batchID: UUID?
        var registrationID: UUID?
        var personID: UUID
        var citizenIDIndex: String
        var holderName: String
        var citizenIDMasked: String
        var occupationCode: String
        var occupationName: String
        var workType: String
        var level: SkillLevel
        var issued: String
        var validUntil: String?
        /// The signed credential (canonical JSON) and its VC-JWT with the payload detached.
        var credential: String
        var jwt: String
        var keyID: String
        var revocationIndex: Int
        var suspensionIndex: Int
        var status: CertificateStatus
        var createdAt: Date

        /// The values in `CertificateStore.columns` order.
        var values: [BulkValue] {
            [
                .uuid(id), .text(number), .uuid(organizationID), batchID.map(BulkValue.uuid) ?? .null,
                registrationID.map(BulkValue.uuid) ?? .null, .uuid(personID), .text(citizenIDIndex), .text(holderName),
                .text(citizenIDMasked), .text(occupationCode), .text(occupationName), .text(workType), .text(level.rawValue),
                .text(issued), .optional(validUntil), .text(credential), .text(jwt), .text(keyID), .int(revocationIndex),
                .int(suspensionIndex), .text(status.rawValue), .date(createdAt),
            ]
        }
    }

    static let columns = [
        "id", "number", "organization_id", "batch_id", "registration_id", "person_id", "citizen_id_index", "holder_name",
        "citizen_id_masked", "occupation_code", "occupation_name", "work_type", "level", "issue_date", "valid_until",
        "credential", "jwt", "key_id", "revocation_index", "suspension_index", "status", "created_at",
    ]

    /// Inserts `rows` in multi-row statements (inside the caller's transaction).
    func insert(_ rows: [Row]) async throws {
        try await BulkInsert.run(CertificateRecord.schema, columns: Self.columns, rows: rows.map(\.values), on: db)
    }

    /// The status-list indexes a body has given out, read as two integer columns (not whole certificates).
    func usedIndexes(_ organization: UUID) async throws -> (revocation: Set<Int>, suspension: Set<Int>) {
        guard let sql = db as? any SQLDatabase else { return ([], []) }
        let rows = try await sql.select().column("revocation_index").column("suspension_index").from(CertificateRecord.schema)
            .where("organization_id", .equal, organization).all()
        var r = Set<Int>()
        var s = Set<Int>()
        for row in rows {
            r.insert(try row.decode(column: "revocation_index", as: Int.self))
            s.insert(try row.decode(column: "suspension_index", as: Int.self))
        }
        return (r, s)
    }

    /// The indexes whose bit a body's status list of `purpose` sets: its revoked (or suspended) certificates'.
    func flaggedIndexes(_ organization: UUID, _ purpose: StatusPurpose) async throws -> [Int] {
        let rows = try await CertificateRecord.query(on: db).filter(\.$organizationID == organization)
            .filter(\.$status == purpose.status.rawValue).all()
        return rows.map { purpose == .revocation ? $0.revocationIndex : $0.suspensionIndex }
    }

    /// A certificate by its number, however it was typed (numbers are stored in upper case).
    func find(number: String) async throws -> CertificateRecord? {
        try await CertificateRecord.query(on: db).filter(\.$number == number.uppercased()).first()
    }

    /// Certificates the actor may see: the holder their own, the region's bureau its region's, a body its own.
    func visible(to actor: Actor) async throws -> QueryBuilder<CertificateRecord> {
        let q = CertificateRecord.query(on: db)
        if actor.role == .learner {
            let index = try await actor.personID.asyncMap { try await PersonRecord.find($0, on: db) }??.citizenIDIndex ?? "-"
            q.filter(\.$citizenIDIndex == index)
        } else if actor.role == .governmentOfficer {
            let orgs = try await OrganizationRecord.query(on: db).filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: actor.organizationRegion))
                .all()
            q.filter(\.$organizationID ~~ orgs.compactMap(\.id))
        } else if Policy.grant(actor.role, .viewCertificate) != .all {
            q.filter(\.$organizationID == actor.organizationID)
        }
        return q
    }

    /// Moves a certificate from the status `expected` to `next` (with the category and sealed reason of a revocation or
    /// suspension; cleared on reinstatement); nil when its status changed meanwhile.
    func changeStatus(_ id: UUID, from expected: String, to next: CertificateStatus, category: String?, reasonSealed: String?) async throws
        -> CertificateRecord?
    {
        guard let row = try await CertificateRecord.find(id, on: db), row.status == expected else { return nil }
        row.status = next.rawValue
        row.statusCategory = next == .valid ? nil : category
        row.statusReasonSealed = next == .valid ? nil : reasonSealed
        try await row.update(on: db)
        return row
    }

    /// A batch's certificates in number order.
    func ofBatch(_ batchID: UUID) async throws -> [CertificateRecord] {
        try await CertificateRecord.query(on: db).filter(\.$batchID == batchID).sort(\.$number).all()
    }

    /// Every certificate a person holds on the platform (by their blind index), oldest first.
    func held(by citizenIDIndex: String) async throws -> [CertificateRecord] {
        try await CertificateRecord.query(on: db).filter(\.$citizenIDIndex == citizenIDIndex).sort(\.$issueDate).all()
    }

    /// Which of these people hold any certificate.
    func holders(among citizenIDIndexes: [String]) async throws -> Set<String> {
        Set(
            try await CertificateRecord.query(on: db).filter(\.$citizenIDIndex ~~ citizenIDIndexes).field(\.$citizenIDIndex).all().map(
                \.citizenIDIndex))
    }

    /// The stored-as-valid certificates of these people (optionally in these occupations), read as the facts pay, honours
    /// and contests go by; `standing` on a day tells which of them are still valid.
    func validFacts(of citizenIDIndexes: Set<String>, occupations: Set<String>? = nil) async throws -> [CertificateRecord] {
        guard !citizenIDIndexes.isEmpty else { return [] }
        let q = CertificateRecord.query(on: db).filter(\.$citizenIDIndex ~~ citizenIDIndexes).filter(\.$status == CertificateStatus.valid.rawValue)
        if let occupations { q.filter(\.$occupationCode ~~ occupations) }
        return try await q.field(\.$citizenIDIndex).field(\.$occupationCode).field(\.$level).field(\.$status).field(\.$validUntil).all()
    }

    /// Which of these numbers the platform already has (numbers are unique across bodies).
    func existing(numbers: [String]) async throws -> Set<String> {
        var found = Set<String>()
        for start in stride(from: 0, to: numbers.count, by: 1_000) {
            let chunk = Array(numbers[start..<min(start + 1_000, numbers.count)])
            found.formUnion(try await CertificateRecord.query(on: db).filter(\.$number ~~ chunk).field(\.$number).all().map(\.number))
        }
        return found
    }

    /// `index|occupation|level` of every certificate a body already holds for someone.
    func heldLevels(issuedBy organization: UUID) async throws -> Set<String> {
        let rows = try await CertificateRecord.query(on: db).filter(\.$organizationID == organization)
            .field(\.$citizenIDIndex).field(\.$occupationCode).field(\.$level).all()
        return Set(rows.map { "\($0.citizenIDIndex)|\($0.occupationCode)|\($0.level)" })
    }

    /// Valid on `today` — Core's `CertificateStatus.standing` in SQL: stored as valid and not past its `valid_until`.
    static func validOn(_ today: Day, alias: String = "c") -> SQLQueryString {
        """
        \(unsafeRaw: alias).status = \(bind: CertificateStatus.valid.rawValue) \
        AND (\(unsafeRaw: alias).valid_until IS NULL OR \(unsafeRaw: alias).valid_until >= \(bind: today.description))
        """
    }
}
