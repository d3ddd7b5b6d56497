import Fluent
import Foundation
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
struct TalentService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// Enrollments ending within this many days count as "near completion".
    static let nearCompletionDays = 90

    // MARK: Consent

    func consent(_ input: ConsentInput, actor: Actor) async throws -> TalentConsentRecord? {
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
        return try await record(person, consent: give, declared: code.flatMap { c in level.map { (c, $0) } }, actor: actor)
    }

    /// Stores consent (or its withdrawal) for a person, audited.
    func record(_ person: PersonRecord, consent give: Bool, declared: (String, SkillLevel)?, actor: Actor?) async throws
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

    typealias PoolMember = TalentStore.Member

    /// The pool ranked for a position (Core's `Matching`). A large pool is narrowed in SQL first: certificate cells
    /// (occupation × level, best first) are read in order, best region first, until no further cell can reach the top
    /// `limit` (Core's `MatchShortlist`); everyone with training facts is always added; then the full facts of those
    /// few people are read and Core ranks them. `only` scores one person (for an invitation).
    static func matches(_ positionID: UUID, actor: Actor, on db: any Database, today: Day, limit: Int = 50, only: UUID? = nil)
        async throws -> (position: PositionRecord, pool: Int, ranked: [Match], members: [String: PoolMember])
    {
        guard let position = try await PositionRecord.find(positionID, on: db) else { throw DomainError.notFound }
        try actor.require(.matchCandidates, actor.scope(owner: position.organizationID))
        guard let required = SkillLevel(rawValue: position.requiredLevel) else { throw DomainError.notFound }
        let store = TalentStore(db)
        let requirement = MatchRequirement(occupationCode: position.occupationCode, requiredLevel: required, regionCode: position.regionCode)
        let medium = position.occupationCode.split(separator: "-").prefix(2).joined(separator: "-")
        let group = medium + "-%"
        let pool = try await store.poolSize()

        // Training facts: consenting people enrolled in programs of the group, or that targeted this position.
        let targeted = Set(try await ProgramPositionRecord.query(on: db).filter(\.$positionID == positionID).all().map(\.programID))
        var forPosition = Set<String>()
        var forEnterprise = Set<String>()
        var near = Set<String>()
        var enrollmentOwner: [UUID: String] = [:]
        for t in try await store.training(inGroup: group) {
            enrollmentOwner[t.enrollment] = t.who
            if targeted.contains(t.program) { forPosition.insert(t.who) }
            if t.lead == position.organizationID { forEnterprise.insert(t.who) }
            if t.status == EnrollmentStatus.enrolled.rawValue, t.occupationCode == position.occupationCode, let end = Day(t.endDate),
                end <= today.plusDays(nearCompletionDays)
            {
                near.insert(t.who)
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
            // Read in index order (occupation, level, status, citizen-ID index), so each query stops at its limit.
            for cell in Matching.cells(occupations: codes, for: requirement) where shortlist.wants(cell) {
                for tier in Matching.regionTiers() where shortlist.wants(cell, tier) {
                    let found = try await store.certified(
                        in: cell, tier: tier, around: position.regionCode, today: today, limit: shortlist.fetchLimit)
                    for (who, region) in found { shortlist.add(who, region: region, in: cell) }
                }
            }
            keys.formUnion(shortlist.ids)
            // Self-declared skills rank below every verified candidate: needed only when those are too few.
            if shortlist.isShort { keys.formUnion(try await store.declared(inGroup: group)) }
        }

        // Their full facts: where they are registered, their certificates in the group, their latest mentor assessment.
        var members: [String: PoolMember] = [:]
        var certificates: [String: [CertificateFact]] = [:]
        let all = Array(keys).sorted()
        for start in stride(from: 0, to: all.count, by: 500) {
            let chunk = all[start..<min(start + 500, all.count)]
            for m in try await store.members(chunk) { members[m.index] = m }
            certificates.merge(try await store.certificateFacts(chunk, inGroup: group, today: today)) { $0 + $1 }
        }
        let assessment = try await store.latestAssessments(enrollmentOwner.filter { members[$0.value] != nil })
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
