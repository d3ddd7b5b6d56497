import Fluent
import Foundation
import SQLKit
import SkillChainCore
import Vapor

struct ConsentInput: Content, Sendable {
    var consent: Bool?
    /// Self-declared skill (never verified; ranks below every verified candidate).
    var declaredOccupationCode: String?
    var declaredLevel: String?
}

struct InvitationInput: Content, Sendable {
    /// The candidate's person id, as the match list gives it.
    var candidate: UUID?
    var message: String?
}

struct InvitationAnswerInput: Content, Sendable { var answer: String? }

struct PlacementInput: Content, Sendable {
    var invitation: UUID?
    var startDate: String?
    var monthlyWage: Int?
}

struct MatchFactorResponse: Content {
    let factor: String
    let label: String
    let points: Double
}
struct MatchItemResponse: Content {
    let candidate: UUID
    let name: String
    let citizenIdMasked: String
    let regionCode: String
    let score: Double
    let verified: Bool
    let factors: [MatchFactorResponse]
    let invitation: String?
}
struct MatchesResponse: Content {
    let position: PositionResponse
    let poolSize: Int
    let items: [MatchItemResponse]
}

struct InvitationResponse: Content {
    let id: UUID
    let positionId: UUID
    let positionTitle: String
    let organizationId: UUID
    let organizationName: String
    let candidate: UUID
    let name: String
    let citizenIdMasked: String
    let score: Double
    let message: String
    let status: String
}
struct PlacementResponse: Content {
    let id: UUID
    let positionId: UUID
    let positionTitle: String
    let organizationId: UUID
    let organizationName: String
    let person: UUID
    let name: String
    let citizenIdMasked: String
    let occupationCode: String
    let regionCode: String
    let startDate: String
    let monthlyWage: Int
}

/// The talent pool, matching, invitations and placements (issue 6): certified people (and learners close to
/// completing) who consent are ranked for a position by verified facts; the enterprise invites, the person answers,
/// the enterprise records the placement.
enum TalentService {
    /// Enrollments ending within this many days count as "near completion".
    static let nearCompletionDays = 90

    // MARK: Consent

    static func consent(_ input: ConsentInput, actor: Actor, app: Application) async throws -> TalentConsentRecord? {
        guard actor.role == .learner else { throw DomainError.forbidden }
        var v = Validator()
        guard let give = input.consent else {
            v.add("consent", "field.required")
            try v.check()
            return nil
        }
        var code: String?
        var level: SkillLevel?
        if give {
            code = v.optional("declaredOccupationCode", input.declaredOccupationCode, max: 20)
            if let c = code, OccupationCatalog.edition2022.occupation(c) == nil { v.add("declaredOccupationCode", "occupation.unknown") }
            if let raw = input.declaredLevel?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
                level = SkillLevel(rawValue: raw).flatMap { $0.certificateCode != nil ? $0 : nil }
                if level == nil { v.add("declaredLevel", "field.invalidChoice") }
            }
            if (code == nil) != (level == nil) { v.add(code == nil ? "declaredOccupationCode" : "declaredLevel", "talent.declared.both") }
        }
        try v.check()
        // Only a learner who is a person on the platform can be found.
        guard let personID = actor.personID, let person = try await PersonRecord.find(personID, on: app.db) else { throw DomainError.forbidden }
        return try await record(person, consent: give, declared: code.flatMap { c in level.map { (c, $0) } }, actor: actor, app: app)
    }

    /// Stores consent (or its withdrawal) for a person, audited.
    static func record(_ person: PersonRecord, consent give: Bool, declared: (String, SkillLevel)?, actor: Actor?, app: Application) async throws
        -> TalentConsentRecord?
    {
        let personID = person.id!
        return try await app.write { db in
            let existing = try await TalentConsentRecord.query(on: db).filter(\.$personID == personID).first()
            let r = existing ?? TalentConsentRecord()
            r.personID = personID
            r.citizenIDIndex = person.citizenIDIndex
            if give {
                r.consentedAt = app.now
                r.withdrawnAt = nil
                r.declaredOccupationCode = declared?.0
                r.declaredLevel = declared?.1.rawValue
            } else {
                guard existing != nil else { return nil }
                r.withdrawnAt = app.now
            }
            try await r.save(on: db)
            try await AuditLog.append(
                .init(
                    action: give ? "talent.consented" : "talent.withdrawn", objectType: "person",
                    objectID: personID.uuidString.lowercased()), actor: actor, on: db, now: app.now)
            return r
        }
    }

    // MARK: Matching

    struct PoolMember {
        let personID: UUID
        let index: String
        let name: String
        let masked: String
        let region: String
        let declared: (String, SkillLevel)?
    }

    /// The pool ranked for a position (Core's `Matching`). A large pool is narrowed in SQL first: certificate cells
    /// (occupation × level, best first) are read in order, best region first, until no further cell can reach the top
    /// `limit` (Core's `MatchShortlist`); everyone with training facts is always added; then the full facts of those
    /// few people are read and Core ranks them. `only` scores one person (for an invitation).
    static func matches(_ positionID: UUID, actor: Actor, on db: any Database, today: Day, limit: Int = 50, only: UUID? = nil)
        async throws -> (position: PositionRecord, pool: Int, ranked: [Match], members: [String: PoolMember])
    {
        guard let position = try await PositionRecord.find(positionID, on: db) else { throw DomainError.notFound }
        try actor.require(.matchCandidates, actor.scope(owner: position.organizationID))
        guard let sql = db as? any SQLDatabase, let required = SkillLevel(rawValue: position.requiredLevel) else { throw DomainError.notFound }
        let requirement = MatchRequirement(occupationCode: position.occupationCode, requiredLevel: required, regionCode: position.regionCode)
        let medium = position.occupationCode.split(separator: "-").prefix(2).joined(separator: "-")
        let group = medium + "-%"
        let pool =
            try await sql.raw("SELECT COUNT(*) AS n FROM talent_consents WHERE withdrawn_at IS NULL").first()?.decode(column: "n", as: Int.self) ?? 0

        // Training facts: consenting people enrolled in programs of the group, or that targeted this position.
        let targeted = Set(try await ProgramPositionRecord.query(on: db).filter(\.$positionID == positionID).all().map(\.programID))
        let enrolRows = try await sql.raw(
            """
            SELECT e.id AS eid, e.status AS status, p.citizen_id_index AS who, g.id AS program, g.lead_organization_id AS lead,
                   g.occupation_code AS code, g.end_date AS end_date
            FROM enrollments e JOIN people p ON e.person_id = p.id
            JOIN talent_consents t ON t.citizen_id_index = p.citizen_id_index AND t.withdrawn_at IS NULL
            JOIN programs g ON e.program_id = g.id
            WHERE g.occupation_code LIKE \(bind: group) AND e.status IN ('enrolled', 'completed')
            """
        ).all()
        var forPosition = Set<String>()
        var forEnterprise = Set<String>()
        var near = Set<String>()
        var enrollmentOwner: [UUID: String] = [:]
        for row in enrolRows {
            let index = try row.decode(column: "who", as: String.self)
            let program = try row.decode(column: "program", as: UUID.self)
            let status = try row.decode(column: "status", as: String.self)
            enrollmentOwner[try row.decode(column: "eid", as: UUID.self)] = index
            if targeted.contains(program) { forPosition.insert(index) }
            if try row.decode(column: "lead", as: UUID.self) == position.organizationID { forEnterprise.insert(index) }
            if status == EnrollmentStatus.enrolled.rawValue, try row.decode(column: "code", as: String.self) == position.occupationCode,
                let end = Day(try row.decode(column: "end_date", as: String.self)), end <= today.plusDays(nearCompletionDays)
            {
                near.insert(index)
            }
        }

        // Whom to read in full.
        var keys = Set<String>()
        if let only {
            if let person = try await PersonRecord.find(only, on: db) { keys = [person.citizenIDIndex] }
        } else {
            keys = Set(enrollmentOwner.values)
            var shortlist = MatchShortlist(limit: limit, for: requirement)
            let codes = OccupationCatalog.edition2022.occupations.filter { $0.mediumCode == medium }.map(\.code)
            let r = position.regionCode
            let city = String(r.prefix(4))
            let province = String(r.prefix(2))
            func within(_ tier: RegionTier) -> SQLQueryString {
                switch tier {
                case .same: "o.region_code = \(bind: r)"
                case .city: "substr(o.region_code, 1, 4) = \(bind: city) AND o.region_code <> \(bind: r)"
                case .province: "substr(o.region_code, 1, 2) = \(bind: province) AND substr(o.region_code, 1, 4) <> \(bind: city)"
                case .other: "substr(o.region_code, 1, 2) <> \(bind: province)"
                }
            }
            // Read in index order (occupation, level, status, citizen-ID index), so each query stops at its limit.
            for cell in Matching.cells(occupations: codes, for: requirement) where shortlist.wants(cell) {
                for tier in Matching.regionTiers() where shortlist.wants(cell, tier) {
                    let rows = try await sql.raw(
                        """
                        SELECT c.citizen_id_index AS who, o.region_code AS region FROM certificates c
                        JOIN talent_consents t ON t.citizen_id_index = c.citizen_id_index AND t.withdrawn_at IS NULL
                        JOIN people p ON t.person_id = p.id JOIN organizations o ON p.organization_id = o.id
                        WHERE c.occupation_code = \(bind: cell.occupationCode) AND c.level = \(bind: cell.level.rawValue)
                        AND \(CertificateStore.validOn(today)) AND \(within(tier))
                        ORDER BY c.citizen_id_index LIMIT \(unsafeRaw: String(shortlist.fetchLimit))
                        """
                    ).all()
                    for row in rows {
                        shortlist.add(
                            try row.decode(column: "who", as: String.self), region: try row.decode(column: "region", as: String.self), in: cell)
                    }
                }
            }
            keys.formUnion(shortlist.ids)
            // Self-declared skills rank below every verified candidate: needed only when those are too few.
            if shortlist.isShort {
                for row in try await sql.raw(
                    """
                    SELECT citizen_id_index AS who FROM talent_consents WHERE withdrawn_at IS NULL AND declared_occupation_code LIKE \(bind: group)
                    """
                ).all() { keys.insert(try row.decode(column: "who", as: String.self)) }
            }
        }

        // Their full facts: where they are registered, their certificates in the group, their latest mentor assessment.
        var members: [String: PoolMember] = [:]
        var certificates: [String: [CertificateFact]] = [:]
        let all = Array(keys).sorted()
        for start in stride(from: 0, to: all.count, by: 500) {
            let chunk = SQLList(all[start..<min(start + 500, all.count)].map { SQLBind($0) })
            for row in try await sql.raw(
                """
                SELECT t.person_id AS person_id, t.citizen_id_index AS who, t.declared_occupation_code AS declared_code, t.declared_level AS declared_level,
                       p.name AS name, p.citizen_id_masked AS masked, o.region_code AS region
                FROM talent_consents t JOIN people p ON t.person_id = p.id JOIN organizations o ON p.organization_id = o.id
                WHERE t.withdrawn_at IS NULL AND t.citizen_id_index IN (\(chunk))
                """
            ).all() {
                let index = try row.decode(column: "who", as: String.self)
                let code = try row.decodeNil(column: "declared_code") ? nil : try row.decode(column: "declared_code", as: String.self)
                let level = try row.decodeNil(column: "declared_level") ? nil : try row.decode(column: "declared_level", as: String.self)
                members[index] = PoolMember(
                    personID: try row.decode(column: "person_id", as: UUID.self), index: index, name: try row.decode(column: "name", as: String.self),
                    masked: try row.decode(column: "masked", as: String.self), region: try row.decode(column: "region", as: String.self),
                    declared: code.flatMap { c in level.flatMap(SkillLevel.init(rawValue:)).map { (c, $0) } })
            }
            for row in try await sql.raw(
                """
                SELECT citizen_id_index AS who, occupation_code AS code, level, status, valid_until FROM certificates
                WHERE citizen_id_index IN (\(chunk)) AND occupation_code LIKE \(bind: group)
                """
            ).all() {
                guard let level = SkillLevel(rawValue: try row.decode(column: "level", as: String.self)) else { continue }
                let until = try row.decodeNil(column: "valid_until") ? nil : Day(try row.decode(column: "valid_until", as: String.self))
                let status =
                    CertificateFact.Status.today(stored: try row.decode(column: "status", as: String.self), validUntil: until, on: today) ?? .revoked
                certificates[try row.decode(column: "who", as: String.self), default: []]
                    .append(CertificateFact(occupationCode: try row.decode(column: "code", as: String.self), level: level, status: status))
            }
        }
        var assessment: [String: (day: String, score: Double)] = [:]
        let assessed = enrollmentOwner.filter { members[$0.value] != nil }
        if !assessed.isEmpty {
            let entries = try await ProgressEntryRecord.query(on: db).filter(\.$enrollmentID ~~ Array(assessed.keys)).filter(\.$score != nil).all()
            for e in entries {
                guard let index = assessed[e.enrollmentID], let s = e.score else { continue }
                if let current = assessment[index], current.day >= e.day { continue }
                assessment[index] = (e.day, Double(s))
            }
        }
        let candidates = members.values.map { m in
            MatchCandidate(
                id: m.index, regionCode: m.region, certificates: certificates[m.index] ?? [],
                declared: m.declared.map { [(occupationCode: $0.0, level: $0.1)] } ?? [],
                trainedForPosition: forPosition.contains(m.index), trainedForEnterprise: forEnterprise.contains(m.index),
                nearCompletion: near.contains(m.index), mentorAssessment: assessment[m.index]?.score)
        }
        return (position, pool, Matching.rank(candidates, for: requirement, limit: limit), members)
    }

    static func reasons(_ m: Match) -> String {
        String(decoding: (try? JSONEncoder().encode(m.contributions)) ?? Data("[]".utf8), as: UTF8.self)
    }

    // MARK: Invitations
}
