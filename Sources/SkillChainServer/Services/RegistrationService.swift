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
struct StoredShortfall: Codable, Sendable { let code: String; let args: [String] }

enum RegistrationService {
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
        let chains = try await ChainRecord.query(on: db).filter(\.$leadOrganizationID == body).filter(\.$status == ChainStatus.approved.rawValue).all()
        guard !chains.isEmpty else { return orgs }
        for m in try await ChainMemberRecord.query(on: db).filter(\.$chainID ~~ Set(chains.compactMap(\.id))).all() { orgs.insert(m.organizationID) }
        return orgs
    }

    static func register(_ batchID: UUID, _ input: RegistrationInput, actor: Actor, app: Application, today: Day? = nil)
        async throws -> RegistrationRecord {
        let today = today ?? app.today
        let d = try await BatchService.authorized(batchID, .manageBatch, actor: actor, on: app.db)
        guard d.status.acceptsRegistrations else { throw DomainError.rule(code: "registration.closed") }
        let row = try await prepare(d, input, rules: app.config.evaluationRules, on: app.db, today: today)
        return try await app.write { db in try await insert([row], batchID: batchID, actor: actor, on: db)[0] }
    }

    /// Checks one registration and builds its record (not yet saved): the clause against the candidate's records, the
    /// scope of the body, a level already held, and whether it is a retake of a single failed subject.
    static func prepare(_ d: BatchDetail, _ input: RegistrationInput, rules: EvaluationRules, on db: any Database, today: Day) async throws -> RegistrationRecord {
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
              try await registrableOrganizations(body: d.batch.organizationID, rules: rules, on: db).contains(person.organizationID) else {
            throw ValidationFailure([FieldError("personId", "registration.person.outOfScope")])
        }
        // Records beat declarations: a completed apprenticeship in this occupation is looked up, not asked.
        let enrollments = try await EnrollmentRecord.query(on: db).filter(\.$personID == personID).filter(\.$status == EnrollmentStatus.completed.rawValue).all()
        let programs = try await ProgramRecord.query(on: db).filter(\.$id ~~ Set(enrollments.map(\.programID))).all()
        let completedApprenticeship = programs.contains { $0.occupationCode == d.batch.occupationCode && (ProgramKind(rawValue: $0.kind)?.isApprenticeship ?? false) }
        let codes = Set([d.batch.occupationCode] + standard.relatedOccupations)
        let contest = try await contestFacts(person.citizenIDIndex, occupations: codes, declared: certificates, rule: rules.contestPromotion, on: db, today: today)
        let facts = CandidateFacts(certificates: certificates, yearsInOccupation: years, education: Education(rawValue: person.education),
                                   isFinalYearStudent: input.isFinalYearStudent ?? false, completedApprenticeship: completedApprenticeship,
                                   contestGrants: contest.grants, contestLimitReached: contest.limitReached)
        if certificates.contains(where: { codes.contains($0.occupationCode) && $0.level.rank >= d.level.rank }) {
            throw ValidationFailure([FieldError("certificateLevel", "registration.levelHeld")])
        }
        let result = EligibilityEngine.check(clause!, facts, occupationCodes: codes)
        let r = RegistrationRecord()
        r.batchID = d.batch.id!; r.personID = personID; r.citizenIDIndex = person.citizenIDIndex; r.clauseID = clause!.id
        r.facts = String(decoding: try JSONEncoder().encode(RegistrationFacts(facts: facts, employerID: person.organizationID, department: department)), as: UTF8.self)
        r.shortfalls = String(decoding: try JSONEncoder().encode(result.shortfalls.map { StoredShortfall(code: $0.key, args: $0.args) }), as: UTF8.self)
        r.engineEligible = result.satisfied; r.eligibility = EligibilityStatus.pending.rawValue; r.needsReconciliation = false
        try await applyRetake(r, d, rules: rules, on: db, today: today)
        return r
    }

    /// The contest route: what the person's published placings in the occupation let them be evaluated for (against
    /// the highest level they hold there, on the platform or declared), and whether this year's contest promotions are
    /// used up (passed through a contest clause in a batch finalized this year).
    static func contestFacts(_ index: String, occupations: Set<String>, declared: [HeldCertificate], rule: ContestPromotion, on db: any Database, today: Day)
        async throws -> (grants: [ContestGrant]?, limitReached: Bool?) {
        let placings = try await RegistryService.placings(citizenIndex: index, occupations: occupations, on: db)
        guard !placings.isEmpty else { return (nil, nil) }
        let onPlatform = try await PayService.verifiedLevels([index], occupations: occupations, on: db, today: today)[index]
        let held = ([onPlatform].compactMap { $0 } + declared.filter { occupations.contains($0.occupationCode) }.map(\.level)).max()
        let passed = try await RegistrationRecord.query(on: db).filter(\.$citizenIDIndex == index).filter(\.$outcome == "passed").all()
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
        let earlier = try await RegistrationRecord.query(on: db).filter(\.$citizenIDIndex == r.citizenIDIndex).filter(\.$outcome == "failed").all()
        guard !earlier.isEmpty else { return }
        let batches = try await EvaluationBatchRecord.query(on: db).filter(\.$id ~~ Set(earlier.map(\.batchID)))
            .filter(\.$occupationCode == d.batch.occupationCode).filter(\.$level == d.batch.level)
            .filter(\.$status ~~ [BatchStatus.final.rawValue, BatchStatus.archived.rawValue]).all()
        let byID = Dictionary(uniqueKeysWithValues: batches.map { ($0.id!, $0) })
        guard let (previous, batch) = earlier.compactMap({ e in byID[e.batchID].map { (e, $0) } })
                .max(by: { ($0.1.finalizedAt ?? .distantPast) < ($1.1.finalizedAt ?? .distantPast) }),
              let finalized = batch.finalizedAt else { return }
        var scores: [Subject: Double] = [:]
        for s in Subject.allCases { if let v = previous.score(s) { scores[s] = v } }
        guard let subject = RetakeRule.subject(after: .init(level: d.level, scores: scores, wasRetake: previous.retakeOf != nil, resultDay: Day(finalized)),
                                               on: today, rules: rules) else { return }
        r.retakeOf = previous.id; r.retakeSubject = subject.rawValue
        for s in PassRule.subjects(for: d.level) where s != subject {
            switch s {
            case .theory: r.theoryScore = scores[s]
            case .practical: r.practicalScore = scores[s]
            case .review: r.reviewScore = scores[s]
            }
        }
    }

    /// Saves prepared registrations (one per person per batch), each audited.
    static func insert(_ rows: [RegistrationRecord], batchID: UUID, actor: Actor, on db: any Database) async throws -> [RegistrationRecord] {
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
            try await AuditLog.append(.init(action: "registration.created", objectType: "registration", objectID: r.id!.uuidString.lowercased(), detail: detail),
                                      actor: actor, on: db)
        }
        return rows
    }

    /// Registers a roster (CSV: citizen ID, clause, years, previous certificate occupation, level and years, department):
    /// every row checked like a single registration, all rows or none.
    static func importCSV(_ batchID: UUID, _ text: String, actor: Actor, app: Application, today: Day? = nil) async throws -> Int {
        let today = today ?? app.today
        let d = try await BatchService.authorized(batchID, .manageBatch, actor: actor, on: app.db)
        guard d.status.acceptsRegistrations else { throw DomainError.rule(code: "registration.closed") }
        let rules = app.config.evaluationRules
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parse(text) } catch { throw ValidationFailure([FieldError("file", "import.unterminatedQuote")]) }
        let orgs = try await registrableOrganizations(body: d.batch.organizationID, rules: rules, on: app.db)
        let words = ImportVocabulary(localizer: app.localizer)
        var rows: [RegistrationRecord] = []
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for rec in records {
            let f = rec.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if rec.line == records.first?.line && ImportFormat.registrations.isHeader(f, words) { continue }
            if f.allSatisfy(\.isEmpty) { continue }
            func field(_ i: Int) -> String? { i < f.count && !f[i].isEmpty ? f[i] : nil }
            func row(_ code: String, _ args: [String] = []) { errors.append(FieldError("file", "question.import.row", [String(rec.line), "@" + code] + args)) }
            guard let id = try? CitizenID(f.first ?? "", today: today) else { row("citizenId.invalid"); continue }
            let index = app.personalData.blindIndex(id.value)
            if !seen.insert(index).inserted { row("registration.duplicate"); continue }
            guard let person = try await PersonRecord.query(on: app.db).filter(\.$citizenIDIndex == index).filter(\.$organizationID ~~ orgs).first() else {
                row("registration.person.notFound"); continue
            }
            let input = RegistrationInput(personId: person.id, clauseId: field(1), yearsInOccupation: field(2).flatMap(Double.init),
                                          certificateOccupationCode: field(3),
                                          certificateLevel: field(4).map { words.level.value($0)?.rawValue ?? levelCode($0) },
                                          certificateYears: field(5).flatMap(Double.init), isFinalYearStudent: false, department: field(6))
            do { rows.append(try await prepare(d, input, rules: rules, on: app.db, today: today)) } catch let failure as ValidationFailure {
                for e in failure.errors.prefix(1) { errors.append(FieldError("file", "question.import.row", [String(rec.line), "@" + e.code] + e.args)) }
            }
        }
        if rows.isEmpty && errors.isEmpty { errors.append(FieldError("file", "question.import.empty")) }
        if !errors.isEmpty { throw ValidationFailure(Array(errors.prefix(20))) }
        let ready = rows
        return try await app.write { db in try await insert(ready, batchID: batchID, actor: actor, on: db).count }
    }

    /// `level4`, `4`, `四级` or `中级工` → `level4` (Core's `SkillLevel(written:)`); anything else is passed on to be refused.
    static func levelCode(_ raw: String) -> String {
        SkillLevel(written: raw)?.rawValue ?? raw.trimmingCharacters(in: .whitespaces)
    }

    /// Paper theory scores for a batch (CSV: citizen ID, score), all rows or none, each audited.
    static func importTheory(_ batchID: UUID, _ text: String, actor: Actor, app: Application, today: Day? = nil) async throws -> Int {
        let today = today ?? app.today
        let d = try await BatchService.authorized(batchID, .manageBatch, actor: actor, on: app.db)
        guard d.status.acceptsScores else { throw DomainError.rule(code: d.status.isSignedOff ? "score.signedOff" : "score.notYet") }
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parse(text) } catch { throw ValidationFailure([FieldError("file", "import.unterminatedQuote")]) }
        let regs = try await RegistrationRecord.query(on: app.db).filter(\.$batchID == batchID).all()
        let byIndex = Dictionary(uniqueKeysWithValues: regs.map { ($0.citizenIDIndex, $0) })
        let words = ImportVocabulary(localizer: app.localizer)
        let online = Set(try await ExamPaperRecord.query(on: app.db).filter(\.$registrationID ~~ regs.compactMap(\.id)).all().map(\.registrationID))
        var scores: [(UUID, Double)] = []
        var errors: [FieldError] = []
        for rec in records {
            let f = rec.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if (rec.line == records.first?.line && ImportFormat.scores.isHeader(f, words)) || f.allSatisfy(\.isEmpty) { continue }
            func row(_ code: String, _ args: [String] = []) { errors.append(FieldError("file", "question.import.row", [String(rec.line), "@" + code] + args)) }
            guard let id = try? CitizenID(f.first ?? "", today: today) else { row("citizenId.invalid"); continue }
            guard let r = byIndex[app.personalData.blindIndex(id.value)] else { row("registration.notInBatch"); continue }
            guard r.eligibility == EligibilityStatus.eligible.rawValue else { row("score.notEligible"); continue }
            if online.contains(r.id!) { row("score.onlineExam"); continue }
            if let s = r.retakeSubject, s != Subject.theory.rawValue { row("score.carriedOver"); continue }
            guard f.count > 1, let score = Double(f[1]), (0...100).contains(score) else { row("field.outOfRange", ["0", "100"]); continue }
            if scores.contains(where: { $0.0 == r.id! }) { row("registration.duplicate"); continue }
            scores.append((r.id!, (score * 10).rounded() / 10))
        }
        if scores.isEmpty && errors.isEmpty { errors.append(FieldError("file", "question.import.empty")) }
        if !errors.isEmpty { throw ValidationFailure(Array(errors.prefix(20))) }
        let rules = app.config.evaluationRules
        let ready = scores
        return try await app.write { db in
            for (id, score) in ready {
                guard let row = try await RegistrationRecord.find(id, on: db) else { continue }
                let old = row.theoryScore
                row.theoryScore = score
                row.outcome = outcome(row, level: d.level, rules: rules)
                try await row.update(on: db)
                try await AuditLog.append(.init(action: "score.theoryEntered", objectType: "registration", objectID: id.uuidString.lowercased(),
                                                detail: ["score": String(score), "previous": old.map { String($0) } ?? "", "source": "import"]), actor: actor, on: db)
            }
            return ready.count
        }
    }

    /// The reviewer confirms the engine's result, or overrides it with a written reason.
    static func review(_ id: UUID, _ input: EligibilityDecisionInput, actor: Actor, app: Application) async throws {
        let (r, d) = try await authorized(id, .manageBatch, actor: actor, on: app.db)
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
            try await AuditLog.append(.init(action: overrides ? "registration.overridden" : "registration.reviewed", objectType: "registration",
                                            objectID: id.uuidString.lowercased(), detail: ["eligibility": decision!.rawValue]), actor: actor, on: db)
        }
    }

    /// Confirms the engine's result for every registration still pending (one transaction, one audit entry each).
    static func reviewAll(_ batchID: UUID, actor: Actor, app: Application) async throws -> Int {
        let d = try await BatchService.authorized(batchID, .manageBatch, actor: actor, on: app.db)
        guard d.status == .registrationOpen else { throw DomainError.rule(code: "registration.reviewClosed") }
        return try await app.write { db in
            let pending = try await RegistrationRecord.query(on: db).filter(\.$batchID == batchID).filter(\.$eligibility == EligibilityStatus.pending.rawValue).all()
            for r in pending {
                r.eligibility = (r.engineEligible ? EligibilityStatus.eligible : .ineligible).rawValue
                try await r.update(on: db)
                try await AuditLog.append(.init(action: "registration.reviewed", objectType: "registration", objectID: r.id!.uuidString.lowercased(),
                                                detail: ["eligibility": r.eligibility]), actor: actor, on: db)
            }
            return pending.count
        }
    }

    // MARK: Scores

    /// An assessor's independent score for a candidate (practical, or the comprehensive review for levels 2 and 1).
    /// A submitted score is final unless the panel's spread sends the candidate to reconciliation.
    static func score(_ id: UUID, _ input: ScoreInput, actor: Actor, app: Application) async throws {
        let (r, d) = try await authorized(id, .scoreCandidates, actor: actor, on: app.db)
        guard let me = actor.personID, d.people(.assessor).contains(where: { $0.personID == me }) else { throw DomainError.notFound }
        var v = Validator()
        let subject = v.oneOf("subject", input.subject, Subject.self)
        if subject == .theory || (subject == .review && !d.level.needsComprehensiveReview) { v.add("subject", "field.invalidChoice") }
        var sheetScore = 0.0
        var sheetCriteria: [String: Double] = [:]
        if let sheet = input.criteria, subject == .practical {
            let weights = d.standard.skillWeights.map { (area: $0.area, percent: $0.percent[d.level] ?? 0) }
            do { sheetScore = try ScoreSheet.total(sheet, weights: weights); sheetCriteria = sheet } catch { for e in error.errors { v.add(e.field, e.code, e.args) } }
        } else {
            sheetScore = validScore(&v, input.score)
        }
        try v.check()
        if let carried = r.retakeSubject, carried != subject?.rawValue { throw DomainError.rule(code: "score.carriedOver") }
        let (score, criteria) = (sheetScore, sheetCriteria)
        guard d.status.acceptsScores else { throw DomainError.rule(code: d.status.isSignedOff ? "score.signedOff" : "score.notYet") }
        guard r.eligibility == EligibilityStatus.eligible.rawValue else { throw DomainError.rule(code: "score.notEligible") }
        let rules = app.config.evaluationRules
        let table = try await BatchService.recusals(d, registrations: [r], rules: rules, on: app.db)
        if !table.reasons(me, id).isEmpty { throw DomainError.rule(code: "score.recused") }
        let panel = table.panel(for: id, assessors: d.people(.assessor).map(\.personID))
        try await app.write { db in
            guard let row = try await RegistrationRecord.find(id, on: db) else { throw DomainError.notFound }
            let existing = try await PracticalScoreRecord.query(on: db).filter(\.$registrationID == id).filter(\.$assessorPersonID == me)
                .filter(\.$subject == subject!.rawValue).first()
            let action: String
            if let existing {
                guard row.needsReconciliation else { throw DomainError.rule(code: "score.alreadySubmitted") }
                existing.score = score; existing.submittedAt = app.now
                existing.criteria = String(decoding: try JSONEncoder().encode(criteria), as: UTF8.self)
                try await existing.update(on: db)
                action = "score.revised"
            } else {
                let s = PracticalScoreRecord()
                s.registrationID = id; s.assessorPersonID = me; s.subject = subject!.rawValue; s.score = score; s.submittedAt = app.now
                s.criteria = String(decoding: try JSONEncoder().encode(criteria), as: UTF8.self)
                try await s.create(on: db)
                action = "score.submitted"
            }
            try await recompute(row, subject: subject!, panel: panel, level: d.level, rules: rules, on: db)
            try await AuditLog.append(.init(action: action, objectType: "registration", objectID: id.uuidString.lowercased(),
                                            detail: ["subject": subject!.rawValue, "score": String(score)]), actor: actor, on: db)
        }
    }

    /// The theory score of a paper exam, entered by the body while exams are held.
    static func enterTheory(_ id: UUID, _ input: ScoreInput, actor: Actor, app: Application) async throws {
        let (_, d) = try await authorized(id, .manageBatch, actor: actor, on: app.db)
        var v = Validator()
        let score = validScore(&v, input.score)
        try v.check()
        guard d.status.acceptsScores else { throw DomainError.rule(code: d.status.isSignedOff ? "score.signedOff" : "score.notYet") }
        let rules = app.config.evaluationRules
        try await app.write { db in
            guard let row = try await RegistrationRecord.find(id, on: db) else { throw DomainError.notFound }
            guard row.eligibility == EligibilityStatus.eligible.rawValue else { throw DomainError.rule(code: "score.notEligible") }
            if let carried = row.retakeSubject, carried != Subject.theory.rawValue { throw DomainError.rule(code: "score.carriedOver") }
            if try await ExamPaperRecord.query(on: db).filter(\.$registrationID == id).first() != nil { throw DomainError.rule(code: "score.onlineExam") }
            let old = row.theoryScore
            row.theoryScore = score
            row.outcome = outcome(row, level: d.level, rules: rules)
            try await row.update(on: db)
            try await AuditLog.append(.init(action: "score.theoryEntered", objectType: "registration", objectID: id.uuidString.lowercased(),
                                            detail: ["score": String(score), "previous": old.map { String($0) } ?? ""]), actor: actor, on: db)
        }
    }

    /// After sign-off a score changes only by a correction with a reason, audited with the old and new value.
    static func correct(_ id: UUID, _ input: ScoreInput, actor: Actor, app: Application) async throws {
        let (_, d) = try await authorized(id, .manageBatch, actor: actor, on: app.db)
        var v = Validator()
        let subject = v.oneOf("subject", input.subject, Subject.self)
        if subject == .review && !d.level.needsComprehensiveReview { v.add("subject", "field.invalidChoice") }
        let score = validScore(&v, input.score)
        let reason = v.optional("reason", input.reason, max: 1000)
        if reason == nil { v.add("reason", "score.correction.reasonRequired") }
        try v.check()
        guard d.status == .scored || d.status == .inNotice else { throw DomainError.rule(code: "score.correction.notNow") }
        let rules = app.config.evaluationRules
        try await app.write { db in
            guard let row = try await RegistrationRecord.find(id, on: db), row.eligibility == EligibilityStatus.eligible.rawValue else { throw DomainError.notFound }
            let old = row.score(subject!)
            switch subject! {
            case .theory: row.theoryScore = score
            case .practical: row.practicalScore = score; row.needsReconciliation = false
            case .review: row.reviewScore = score
            }
            row.outcome = outcome(row, level: d.level, rules: rules)
            try await row.update(on: db)
            try await AuditLog.append(.init(action: "score.corrected", objectType: "registration", objectID: id.uuidString.lowercased(),
                                            detail: ["subject": subject!.rawValue, "from": old.map { String($0) } ?? "", "to": String(score),
                                                     "outcome": row.outcome ?? ""]), actor: actor, on: db)
        }
    }

    static func validScore(_ v: inout SkillChainCore.Validator, _ value: Double?) -> Double {
        guard let s = value else { v.add("score", "field.required"); return 0 }
        if !(0...100).contains(s) || s.isNaN { v.add("score", "field.outOfRange", ["0", "100"]) }
        return (s * 10).rounded() / 10
    }

    /// Sets a subject's panel result once every assessor of the candidate's panel has scored, then the outcome.
    static func recompute(_ row: RegistrationRecord, subject: Subject, panel: [UUID], level: SkillLevel, rules: EvaluationRules, on db: any Database) async throws {
        let scores = try await PracticalScoreRecord.query(on: db).filter(\.$registrationID == row.id!).filter(\.$subject == subject.rawValue).all()
        let counted = scores.filter { panel.contains($0.assessorPersonID) }
        if Set(counted.map(\.assessorPersonID)) == Set(panel), let result = PanelResult.of(counted.map(\.score), rules: rules) {
            if subject == .practical {
                row.practicalScore = result.score; row.practicalSpread = result.spread; row.needsReconciliation = result.needsReconciliation
            } else {
                row.reviewScore = result.score
            }
        }
        row.outcome = outcome(row, level: level, rules: rules)
        try await row.update(on: db)
    }

    /// `passed` / `failed` once every required subject has a score, else nil. A practical awaiting reconciliation has none.
    static func outcome(_ r: RegistrationRecord, level: SkillLevel, rules: EvaluationRules) -> String? {
        let subjects = PassRule.subjects(for: level)
        var scores: [Subject: Double] = [:]
        for s in subjects { if let v = r.score(s) { scores[s] = v } }
        if scores.count < subjects.count || r.needsReconciliation { return nil }
        return PassRule.evaluate(level: level, scores: scores, rules: rules).passed ? "passed" : "failed"
    }

    static func shortfalls(_ r: RegistrationRecord) -> [StoredShortfall] {
        (try? JSONDecoder().decode([StoredShortfall].self, from: Data(r.shortfalls.utf8))) ?? []
    }
}
