import Fluent
import SkillChainCore
import Vapor

/// The candidate's side: their registrations and the online theory exam.
enum ExamPages {
    struct Row: Encodable {
        let title: String
        let occupation: String
        let level: String
        let status: String
        let eligibility: String
        let theory: String
        let outcome: String
        let examHref: String
        let canTake: Bool
    }
    struct ListBody: Encodable {
        let rows: [Row]
        let hasRows: Bool
    }

    static func list(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let mine = try await ExamService.myRegistrations(actor: actor, on: req.db)
        return try await Page.render(
            "exams", title: req.t("exams.title"),
            ListBody(
                rows: mine.map { r, b in
                    let status = BatchStatus(rawValue: b.status) ?? .planned
                    return Row(
                        title: b.title, occupation: PositionPages.occupationLabel(b.occupationCode), level: req.t("level.\(b.level)"),
                        status: req.t("batchStatus.\(b.status)"), eligibility: req.t("eligibilityStatus.\(r.eligibility)"),
                        theory: r.theoryScore.map(BatchPages.formatted) ?? "—", outcome: r.outcome.map { req.t("result.\($0)") } ?? "—",
                        examHref: SiteURL.exam(r.id!).path,
                        canTake: r.eligibility == EligibilityStatus.eligible.rawValue && (status.examOpen || r.theoryScore != nil))
                }, hasRows: !mine.isEmpty), req)
    }

    struct ItemView: Encodable {
        let id: String
        let number: Int
        let kind: String
        let kindLabel: String
        let stem: String
        let inputType: String
        let choices: [ChoiceOption]
    }
    struct Body: Encodable {
        let title: String
        let items: [ItemView]
        let submitted: Bool
        let score: String
        let answered: Int
        let total: Int
        let startedAt: String
        let earliest: String
        let deadline: String
        let saveAction: String
        let submitAction: String
        let errors: [String: String]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let view = try await ExamService(req.application).open(id, actor: actor)
        let (_, d) = try await ExamService.ownRegistration(id, actor: actor, on: req.db)
        let iso = ISO8601DateFormatter()
        let body = Body(
            title: d.batch.title,
            items: view.items.map { i in
                let choices: [ChoiceOption] =
                    i.kind == .trueFalse
                    ? [
                        ChoiceOption(value: "T", label: req.t("exam.true"), selected: i.given == "T"),
                        ChoiceOption(value: "F", label: req.t("exam.false"), selected: i.given == "F"),
                    ]
                    : zip("ABCDEFGH", i.options).map { letter, text in
                        ChoiceOption(value: String(letter), label: "\(letter). \(text)", selected: i.given.contains(letter))
                    }
                return ItemView(
                    id: i.id, number: i.number, kind: i.kind.rawValue, kindLabel: req.t("questionKind.\(i.kind.rawValue)"), stem: i.stem,
                    inputType: i.kind == .multiple ? "checkbox" : "radio", choices: choices)
            },
            submitted: view.submitted, score: view.paper.score.map(BatchPages.formatted) ?? "",
            answered: view.items.filter { !$0.given.isEmpty }.count, total: view.items.count,
            startedAt: iso.string(from: view.clock.startedAt), earliest: iso.string(from: view.clock.earliestSubmission),
            deadline: iso.string(from: view.clock.deadline),
            saveAction: SiteURL.examAnswers(id).path, submitAction: SiteURL.examSubmit(id).path, errors: errors)
        return try await Page.render("exam", title: req.t("exam.titleFor", [d.batch.title]), body, req, status: status)
    }

    /// Saves one answer (the page's script posts each change; without script the whole form posts to submit).
    static func save(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content {
            var itemId: String?
            var answer: String?
            var answers: [String]?
        }
        let raw = try req.content.decode(Raw.self)
        try await ExamService(req.application).saveAnswer(
            id, AnswerInput(itemId: raw.itemId, answer: raw.answer ?? (raw.answers ?? []).joined()), actor: actor)
        return Response(status: .noContent)
    }

    static func submit(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        // Without script, the answers come with the form: save them first.
        if let fields = try? req.content.decode([String: [String]].self) {
            for (key, value) in fields where key.hasPrefix("q-") {
                try? await ExamService(req.application).saveAnswer(
                    id, AnswerInput(itemId: String(key.dropFirst(2)), answer: value.joined()), actor: actor)
            }
        }
        return try await Page.attempt(req) {
            try await ExamService(req.application).submit(id, actor: actor)
            return Page.redirect(.exam(id), flash: "flash.examSubmitted", req)
        } onFailure: { errors in
            try await render(req, errors: errors, status: .unprocessableEntity)
        }
    }
}
