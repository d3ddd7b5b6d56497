import Fluent
import SkillChainCore
import Vapor

/// The body's question bank per occupation and level: add, import and export CSV.
enum QuestionBankPages {
    struct Row: Encodable {
        let kind: String
        let area: String
        let tags: String
        let stem: String
        let options: String
        let answer: String
        let editHref: String
    }
    struct Body: Encodable {
        let occupationCode: String
        let level: String
        let levels: [ChoiceOption]
        let kinds: [ChoiceOption]
        let areas: [ChoiceOption]
        let rows: [Row]
        let hasRows: Bool
        let count: Int
        let action: String
        let importAction: String
        let exportHref: String
        let filterAction: String
        let values: [String: String]
        let errors: [String: String]
        let help: [ImportHelp]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.requireActor()
        let code = values["occupationCode"] ?? (try? req.query.get(String.self, at: "occupationCode")) ?? ""
        let level = values["level"] ?? (try? req.query.get(String.self, at: "level")) ?? SkillLevel.level4.rawValue
        let occupation = OccupationCatalog.edition2022.occupation(code)
        let items =
            occupation == nil ? [] : try await ExamService.bank(organization: actor.organizationID, occupationCode: code, level: level, on: req.db)
        let areas = occupation.map { StandardLibrary.standard(for: $0).theoryWeights.map(\.area) } ?? ["basicRequirements", "relatedKnowledge"]
        return try await Page.render(
            "question-bank", title: req.t("questions.title"),
            Body(
                occupationCode: code, level: level,
                levels: SkillLevel.certificated.map {
                    ChoiceOption(value: $0.rawValue, label: req.t("level.\($0.rawValue)"), selected: level == $0.rawValue)
                },
                kinds: Page.options(QuestionKind.self, prefix: "questionKind", selected: [values["kind"] ?? QuestionKind.single.rawValue], req),
                areas: areas.map { ChoiceOption(value: $0, label: req.t("standard.area.\($0)"), selected: values["area"] == $0) },
                rows: items.prefix(200).map { r in
                    let i = ExamService.item(r)
                    return Row(
                        kind: req.t("questionKind.\(i.kind.rawValue)"), area: req.t("standard.area.\(i.area)"),
                        tags: i.tags.joined(separator: req.t("list.separator")),
                        stem: i.stem, options: zip("ABCDEFGH", i.options).map { "\($0). \($1)" }.joined(separator: "　"), answer: i.answer,
                        editHref: SiteURL.questionEdit(r.id!).path)
                },
                hasRows: !items.isEmpty, count: items.count, action: SiteURL.questionBank.path, importAction: SiteURL.questionBankImport.path,
                exportHref: SiteURL.questionBankExport(code: code, level: level).path, filterAction: SiteURL.questionBank.path,
                values: values, errors: errors, help: [ImportHelp.make(.questions, req)]), req, status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Raw: Content {
            var occupationCode: String?
            var level: String?
            var kind: String?
            var area: String?
            var tags: String?
            var stem: String?
            var optionA: String?
            var optionB: String?
            var optionC: String?
            var optionD: String?
            var answer: String?
        }
        let raw = try req.content.decode(Raw.self)
        let input = QuestionInput(
            occupationCode: raw.occupationCode, level: raw.level, kind: raw.kind, area: raw.area, tags: raw.tags, stem: raw.stem,
            options: [raw.optionA, raw.optionB, raw.optionC, raw.optionD].compactMap { $0 }, answer: raw.answer)
        let values = [
            "occupationCode": raw.occupationCode ?? "", "level": raw.level ?? "", "kind": raw.kind ?? "", "area": raw.area ?? "",
            "tags": raw.tags ?? "",
            "stem": raw.stem ?? "", "optionA": raw.optionA ?? "", "optionB": raw.optionB ?? "", "optionC": raw.optionC ?? "",
            "optionD": raw.optionD ?? "",
            "answer": raw.answer ?? "",
        ].filter { !$0.value.isEmpty }
        return try await Page.attempt(req) {
            _ = try await ExamService(req.application).addItem(input, actor: actor)
            return Page.redirect(.questionBankFor(code: raw.occupationCode ?? "", level: raw.level ?? ""), flash: "flash.questionAdded", req)
        } onFailure: { errors in
            try await render(req, values: values, errors: errors, status: .unprocessableEntity)
        }
    }

    static func importCSV(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Raw: Content {
            var occupationCode: String?
            var level: String?
            var csv: String?
        }
        let raw = try req.content.decode(Raw.self)
        return try await Page.attempt(req) {
            _ = try await ExamService(req.application).importCSV(
                raw.csv ?? "", occupationCode: raw.occupationCode, level: raw.level, actor: actor)
            return Page.redirect(.questionBankFor(code: raw.occupationCode ?? "", level: raw.level ?? ""), flash: "flash.questionsImported", req)
        } onFailure: { errors in
            try await render(
                req,
                values: ["occupationCode": raw.occupationCode ?? "", "level": raw.level ?? "", "csv": raw.csv ?? ""].filter { !$0.value.isEmpty },
                errors: errors, status: .unprocessableEntity)
        }
    }

    static func export(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let code = (try? req.query.get(String.self, at: "occupationCode")) ?? ""
        let level = (try? req.query.get(String.self, at: "level")) ?? ""
        var csv = CSVWriter(header: QuestionCSV.header)
        for r in try await ExamService.bank(organization: actor.organizationID, occupationCode: code, level: level, on: req.db) {
            csv.append(QuestionCSV.record(ExamService.item(r)))
        }
        return csv.response(filename: "questions-\(code)-\(level).csv")
    }
}
