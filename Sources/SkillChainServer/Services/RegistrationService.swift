import Fluent
import Foundation
import SkillChainCore
import Vapor

struct RegistrationInput: Content, Sendable {
    var personId: UUID?
    /// The eligibility clause the candidate declares (an id of the standard's template, e.g. `A-4-2`).
    var clauseId: String?
    var yearsInOccupation: Double?
    var certificateOccupationCode: String?
    var certificateLevel: String?
    var certificateYears: Double?
    var isFinalYearStudent: Bool?
    var department: String?
}

struct EligibilityDecisionInput: Content, Sendable {
    /// `eligible` or `ineligible`.
    var decision: String?
    var reason: String?
}

struct ScoreInput: Content, Sendable {
    /// `practical` or `review` for assessors; `theory` for a paper exam's score entered by the body.
    var subject: String?
    var score: Double?
    /// A practical score sheet: a score out of 100 per area of the standard's skill weight table (replaces `score`).
    var criteria: [String: Double]?
    /// Correction after sign-off: why the score changes.
    var reason: String?
}

/// A shortfall as stored: the localization key and its arguments.
struct StoredShortfall: Codable, Sendable {
    let code: String
    let args: [String]
}

struct RegistrationService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// The registration, its batch, and whether the actor may see it (assessors: only candidates they may judge).
    static func authorized(_ id: UUID, _ action: Action, actor: Actor, on db: any Database) async throws -> (RegistrationRecord, BatchDetail) {
        guard let r = try await RegistrationRecord.find(id, on: db) else { throw DomainError.notFound }
        let d = try await BatchService.authorized(r.batchID, action, actor: actor, on: db)
        return (r, d)
    }

    /// The organizations whose people a body may evaluate: its own, and (by policy) the members of approved chains it leads.
    static func registrableOrganizations(body: UUID, rules: EvaluationRules, on db: any Database) async throws -> Set<UUID> {
        var orgs: Set<UUID> = [body]
        guard rules.chainLeaderEvaluatesMembers else { return orgs }
        let chains = try await ChainRecord.query(on: db).filter(\.$leadOrganizationID == body).filter(\.$status == ChainStatus.approved.rawValue)
            .all()
        guard !chains.isEmpty else { return orgs }
        for m in try await ChainMemberRecord.query(on: db).filter(\.$chainID ~~ Set(chains.compactMap(\.id))).all() { orgs.insert(m.organizationID) }
        return orgs
    }

    func register(_ batchID: UUID, _ input: RegistrationInput, actor: Actor, today: Day? = nil)
        async throws -> RegistrationRecord
    {
        let today = today ?? app.today
        let d = try await BatchService.authorized(batchID, .manageBatch, actor: actor, on: app.db)
        guard d.status.acceptsRegistrations else { throw DomainError.rule(code: "registration.closed") }
        let row = try await Self.prepare(d, input, rules: app.config.evaluationRules, on: app.db, today: today)
        return try await app.write { db in try await Self.insert([row], batchID: batchID, actor: actor, on: db, now: app.now)[0] }
    }

    /// Checks one registration and builds its record (not yet saved): the clause against the candidate's records, the
    /// scope of the body, a level already held, and whether it is a retake of a single failed subject.
    static func prepare(_ d: BatchDetail, _ input: RegistrationInput, rules: EvaluationRules, on db: any Database, today: Day) async throws
        -> RegistrationRecord
    {
        var v = Validator()
        if input.personId == nil { v.add("personId", "field.required") }
        let standard = d.standard
        let clauses = standard.eligibility.clauses(for: d.level)
        let clauseID = (input.clauseId ?? "").trimmingCharacters(in: .whitespaces)
        let clause = clauses.first { $0.id == clauseID }
        if clause == nil { v.add("clauseId", clauseID.isEmpty ? "field.required" : "field.invalidChoice") }
        let years = input.yearsInOccupation ?? 0
        if !(0...60).contains(years) { v.add("yearsInOccupation", "field.outOfRange", ["0", "60"]) }
        var certificates: [HeldCertificate] = []
        let certCode = (input.certificateOccupationCode ?? "").trimmingCharacters(in: .whitespaces)
        if !certCode.isEmpty || !(input.certificateLevel ?? "").isEmpty {
            let o = v.occupation("certificateOccupationCode", certCode)
            let l = v.oneOf("certificateLevel", input.certificateLevel, SkillLevel.self)
            let y = input.certificateYears ?? 0
            if !(0...60).contains(y) { v.add("certificateYears", "field.outOfRange", ["0", "60"]) }
            if let o, let l { certificates.append(HeldCertificate(occupationCode: o.code, level: l, yearsWorkedSince: y)) }
        }
        let department = v.optional("department", input.department, max: 100)
        try v.check()
        let personID = input.personId!
        guard let person = try await PersonRecord.find(personID, on: db),
            try await Self.registrableOrganizations(body: d.batch.organizationID, rules: rules, on: db).contains(person.organizationID)
        else {
            throw ValidationFailure([FieldError("personId", "registration.person.outOfScope")])
        }
        // Records beat declarations: a completed apprenticeship in this occupation is looked up, not asked.
        let enrollments = try await EnrollmentRecord.query(on: db).filter(\.$personID == personID).filter(
            \.$status == EnrollmentStatus.completed.rawValue
        ).all()
        let programs = try await ProgramRecord.query(on: db).filter(\.$id ~~ Set(enrollments.map(\.programID))).all()
        let completedApprenticeship = programs.contains {
            $0.occupationCode == d.batch.occupationCode && (ProgramKind(rawValue: $0.kind)?.isApprenticeship ?? false)
        }
        let codes = Set([d.batch.occupationCode] + standard.relatedOccupations)
        let contest = try await Self.contestFacts(
            person.citizenIDIndex, occupations: codes, declared: certificates, rule: rules.contestPromotion, on: db, today: today)
        let facts = CandidateFacts(
            certificates: certificates, yearsInOccupation: years, education: Education(rawValue: person.education),
            isFinalYearStudent: input.isFinalYearStudent ?? false, completedApprenticeship: completedApprenticeship,
            contestGrants: contest.grants, contestLimitReached: contest.limitReached)
        if certificates.contains(where: { codes.contains($0.occupationCode) && $0.level.rank >= d.level.rank }) {
            throw ValidationFailure([FieldError("certificateLevel", "registration.levelHeld")])
        }
        let result = EligibilityEngine.check(clause!, facts, occupationCodes: codes)
        let r = RegistrationRecord()
        r.batchID = d.batch.id!
        r.personID = personID
        r.citizenIDIndex = person.citizenIDIndex
        r.clauseID = clause!.id
        r.facts = String(
            decoding: try JSONEncoder().encode(RegistrationFacts(facts: facts, employerID: person.organizationID, department: department)),
            as: UTF8.self)
        r.shortfalls = String(
            decoding: try JSONEncoder().encode(result.shortfalls.map { StoredShortfall(code: $0.key, args: $0.args) }), as: UTF8.self)
        r.engineEligible = result.satisfied
        r.eligibility = EligibilityStatus.pending.rawValue
        r.needsReconciliation = false
        try await Self.applyRetake(r, d, rules: rules, on: db, today: today)
        return r
    }

    /// The contest route: what the person's published placings in the occupation let them be evaluated for (against
    /// the highest level they hold there, on the platform or declared), and whether this year's contest promotions are
    /// used up (passed through a contest clause in a batch finalized this year).
    static func contestFacts(
        _ index: String, occupations: Set<String>, declared: [HeldCertificate], rule: ContestPromotion, on db: any Database, today: Day
    )
        async throws -> (grants: [ContestGrant]?, limitReached: Bool?)
    {
        let placings = try await RegistryService.placings(citizenIndex: index, occupations: occupations, on: db)
        guard !placings.isEmpty else { return (nil, nil) }
        let onPlatform = try await PayService.verifiedLevels([index], occupations: occupations, on: db, today: today)[index]
        let held = ([onPlatform].compactMap { $0 } + declared.filter { occupations.contains($0.occupationCode) }.map(\.level)).max()
        let passed = try await RegistrationStore(db).withOutcome(.passed, of: index)
            .filter { $0.clauseID.hasPrefix("C-") }
        var used = 0
        if !passed.isEmpty {
            let batches = try await EvaluationBatchRecord.query(on: db).filter(\.$id ~~ Set(passed.map(\.batchID))).all()
            used = batches.filter { b in b.finalizedAt.map { Day($0).year == today.year } ?? false }.count
        }
        return (rule.grants(placings, held: held, year: today.year), rule.limitReached(promotionsThisYear: used))
    }

    /// A candidate who failed one subject of this occupation and level in a final batch sits only that subject again,
    /// once, within the window; the other subjects' scores are carried over.
    static func applyRetake(_ r: RegistrationRecord, _ d: BatchDetail, rules: EvaluationRules, on db: any Database, today: Day) async throws {
        let earlier = try await RegistrationStore(db).withOutcome(.failed, of: r.citizenIDIndex)
        guard !earlier.isEmpty else { return }
        let batches = try await EvaluationBatchRecord.query(on: db).filter(\.$id ~~ Set(earlier.map(\.batchID)))
            .filter(\.$occupationCode == d.batch.occupationCode).filter(\.$level == d.batch.level)
            .filter(\.$status ~~ [BatchStatus.final.rawValue, BatchStatus.archived.rawValue]).all()
        let byID = Dictionary(uniqueKeysWithValues: batches.map { ($0.id!, $0) })
        guard
            let (previous, batch) = earlier.compactMap({ e in byID[e.batchID].map { (e, $0) } })
                .max(by: { ($0.1.finalizedAt ?? .distantPast) < ($1.1.finalizedAt ?? .distantPast) }),
            let finalized = batch.finalizedAt
        else { return }
        var scores: [Subject: Double] = [:]
        for s in Subject.allCases { if let v = previous.score(s) { scores[s] = v } }
        guard
            let subject = RetakeRule.subject(
                after: .init(level: d.level, scores: scores, wasRetake: previous.retakeOf != nil, resultDay: Day(finalized)),
                on: today, rules: rules)
        else { return }
        r.retakeOf = previous.id
        r.retakeSubject = subject.rawValue
        for s in PassRule.subjects(for: d.level) where s != subject {
            switch s {
            case .theory: r.theoryScore = scores[s]
            case .practical: r.practicalScore = scores[s]
            case .review: r.reviewScore = scores[s]
            }
        }
    }

    /// Saves prepared registrations (one per person per batch), each audited.
    static func insert(_ rows: [RegistrationRecord], batchID: UUID, actor: Actor, on db: any Database, now: Date) async throws -> [RegistrationRecord]
    {
        // One registration per person per batch, checked under the batch's lock (several instances on PostgreSQL).
        try await RowLock.lock(EvaluationBatchRecord.schema, [batchID], on: db)
        let existing = Set(try await RegistrationRecord.query(on: db).filter(\.$batchID == batchID).all().map(\.citizenIDIndex))
        var seen = existing
        for r in rows {
            if seen.contains(r.citizenIDIndex) { throw ValidationFailure([FieldError("personId", "registration.duplicate")]) }
            seen.insert(r.citizenIDIndex)
            try await r.create(on: db)
            var detail = ["batch": batchID.uuidString.lowercased(), "clause": r.clauseID, "engine": r.engineEligible ? "eligible" : "ineligible"]
            if let s = r.retakeSubject { detail["retake"] = s }
            try await AuditLog.append(
                .init(action: "registration.created", objectType: "registration", objectID: r.id!.uuidString.lowercased(), detail: detail),
                actor: actor, on: db, now: now)
        }
        return rows
    }

    /// The reviewer confirms the engine's result, or overrides it with a written reason.
    func review(_ id: UUID, _ input: EligibilityDecisionInput, actor: Actor) async throws {
        let (r, d) = try await Self.authorized(id, .manageBatch, actor: actor, on: app.db)
        guard d.status == .registrationOpen else { throw DomainError.rule(code: "registration.reviewClosed") }
        var v = Validator()
        let decision = v.oneOf("decision", input.decision, EligibilityStatus.self)
        if decision == .pending { v.add("decision", "field.invalidChoice") }
        let reason = v.optional("reason", input.reason, max: 1000)
        let overrides = decision.map { ($0 == .eligible) != r.engineEligible } ?? false
        if overrides && reason == nil { v.add("reason", "registration.override.reasonRequired") }
        try v.check()
        try await app.write { db in
            guard let row = try await RegistrationRecord.find(id, on: db) else { throw DomainError.notFound }
            row.eligibility = decision!.rawValue
            row.overrideReason = overrides ? reason : nil
            try await row.update(on: db)
            try await AuditLog.append(
                .init(
                    action: overrides ? "registration.overridden" : "registration.reviewed", objectType: "registration",
                    objectID: id.uuidString.lowercased(), detail: ["eligibility": decision!.rawValue]), actor: actor, on: db, now: app.now)
            try await NotificationService(app).notify(try await NotificationService.eligibilityDrafts(row, batch: d.batch, on: db), on: db)
        }
    }

    /// Confirms the engine's result for every registration still pending (one transaction, one audit entry each).
    func reviewAll(_ batchID: UUID, actor: Actor) async throws -> Int {
        let d = try await BatchService.authorized(batchID, .manageBatch, actor: actor, on: app.db)
        guard d.status == .registrationOpen else { throw DomainError.rule(code: "registration.reviewClosed") }
        return try await app.write { db in
            let pending = try await RegistrationStore(db).ofBatch(batchID, eligibility: .pending)
            for r in pending {
                r.eligibility = (r.engineEligible ? EligibilityStatus.eligible : .ineligible).rawValue
                try await r.update(on: db)
                try await AuditLog.append(
                    .init(
                        action: "registration.reviewed", objectType: "registration", objectID: r.id!.uuidString.lowercased(),
                        detail: ["eligibility": r.eligibility]), actor: actor, on: db, now: app.now)
                try await NotificationService(app).notify(try await NotificationService.eligibilityDrafts(r, batch: d.batch, on: db), on: db)
            }
            return pending.count
        }
    }

    // MARK: Scores
}
