import Fluent
import SkillChainCore
import Vapor

/// One registration: eligibility explained and reviewed; scores entered, seen and corrected.
enum RegistrationPages {
    struct ScoreRow: Encodable {
        let assessor: String
        let subject: String
        let score: String
        let sheet: String
    }
    struct SubjectForm: Encodable {
        let value: String
        let label: String
    }
    struct Criterion: Encodable {
        let key: String
        let label: String
        let percent: Int
        let value: String
        let error: String?
    }
    struct Body: Encodable {
        let batchTitle: String
        let batchHref: String
        let name: String
        let maskedID: String
        let showID: Bool
        let clause: String
        let engineOK: Bool
        let shortfalls: [String]
        let hasShortfalls: Bool
        let eligibility: String
        let eligibilityKey: String
        let overrideReason: String?
        let canReview: Bool
        let reviewAction: String
        let subjects: [BatchPages.Fact]
        let outcome: String
        let outcomeKey: String
        let flagged: Bool
        let spread: String
        let scoreRows: [ScoreRow]
        let hasScoreRows: Bool
        let othersHidden: Bool
        let canScorePractical: Bool
        let canScoreReview: Bool
        let criteria: [Criterion]
        let scoreAction: String
        let recusedReasons: String
        let canEnterTheory: Bool
        let theoryAction: String
        let canCorrect: Bool
        let correctSubjects: [SubjectForm]
        let correctAction: String
        let retakeNote: String?
        let values: [String: String]
        let errors: [String: String]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let (r, d) = try await RegistrationService.authorized(id, .viewBatch, actor: actor, on: req.db)
        let isAssessor = actor.role == .assessor
        let rules = req.application.config.evaluationRules
        let table = try await BatchService.recusals(d, registrations: [r], rules: rules, on: req.db)
        let myReasons = actor.personID.map { table.reasons($0, id) } ?? []
        if isAssessor && (!myReasons.isEmpty || r.eligibility != EligibilityStatus.eligible.rawValue) { throw DomainError.notFound }
        let canManage = actor.can(.manageBatch, d.scope(for: actor))
        guard let person = try await PersonRecord.find(r.personID, on: req.db) else { throw DomainError.notFound }
        let scores = try await RegistrationStore(req.db).practicalScores(id)
        // Assessors score blind: they see the others' scores only after handing in their own.
        let mine = scores.filter { $0.assessorPersonID == actor.personID }
        let visible = isAssessor ? (mine.isEmpty ? [] : scores) : scores
        let names = d.names
        let subjects = PassRule.subjects(for: d.level)
        let assessorSubjects = subjects.filter { $0 != .theory }.filter { s in !mine.contains { $0.subject == s.rawValue } || r.needsReconciliation }
        let body = Body(
            batchTitle: d.batch.title, batchHref: SiteURL.batch(d.batch.id!).path, name: person.name, maskedID: person.citizenIDMasked,
            showID: !isAssessor,
            clause: r.clauseID, engineOK: r.engineEligible,
            shortfalls: RegistrationService.shortfalls(r).map { req.t($0.code, $0.args) }, hasShortfalls: !RegistrationService.shortfalls(r).isEmpty,
            eligibility: req.t("eligibilityStatus.\(r.eligibility)"), eligibilityKey: r.eligibility, overrideReason: r.overrideReason,
            canReview: canManage && d.status == .registrationOpen, reviewAction: SiteURL.registrationReview(id).path,
            subjects: subjects.map { BatchPages.Fact(label: req.t("subject.\($0.rawValue)"), value: r.score($0).map(BatchPages.formatted) ?? "—") },
            outcome: r.outcome.map { req.t("result.\($0)") } ?? "—", outcomeKey: r.outcome ?? "none", flagged: r.needsReconciliation,
            spread: r.practicalSpread.map(BatchPages.formatted) ?? "",
            scoreRows: visible.sorted { ($0.subject, names[$0.assessorPersonID] ?? "") < ($1.subject, names[$1.assessorPersonID] ?? "") }.map { row in
                let sheet = ((try? JSONDecoder().decode([String: Double].self, from: Data(row.criteria.utf8))) ?? [:]).sorted { $0.key < $1.key }
                    .map { "\(req.t("standard.area.\($0.key)")) \(BatchPages.formatted($0.value))" }.joined(separator: req.t("list.separator"))
                return ScoreRow(
                    assessor: names[row.assessorPersonID] ?? "", subject: req.t("subject.\(row.subject)"), score: BatchPages.formatted(row.score),
                    sheet: sheet)
            },
            hasScoreRows: !visible.isEmpty,
            othersHidden: isAssessor && mine.isEmpty && d.status.acceptsScores
                && assessorSubjects.contains { $0.rawValue == (r.retakeSubject ?? $0.rawValue) },
            canScorePractical: isAssessor && d.status.acceptsScores && assessorSubjects.contains(.practical)
                && (r.retakeSubject ?? Subject.practical.rawValue) == Subject.practical.rawValue,
            canScoreReview: isAssessor && d.status.acceptsScores && assessorSubjects.contains(.review)
                && (r.retakeSubject ?? Subject.review.rawValue) == Subject.review.rawValue,
            criteria: d.standard.skillWeights.filter { ($0.percent[d.level] ?? 0) > 0 }.map { w in
                Criterion(
                    key: w.area, label: req.t("standard.area.\(w.area)"), percent: w.percent[d.level] ?? 0, value: values["criteria.\(w.area)"] ?? "",
                    error: errors["criteria.\(w.area)"])
            },
            scoreAction: SiteURL.registrationScores(id).path,
            recusedReasons: myReasons.map { req.t("recusal.\($0.rawValue)") }.joined(separator: req.t("list.separator")),
            canEnterTheory: canManage && d.status.acceptsScores && r.eligibility == EligibilityStatus.eligible.rawValue,
            theoryAction: SiteURL.registrationTheory(id).path,
            canCorrect: canManage && (d.status == .scored || d.status == .inNotice) && r.eligibility == EligibilityStatus.eligible.rawValue,
            correctSubjects: subjects.map { SubjectForm(value: $0.rawValue, label: req.t("subject.\($0.rawValue)")) },
            correctAction: SiteURL.registrationCorrection(id).path,
            retakeNote: r.retakeSubject.map { req.t("registration.retakeNote", ["@subject.\($0)"]) },
            values: values, errors: errors)
        return try await Page.render("registration", title: req.t("registration.titleFor", [person.name]), body, req, status: status)
    }

    static func review(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(EligibilityDecisionInput.self)
        return try await Page.attempt(req) {
            try await RegistrationService(req.application).review(id, input, actor: actor)
            return Page.redirect(.registration(id), flash: "flash.eligibilityReviewed", req)
        } onFailure: { errors in
            try await render(req, values: ["reason": input.reason ?? ""], errors: errors, status: .unprocessableEntity)
        }
    }

    struct RawScore: Content {
        var subject: String?
        var score: String?
        var reason: String?
        var criteria: [String: String]?
    }

    static func scoreInput(_ raw: RawScore) throws -> ScoreInput {
        let t = (raw.score ?? "").trimmingCharacters(in: .whitespaces)
        var errors: [FieldError] = []
        if !t.isEmpty && Double(t) == nil { errors.append(FieldError("score", "field.number")) }
        var criteria: [String: Double]?
        if let sheet = raw.criteria {
            criteria = [:]
            for (k, v) in sheet {
                let text = v.trimmingCharacters(in: .whitespaces)
                if text.isEmpty {
                    errors.append(FieldError("criteria.\(k)", "field.required"))
                } else if let n = Double(text) {
                    criteria![k] = n
                } else {
                    errors.append(FieldError("criteria.\(k)", "field.number"))
                }
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return ScoreInput(subject: raw.subject, score: Double(t), criteria: criteria, reason: raw.reason)
    }

    static func scoreAction(_ req: Request, flash: String, _ body: @escaping (ScoreInput, Actor, UUID) async throws -> Void) async throws -> Response
    {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let raw = try req.content.decode(RawScore.self)
        return try await Page.attempt(req) {
            try await body(try scoreInput(raw), actor, id)
            return Page.redirect(.registration(id), flash: flash, req)
        } onFailure: { errors in
            var values = ["score": raw.score ?? "", "reason": raw.reason ?? "", "subject": raw.subject ?? ""]
            for (k, v) in raw.criteria ?? [:] { values["criteria.\(k)"] = v }
            return try await render(req, values: values, errors: errors, status: .unprocessableEntity)
        }
    }

    static func score(_ req: Request) async throws -> Response {
        try await scoreAction(req, flash: "flash.scoreSubmitted") { try await RegistrationService(req.application).score($2, $0, actor: $1) }
    }

    static func theory(_ req: Request) async throws -> Response {
        try await scoreAction(req, flash: "flash.scoreSubmitted") {
            try await RegistrationService(req.application).enterTheory($2, $0, actor: $1)
        }
    }

    static func correct(_ req: Request) async throws -> Response {
        try await scoreAction(req, flash: "flash.scoreCorrected") { try await RegistrationService(req.application).correct($2, $0, actor: $1) }
    }
}
