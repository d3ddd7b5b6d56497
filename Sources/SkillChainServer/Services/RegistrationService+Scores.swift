import Fluent
import Foundation
import SkillChainCore
import Vapor

extension RegistrationService {
    /// An assessor's independent score for a candidate (practical, or the comprehensive review for levels 2 and 1).
    /// A submitted score is final unless the panel's spread sends the candidate to reconciliation.
    func score(_ id: UUID, _ input: ScoreInput, actor: Actor) async throws {
        let (r, d) = try await Self.authorized(id, .scoreCandidates, actor: actor, on: app.db)
        guard let me = actor.personID, d.people(.assessor).contains(where: { $0.personID == me }) else { throw DomainError.notFound }
        var v = Validator()
        let subject = v.oneOf("subject", input.subject, Subject.self)
        if subject == .theory || (subject == .review && !d.level.needsComprehensiveReview) { v.add("subject", "field.invalidChoice") }
        var sheetScore = 0.0
        var sheetCriteria: [String: Double] = [:]
        if let sheet = input.criteria, subject == .practical {
            let weights = d.standard.skillWeights.map { (area: $0.area, percent: $0.percent[d.level] ?? 0) }
            do {
                sheetScore = try ScoreSheet.total(sheet, weights: weights)
                sheetCriteria = sheet
            } catch { for e in error.errors { v.add(e.field, e.code, e.args) } }
        } else {
            sheetScore = Self.validScore(&v, input.score)
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
                existing.score = score
                existing.submittedAt = app.now
                existing.criteria = String(decoding: try JSONEncoder().encode(criteria), as: UTF8.self)
                try await existing.update(on: db)
                action = "score.revised"
            } else {
                let s = PracticalScoreRecord()
                s.registrationID = id
                s.assessorPersonID = me
                s.subject = subject!.rawValue
                s.score = score
                s.submittedAt = app.now
                s.criteria = String(decoding: try JSONEncoder().encode(criteria), as: UTF8.self)
                try await s.create(on: db)
                action = "score.submitted"
            }
            try await Self.recompute(row, subject: subject!, panel: panel, level: d.level, rules: rules, on: db)
            try await AuditLog.append(
                .init(
                    action: action, objectType: "registration", objectID: id.uuidString.lowercased(),
                    detail: ["subject": subject!.rawValue, "score": String(score)]), actor: actor, on: db, now: app.now)
        }
    }

    /// The theory score of a paper exam, entered by the body while exams are held.
    func enterTheory(_ id: UUID, _ input: ScoreInput, actor: Actor) async throws {
        let (_, d) = try await Self.authorized(id, .manageBatch, actor: actor, on: app.db)
        var v = Validator()
        let score = Self.validScore(&v, input.score)
        try v.check()
        guard d.status.acceptsScores else { throw DomainError.rule(code: d.status.isSignedOff ? "score.signedOff" : "score.notYet") }
        let rules = app.config.evaluationRules
        try await app.write { db in
            guard let row = try await RegistrationRecord.find(id, on: db) else { throw DomainError.notFound }
            guard row.eligibility == EligibilityStatus.eligible.rawValue else { throw DomainError.rule(code: "score.notEligible") }
            if let carried = row.retakeSubject, carried != Subject.theory.rawValue { throw DomainError.rule(code: "score.carriedOver") }
            if try await ExamPaperRecord.query(on: db).filter(\.$registrationID == id).first() != nil {
                throw DomainError.rule(code: "score.onlineExam")
            }
            let old = row.theoryScore
            row.theoryScore = score
            row.outcome = Self.outcome(row, level: d.level, rules: rules)
            try await row.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "score.theoryEntered", objectType: "registration", objectID: id.uuidString.lowercased(),
                    detail: ["score": String(score), "previous": old.map { String($0) } ?? ""]), actor: actor, on: db, now: app.now)
        }
    }

    /// After sign-off a score changes only by a correction with a reason, audited with the old and new value.
    func correct(_ id: UUID, _ input: ScoreInput, actor: Actor) async throws {
        let (_, d) = try await Self.authorized(id, .manageBatch, actor: actor, on: app.db)
        var v = Validator()
        let subject = v.oneOf("subject", input.subject, Subject.self)
        if subject == .review && !d.level.needsComprehensiveReview { v.add("subject", "field.invalidChoice") }
        let score = Self.validScore(&v, input.score)
        let reason = v.optional("reason", input.reason, max: 1000)
        if reason == nil { v.add("reason", "score.correction.reasonRequired") }
        try v.check()
        guard d.status == .scored || d.status == .inNotice else { throw DomainError.rule(code: "score.correction.notNow") }
        let rules = app.config.evaluationRules
        try await app.write { db in
            guard let row = try await RegistrationRecord.find(id, on: db), row.eligibility == EligibilityStatus.eligible.rawValue else {
                throw DomainError.notFound
            }
            let old = row.score(subject!)
            switch subject! {
            case .theory: row.theoryScore = score
            case .practical:
                row.practicalScore = score
                row.needsReconciliation = false
            case .review: row.reviewScore = score
            }
            row.outcome = Self.outcome(row, level: d.level, rules: rules)
            try await row.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "score.corrected", objectType: "registration", objectID: id.uuidString.lowercased(),
                    detail: [
                        "subject": subject!.rawValue, "from": old.map { String($0) } ?? "", "to": String(score),
                        "outcome": row.outcome ?? "",
                    ]), actor: actor, on: db, now: app.now)
        }
    }

    static func validScore(_ v: inout SkillChainCore.Validator, _ value: Double?) -> Double {
        guard let s = value else {
            v.add("score", "field.required")
            return 0
        }
        if !(0...100).contains(s) || s.isNaN { v.add("score", "field.outOfRange", ["0", "100"]) }
        return (s * 10).rounded() / 10
    }

    /// Sets a subject's panel result once every assessor of the candidate's panel has scored, then the outcome.
    static func recompute(_ row: RegistrationRecord, subject: Subject, panel: [UUID], level: SkillLevel, rules: EvaluationRules, on db: any Database)
        async throws
    {
        let scores = try await PracticalScoreRecord.query(on: db).filter(\.$registrationID == row.id!).filter(\.$subject == subject.rawValue).all()
        let counted = scores.filter { panel.contains($0.assessorPersonID) }
        if Set(counted.map(\.assessorPersonID)) == Set(panel), let result = PanelResult.of(counted.map(\.score), rules: rules) {
            if subject == .practical {
                row.practicalScore = result.score
                row.practicalSpread = result.spread
                row.needsReconciliation = result.needsReconciliation
            } else {
                row.reviewScore = result.score
            }
        }
        row.outcome = Self.outcome(row, level: level, rules: rules)
        try await row.update(on: db)
    }

    /// `passed` / `failed` once every required subject has a score, else nil. A practical awaiting reconciliation has none.
    static func outcome(_ r: RegistrationRecord, level: SkillLevel, rules: EvaluationRules) -> String? {
        let subjects = PassRule.subjects(for: level)
        var scores: [Subject: Double] = [:]
        for s in subjects { if let v = r.score(s) { scores[s] = v } }
        if scores.count < subjects.count || r.needsReconciliation { return nil }
        return PassRule.evaluate(level: level, scores: scores, rules: rules).passed
            ? RegistrationOutcome.passed.rawValue : RegistrationOutcome.failed.rawValue
    }

    static func shortfalls(_ r: RegistrationRecord) -> [StoredShortfall] {
        (try? JSONDecoder().decode([StoredShortfall].self, from: Data(r.shortfalls.utf8))) ?? []
    }
}
