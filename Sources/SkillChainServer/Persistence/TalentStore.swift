import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The talent pool's SQL (people who consented to be found, `talent_consents`): its size, the training facts of the
/// consenting in an occupation group, the certified people of one certificate cell in one region tier (read in index
/// order, so each query stops at its limit), those who declared a skill, and the full facts of a chosen few.
struct TalentStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    private var sql: any SQLDatabase { db as! any SQLDatabase }

    /// One enrollment of a consenting person in a programme of the occupation group.
    struct Training {
        let enrollment: UUID
        let status: String
        let who: String
        let program: UUID
        let lead: UUID
        let occupationCode: String
        let endDate: String
    }

    /// The facts of one pool member.
    struct Member {
        let personID: UUID
        let index: String
        let name: String
        let masked: String
        let region: String
        let declared: (String, SkillLevel)?
    }

    /// Consents not withdrawn.
    func poolSize() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM talent_consents WHERE withdrawn_at IS NULL").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Enrolled or completed enrollments of consenting people in programmes whose occupation starts with `group`
    /// (a `LIKE` pattern such as `6-18-%`).
    func training(inGroup group: String) async throws -> [Training] {
        try await sql.raw(
            """
            SELECT e.id AS eid, e.status AS status, p.citizen_id_index AS who, g.id AS program, g.lead_organization_id AS lead,
                   g.occupation_code AS code, g.end_date AS end_date
            FROM enrollments e JOIN people p ON e.person_id = p.id
            JOIN talent_consents t ON t.citizen_id_index = p.citizen_id_index AND t.withdrawn_at IS NULL
            JOIN programs g ON e.program_id = g.id
            WHERE g.occupation_code LIKE \(bind: group) AND e.status IN \(SQLBind.group([EnrollmentStatus.enrolled, .completed].map(\.rawValue)))
            """
        ).all().map { row in
            Training(
                enrollment: try row.decode(column: "eid", as: UUID.self), status: try row.decode(column: "status", as: String.self),
                who: try row.decode(column: "who", as: String.self), program: try row.decode(column: "program", as: UUID.self),
                lead: try row.decode(column: "lead", as: UUID.self), occupationCode: try row.decode(column: "code", as: String.self),
                endDate: try row.decode(column: "end_date", as: String.self))
        }
    }

    /// Consenting holders of a certificate valid `today` in one cell, registered in one region tier around `region`:
    /// (citizen-ID index, region), at most `limit`, in index order.
    func certified(in cell: MatchCell, tier: RegionTier, around region: String, today: Day, limit: Int) async throws -> [(String, String)] {
        let city = String(region.prefix(4))
        let province = String(region.prefix(2))
        let within: SQLQueryString =
            switch tier {
            case .same: "o.region_code = \(bind: region)"
            case .city: "substr(o.region_code, 1, 4) = \(bind: city) AND o.region_code <> \(bind: region)"
            case .province: "substr(o.region_code, 1, 2) = \(bind: province) AND substr(o.region_code, 1, 4) <> \(bind: city)"
            case .other: "substr(o.region_code, 1, 2) <> \(bind: province)"
            }
        return try await sql.raw(
            """
            SELECT c.citizen_id_index AS who, o.region_code AS region FROM certificates c
            JOIN talent_consents t ON t.citizen_id_index = c.citizen_id_index AND t.withdrawn_at IS NULL
            JOIN people p ON t.person_id = p.id JOIN organizations o ON p.organization_id = o.id
            WHERE c.occupation_code = \(bind: cell.occupationCode) AND c.level = \(bind: cell.level.rawValue)
            AND \(CertificateStore.validOn(today)) AND \(within)
            ORDER BY c.citizen_id_index LIMIT \(unsafeRaw: String(max(0, limit)))
            """
        ).all().map { (try $0.decode(column: "who", as: String.self), try $0.decode(column: "region", as: String.self)) }
    }

    /// Consenting people who declared a skill in the group (they rank below every verified candidate).
    func declared(inGroup group: String) async throws -> [String] {
        try await sql.raw(
            "SELECT citizen_id_index AS who FROM talent_consents WHERE withdrawn_at IS NULL AND declared_occupation_code LIKE \(bind: group)"
        ).all().map { try $0.decode(column: "who", as: String.self) }
    }

    /// The members among `indexes` (500 at most): where they are registered and what they declared.
    func members(_ indexes: ArraySlice<String>) async throws -> [Member] {
        try await sql.raw(
            """
            SELECT t.person_id AS person_id, t.citizen_id_index AS who, t.declared_occupation_code AS declared_code, t.declared_level AS declared_level,
                   p.name AS name, p.citizen_id_masked AS masked, o.region_code AS region
            FROM talent_consents t JOIN people p ON t.person_id = p.id JOIN organizations o ON p.organization_id = o.id
            WHERE t.withdrawn_at IS NULL AND t.citizen_id_index IN \(SQLBind.group(Array(indexes)))
            """
        ).all().map { row in
            let code = try row.decodeNil(column: "declared_code") ? nil : try row.decode(column: "declared_code", as: String.self)
            let level = try row.decodeNil(column: "declared_level") ? nil : try row.decode(column: "declared_level", as: String.self)
            return Member(
                personID: try row.decode(column: "person_id", as: UUID.self), index: try row.decode(column: "who", as: String.self),
                name: try row.decode(column: "name", as: String.self), masked: try row.decode(column: "masked", as: String.self),
                region: try row.decode(column: "region", as: String.self),
                declared: code.flatMap { c in level.flatMap(SkillLevel.init(rawValue:)).map { (c, $0) } })
        }
    }

    /// The certificates of `indexes` (500 at most) in the group, with their status as of `today`, by index.
    func certificateFacts(_ indexes: ArraySlice<String>, inGroup group: String, today: Day) async throws -> [String: [CertificateFact]] {
        var out: [String: [CertificateFact]] = [:]
        for row in try await sql.raw(
            """
            SELECT citizen_id_index AS who, occupation_code AS code, level, status, valid_until FROM certificates
            WHERE citizen_id_index IN \(SQLBind.group(Array(indexes))) AND occupation_code LIKE \(bind: group)
            """
        ).all() {
            guard let level = SkillLevel(rawValue: try row.decode(column: "level", as: String.self)) else { continue }
            let until = try row.decodeNil(column: "valid_until") ? nil : Day(try row.decode(column: "valid_until", as: String.self))
            let status =
                CertificateFact.Status.today(stored: try row.decode(column: "status", as: String.self), validUntil: until, on: today) ?? .revoked
            out[try row.decode(column: "who", as: String.self), default: []]
                .append(CertificateFact(occupationCode: try row.decode(column: "code", as: String.self), level: level, status: status))
        }
        return out
    }

    /// The newest scored mentor assessment of each enrollment's owner (enrollment → citizen-ID index).
    func latestAssessments(_ owners: [UUID: String]) async throws -> [String: (day: String, score: Double)] {
        guard !owners.isEmpty else { return [:] }
        var out: [String: (day: String, score: Double)] = [:]
        for e in try await ProgressEntryRecord.query(on: db).filter(\.$enrollmentID ~~ Array(owners.keys)).filter(\.$score != nil).all() {
            guard let index = owners[e.enrollmentID], let s = e.score else { continue }
            if let current = out[index], current.day >= e.day { continue }
            out[index] = (e.day, Double(s))
        }
        return out
    }

    /// The invitations sent for a position.
    func invitations(toPosition position: UUID) async throws -> [InvitationRecord] {
        try await InvitationRecord.query(on: db).filter(\.$positionID == position).all()
    }

    /// The person's consent to be found in the talent pool (withdrawn or not), if ever given.
    func consent(of person: UUID) async throws -> TalentConsentRecord? {
        try await TalentConsentRecord.query(on: db).filter(\.$personID == person).first()
    }
}
