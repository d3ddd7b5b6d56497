import Fluent
import SkillChainCore
import Vapor

/// Correcting a question from the bank page (`/question-bank/{id}/edit`): in place while no paper drew it, otherwise as
/// a new version (the flash says which; Core rules via `QuestionEditService`).
enum QuestionEditPages {
    struct Body: Encodable {
        let values: [String: String]
        let errors: [String: String]
        let kinds: [ChoiceOption]
        let areas: [ChoiceOption]
        /// Options A–D: `value` is the letter, `label` the text.
        let options: [ChoiceOption]
        let action: String
        let backHref: String
    }

    struct Form: Content {
        var kind: String?
        var area: String?
        var stem: String?
        var optionA: String?
        var optionB: String?
        var optionC: String?
        var optionD: String?
        var answer: String?
        var tags: String?
    }

    static func question(_ req: Request) async throws -> QuestionItemRecord {
        let actor = try req.requireActor()
        guard let q = try await QuestionItemRecord.find(try req.idParameter(), on: req.db), q.retiredAt == nil else { throw DomainError.notFound }
        try actor.require(.manageQuestionBank, actor.scope(owner: q.organizationID))
        return q
    }

    static func show(_ req: Request) async throws -> Response {
        let q = try await question(req)
        let i = ExamService.item(q)
        let options = i.options + Array(repeating: "", count: max(0, 4 - i.options.count))
        return try await render(
            req, q,
            form: Form(
                kind: i.kind.rawValue, area: i.area, stem: i.stem, optionA: options[0], optionB: options[1],
                optionC: options[2], optionD: options[3], answer: i.answer, tags: i.tags.joined(separator: ";")))
    }

    static func render(_ req: Request, _ q: QuestionItemRecord, form: Form, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let areas =
            OccupationCatalog.edition2022.occupation(q.occupationCode).map { StandardLibrary.standard(for: $0).theoryWeights.map(\.area) } ?? []
        return try await Page.render(
            "question-edit", title: req.t("questions.edit"),
            Body(
                values: ["stem": form.stem ?? "", "answer": form.answer ?? "", "tags": form.tags ?? ""], errors: errors,
                kinds: Page.options(QuestionKind.self, prefix: "questionKind", selected: [form.kind ?? ""], req),
                areas: areas.map { ChoiceOption(value: $0, label: req.t("standard.area.\($0)"), selected: form.area == $0) },
                options: zip(["A", "B", "C", "D"], [form.optionA, form.optionB, form.optionC, form.optionD]).map {
                    ChoiceOption(value: $0, label: $1 ?? "", selected: false)
                },
                action: SiteURL.questionUpdate(q.id!).path, backHref: SiteURL.questionBankFor(code: q.occupationCode, level: q.level).path), req,
            status: status)
    }

    static func save(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let q = try await question(req)
        let form = try req.content.decode(Form.self)
        let input = QuestionInput(
            kind: form.kind, area: form.area, tags: form.tags ?? "", stem: form.stem ?? "",
            options: [form.optionA, form.optionB, form.optionC, form.optionD].compactMap { $0 }, answer: form.answer ?? "")
        return try await Page.attempt(req) {
            let result = try await QuestionEditService(req.application).edit(q.id!, input, actor: actor)
            return Page.redirect(
                .questionBankFor(code: q.occupationCode, level: q.level),
                flash: result.revised ? "flash.questionRevised" : "flash.questionEdited", req)
        } onFailure: {
            try await render(req, q, form: form, errors: $0, status: .unprocessableEntity)
        }
    }
}
