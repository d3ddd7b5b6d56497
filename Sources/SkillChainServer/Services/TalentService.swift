import Fluent
import Foundation
import SkillChainCore
import SQLKit
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

struct MatchFactorResponse: Content { let factor: String; let label: String; let points: Double }
struct MatchItemResponse: Content {
    let candidate: UUID; let name: String; let citizenIdMasked: String; let regionCode: String; let score: Double; let verified: Bool
    let factors: [MatchFactorResponse]; let invitation: String?
}
struct MatchesResponse: Content { let position: PositionResponse; let poolSize: Int; let items: [MatchItemResponse] }

struct InvitationResponse: Content {
    let id: UUID; let positionId: UUID; let positionTitle: String; let organizationId: UUID; let organizationName: String
    let candidate: UUID; let name: String; let citizenIdMasked: String; let score: Double; let message: String; let status: String
}
struct PlacementResponse: Content {
    let id: UUID; let positionId: UUID; let positionTitle: String; let organizationId: UUID; let organizationName: String
    let person: UUID; let name: String; let citizenIdMasked: String; let occupationCode: String; let regionCode: String
    let startDate: String; let monthlyWage: Int
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
        guard let give = input.consent else { v.add("consent", "field.required"); try v.check(); return nil }
        var code: String?, level: SkillLevel?
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
    static func record(_ person: PersonRecord, consent give: Bool, declared: (String, SkillLevel)?, actor: Actor?, app: Application) async throws -> TalentConsentRecord? {
        let personID = person.id!
        return try await app.write { db in
            let existing = try await TalentConsentRecord.query(on: db).filter(\.$personID == personID).first()
            let r = existing ?? TalentConsentRecord()
            r.personID = personID; r.citizenIDIndex = person.citizenIDIndex
            if give {
                r.consentedAt = app.now; r.withdrawnAt = nil; r.declaredOccupationCode = declared?.0; r.declaredLevel = declared?.1.rawValue
            } else {
                guard existing != nil else { return nil }
                r.withdrawnAt = app.now
            }
            try await r.save(on: db)
            try await AuditLog.append(.init(action: give ? "talent.consented" : "talent.withdrawn", objectType: "person",
                                            objectID: personID.uuidString.lowercased()), actor: actor, on: db)
            return r
        }
    }

    // MARK: Matching

    struct PoolMember { let personID: UUID; let index: String; let name: String; let masked: String; let region: String; let declared: (String, SkillLevel)? }

    /// The pool ranked for a position (Core's `Matching`). A large pool is narrowed in SQL first: certificate cells
    /// (occupation × level, best first) are read in order, best region first, until no further cell can reach the top
    /// `limit` (Core's `MatchShortlist`); everyone with training facts is always added; then the full facts of those
    /// few people are read and Core ranks them. `only` scores one person (for an invitation).
    static func matches(_ positionID: UUID, actor: Actor, on db: any Database, today: Day = Day(Date()), limit: Int = 50, only: UUID? = nil)
        async throws -> (position: PositionRecord, pool: Int, ranked: [Match], members: [String: PoolMember]) {
        guard let position = try await PositionRecord.find(positionID, on: db) else { throw DomainError.notFound }
        try actor.require(.matchCandidates, actor.scope(owner: position.organizationID))
        guard let sql = db as? any SQLDatabase, let required = SkillLevel(rawValue: position.requiredLevel) else { throw DomainError.notFound }
        let requirement = MatchRequirement(occupationCode: position.occupationCode, requiredLevel: required, regionCode: position.regionCode)
        let medium = position.occupationCode.split(separator: "-").prefix(2).joined(separator: "-")
        let group = medium + "-%"
        let pool = try await sql.raw("SELECT COUNT(*) AS n FROM talent_consents WHERE withdrawn_at IS NULL").first()?.decode(column: "n", as: Int.self) ?? 0

        // Training facts: consenting people enrolled in programs of the group, or that targeted this position.
        let targeted = Set(try await ProgramPositionRecord.query(on: db).filter(\.$positionID == positionID).all().map(\.programID))
        let enrolRows = try await sql.raw("""
            SELECT e.id AS eid, e.status AS status, p.citizen_id_index AS who, g.id AS program, g.lead_organization_id AS lead,
                   g.occupation_code AS code, g.end_date AS end_date
            FROM enrollments e JOIN people p ON e.person_id = p.id
            JOIN talent_consents t ON t.citizen_id_index = p.citizen_id_index AND t.withdrawn_at IS NULL
            JOIN programs g ON e.program_id = g.id
            WHERE g.occupation_code LIKE \(bind: group) AND e.status IN ('enrolled', 'completed')
            """).all()
        var forPosition = Set<String>(), forEnterprise = Set<String>(), near = Set<String>()
        var enrollmentOwner: [UUID: String] = [:]
        for row in enrolRows {
            let index = try row.decode(column: "who", as: String.self)
            let program = try row.decode(column: "program", as: UUID.self)
            let status = try row.decode(column: "status", as: String.self)
            enrollmentOwner[try row.decode(column: "eid", as: UUID.self)] = index
            if targeted.contains(program) { forPosition.insert(index) }
            if try row.decode(column: "lead", as: UUID.self) == position.organizationID { forEnterprise.insert(index) }
            if status == EnrollmentStatus.enrolled.rawValue, try row.decode(column: "code", as: String.self) == position.occupationCode,
               let end = Day(try row.decode(column: "end_date", as: String.self)), end <= today.plusDays(nearCompletionDays) {
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
            let r = position.regionCode, city = String(r.prefix(4)), province = String(r.prefix(2))
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
                    let rows = try await sql.raw("""
                        SELECT c.citizen_id_index AS who, o.region_code AS region FROM certificates c
                        JOIN talent_consents t ON t.citizen_id_index = c.citizen_id_index AND t.withdrawn_at IS NULL
                        JOIN people p ON t.person_id = p.id JOIN organizations o ON p.organization_id = o.id
                        WHERE c.occupation_code = \(bind: cell.occupationCode) AND c.level = \(bind: cell.level.rawValue)
                        AND \(CertificateSQL.validOn(today)) AND \(within(tier))
                        ORDER BY c.citizen_id_index LIMIT \(unsafeRaw: String(shortlist.fetchLimit))
                        """).all()
                    for row in rows {
                        shortlist.add(try row.decode(column: "who", as: String.self), region: try row.decode(column: "region", as: String.self), in: cell)
                    }
                }
            }
            keys.formUnion(shortlist.ids)
            // Self-declared skills rank below every verified candidate: needed only when those are too few.
            if shortlist.isShort {
                for row in try await sql.raw("""
                    SELECT citizen_id_index AS who FROM talent_consents WHERE withdrawn_at IS NULL AND declared_occupation_code LIKE \(bind: group)
                    """).all() { keys.insert(try row.decode(column: "who", as: String.self)) }
            }
        }

        // Their full facts: where they are registered, their certificates in the group, their latest mentor assessment.
        var members: [String: PoolMember] = [:]
        var certificates: [String: [CertificateFact]] = [:]
        let all = Array(keys).sorted()
        for start in stride(from: 0, to: all.count, by: 500) {
            let chunk = SQLList(all[start..<min(start + 500, all.count)].map { SQLBind($0) })
            for row in try await sql.raw("""
                SELECT t.person_id AS person_id, t.citizen_id_index AS who, t.declared_occupation_code AS declared_code, t.declared_level AS declared_level,
                       p.name AS name, p.citizen_id_masked AS masked, o.region_code AS region
                FROM talent_consents t JOIN people p ON t.person_id = p.id JOIN organizations o ON p.organization_id = o.id
                WHERE t.withdrawn_at IS NULL AND t.citizen_id_index IN (\(chunk))
                """).all() {
                let index = try row.decode(column: "who", as: String.self)
                let code = try row.decodeNil(column: "declared_code") ? nil : try row.decode(column: "declared_code", as: String.self)
                let level = try row.decodeNil(column: "declared_level") ? nil : try row.decode(column: "declared_level", as: String.self)
                members[index] = PoolMember(personID: try row.decode(column: "person_id", as: UUID.self), index: index, name: try row.decode(column: "name", as: String.self),
                                            masked: try row.decode(column: "masked", as: String.self), region: try row.decode(column: "region", as: String.self),
                                            declared: code.flatMap { c in level.flatMap(SkillLevel.init(rawValue:)).map { (c, $0) } })
            }
            for row in try await sql.raw("""
                SELECT citizen_id_index AS who, occupation_code AS code, level, status, valid_until FROM certificates
                WHERE citizen_id_index IN (\(chunk)) AND occupation_code LIKE \(bind: group)
                """).all() {
                guard let level = SkillLevel(rawValue: try row.decode(column: "level", as: String.self)) else { continue }
                let until = try row.decodeNil(column: "valid_until") ? nil : Day(try row.decode(column: "valid_until", as: String.self))
                let status = CertificateFact.Status.today(stored: try row.decode(column: "status", as: String.self), validUntil: until, on: today) ?? .revoked
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
            MatchCandidate(id: m.index, regionCode: m.region, certificates: certificates[m.index] ?? [],
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

    static func invite(_ positionID: UUID, _ input: InvitationInput, actor: Actor, app: Application) async throws -> InvitationRecord {
        let found = try await matches(positionID, actor: actor, on: app.db, only: input.candidate ?? UUID())
        try actor.require(.inviteCandidate, actor.scope(owner: found.position.organizationID))
        var v = Validator()
        if input.candidate == nil { v.add("candidate", "field.required") }
        let message = v.optional("message", input.message, max: 500) ?? ""
        try v.check()
        guard found.position.status == "open" else { throw DomainError.rule(code: "invitation.positionClosed") }
        guard let member = found.members.values.first(where: { $0.personID == input.candidate }),
              let match = found.ranked.first(where: { $0.candidateID == member.index }) else {
            throw ValidationFailure([FieldError("candidate", "invitation.notInPool")])
        }
        return try await app.write { db in
            if try await InvitationRecord.query(on: db).filter(\.$positionID == positionID).filter(\.$citizenIDIndex == member.index).first() != nil {
                throw DomainError.conflict(code: "invitation.exists")
            }
            let r = InvitationRecord()
            r.positionID = positionID; r.organizationID = found.position.organizationID; r.personID = member.personID; r.citizenIDIndex = member.index
            r.score = match.score; r.reasons = reasons(match); r.message = message; r.status = "invited"
            try await r.create(on: db)
            try await AuditLog.append(.init(action: "invitation.created", objectType: "invitation", objectID: r.id!.uuidString.lowercased(),
                                            detail: ["position": positionID.uuidString.lowercased(), "score": String(match.score)]), actor: actor, on: db)
            return r
        }
    }

    /// The learner's own citizen-ID index (invitations follow the person, whichever record they were found by).
    static func ownIndex(_ actor: Actor, on db: any Database) async throws -> String? {
        guard actor.role == .learner, let id = actor.personID else { return nil }
        return try await PersonRecord.find(id, on: db)?.citizenIDIndex
    }

    static func invitations(actor: Actor, on db: any Database) async throws -> [InvitationRecord] {
        let q = InvitationRecord.query(on: db).sort(\.$createdAt, .descending)
        if actor.role == .learner {
            guard let index = try await ownIndex(actor, on: db) else { return [] }
            q.filter(\.$citizenIDIndex == index)
        } else if actor.role != .platformAdmin {
            guard actor.can(.inviteCandidate, .own) else { return [] }
            q.filter(\.$organizationID == actor.organizationID)
        }
        return try await q.limit(500).all()
    }

    static func answer(_ id: UUID, _ input: InvitationAnswerInput, actor: Actor, app: Application) async throws -> InvitationRecord {
        guard let r = try await InvitationRecord.find(id, on: app.db), let index = try await ownIndex(actor, on: app.db), r.citizenIDIndex == index else {
            throw DomainError.notFound
        }
        var v = Validator()
        let answer = (input.answer ?? "").trimmingCharacters(in: .whitespaces)
        if !["accept", "decline"].contains(answer) { v.add("answer", answer.isEmpty ? "field.required" : "field.invalidChoice") }
        try v.check()
        guard r.status == "invited" else { throw DomainError.rule(code: "invitation.notOpen") }
        return try await app.write { db in
            guard let row = try await InvitationRecord.find(id, on: db), row.status == "invited" else { throw DomainError.conflict(code: "program.changedMeanwhile") }
            row.status = answer == "accept" ? "accepted" : "declined"; row.answeredAt = app.now
            try await row.update(on: db)
            try await AuditLog.append(.init(action: "invitation.\(row.status)", objectType: "invitation", objectID: id.uuidString.lowercased()), actor: actor, on: db)
            return row
        }
    }

    // MARK: Placements

    static func place(_ input: PlacementInput, actor: Actor, app: Application, today: Day? = nil) async throws -> PlacementRecord {
        let today = today ?? app.today
        var v = Validator()
        if input.invitation == nil { v.add("invitation", "field.required") }
        let start = v.day("startDate", input.startDate)
        if let w = input.monthlyWage { if !(1_000...1_000_000).contains(w) { v.add("monthlyWage", "field.outOfRange", ["1000", "1000000"]) } }
        else { v.add("monthlyWage", "field.required") }
        try v.check()
        guard let inv = try await InvitationRecord.find(input.invitation!, on: app.db) else { throw DomainError.notFound }
        try actor.require(.recordPlacement, actor.scope(owner: inv.organizationID))
        guard inv.status == "accepted" else { throw DomainError.rule(code: "placement.notAccepted") }
        guard let position = try await PositionRecord.find(inv.positionID, on: app.db), let start else { throw DomainError.notFound }
        if start < today.plusDays(-365) { throw ValidationFailure([FieldError("startDate", "placement.startTooEarly")]) }
        return try await app.write { db in
            guard let row = try await InvitationRecord.find(inv.id!, on: db), row.status == "accepted" else { throw DomainError.conflict(code: "program.changedMeanwhile") }
            // The headcount is read again under the position's lock: it may have been corrected meanwhile, and two
            // placements at once must not overfill it.
            try await RowLock.lock(PositionRecord.schema, [position.id!], on: db)
            let headcount = try await PositionRecord.find(position.id!, on: db)?.headcount ?? position.headcount
            let placed = try await PlacementRecord.query(on: db).filter(\.$positionID == position.id!).count()
            guard placed < headcount else { throw DomainError.rule(code: "placement.positionFull") }
            let p = PlacementRecord()
            p.positionID = position.id!; p.organizationID = position.organizationID; p.personID = row.personID; p.citizenIDIndex = row.citizenIDIndex
            p.invitationID = row.id; p.regionCode = position.regionCode; p.occupationCode = position.occupationCode
            p.startDate = start.description; p.monthlyWage = input.monthlyWage!
            try await p.create(on: db)
            row.status = "placed"
            try await row.update(on: db)
            try await AuditLog.append(.init(action: "placement.recorded", objectType: "placement", objectID: p.id!.uuidString.lowercased(),
                                            detail: ["position": position.id!.uuidString.lowercased(), "invitation": row.id!.uuidString.lowercased()]),
                                      actor: actor, on: db)
            return p
        }
    }

    /// Placements the actor may see: the enterprise its own; the bureau its region's; a school those of people
    /// enrolled in programs it partners in (where its graduates went); a learner their own.
    static func placements(actor: Actor, on db: any Database) async throws -> [PlacementRecord] {
        let q = PlacementRecord.query(on: db).sort(\.$createdAt, .descending)
        switch actor.role {
        case .platformAdmin: break
        case .governmentOfficer: q.filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: actor.organizationRegion))
        case .enterpriseAdmin: q.filter(\.$organizationID == actor.organizationID)
        case .schoolAdmin:
            let programs = try await ProgramPartnerRecord.query(on: db).filter(\.$organizationID == actor.organizationID).all().map(\.programID)
            let people = try await EnrollmentRecord.query(on: db).filter(\.$programID ~~ programs).all().map(\.personID)
            let indexes = try await PersonRecord.query(on: db).filter(\.$id ~~ people).all().map(\.citizenIDIndex)
            q.filter(\.$citizenIDIndex ~~ Set(indexes))
        case .learner:
            guard let index = try await ownIndex(actor, on: db) else { return [] }
            q.filter(\.$citizenIDIndex == index)
        default: return []
        }
        return try await q.limit(500).all()
    }
}
