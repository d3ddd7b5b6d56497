import Fluent
import SkillChainCore
import Vapor

/// Evaluation batches (评价批次): plan, judges, registration and eligibility, exams, scores, sign-off, notice, results.
enum BatchPages {
    struct Fact: Encodable {
        let label: String
        let value: String
    }

    // MARK: List and new

    struct Row: Encodable {
        let href: String
        let title: String
        let occupation: String
        let level: String
        let dates: String
        let status: String
        let statusKey: String
        let body: String
    }
    struct ListBody: Encodable {
        let rows: [Row]
        let pagination: Pagination
        let canCreate: Bool
        let newHref: String
        let staffHref: String
        let bankHref: String
        let isBody: Bool
    }

    static func list(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let page = Pagination.requestedPage(req)
        let total = try await BatchService.query(actor: actor, on: req.db).count()
        let rows = try await BatchService.query(actor: actor, on: req.db).sort(\.$createdAt, .descending)
            .range((page - 1) * Pagination.perPage..<page * Pagination.perPage).all()
        let name = try await OrganizationRecord.names(rows.map(\.organizationID), \.name, on: req.db)
        let isBody = Policy.grant(actor.role, .createBatch) != .none
        return try await Page.render(
            "evaluation-plans", title: req.t("batches.title"),
            ListBody(
                rows: rows.map { b in
                    Row(
                        href: SiteURL.batch(b.id!).path, title: b.title, occupation: PositionPages.occupationLabel(b.occupationCode),
                        level: req.t("level.\(b.level)"), dates: req.t("programs.dates", [b.theoryDay, b.practicalDay]),
                        status: req.t("batchStatus.\(b.status)"), statusKey: b.status, body: name[b.organizationID] ?? "")
                },
                pagination: Pagination(page: page, total: total, req), canCreate: isBody, newHref: SiteURL.newBatch.path,
                staffHref: SiteURL.evaluationStaff.path, bankHref: SiteURL.questionBank.path, isBody: isBody), req)
    }

    struct FormBody: Encodable {
        let values: [String: String]
        let errors: [String: String]
        let scopes: [ChoiceOption]
        let methods: [ChoiceOption]
        let action: String
        let hasFiling: Bool
        let filingHref: String
    }

    static func form(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.requireActor()
        let filing = try await BatchService.filing(of: actor.organizationID, on: req.db)
        let chosen = values["scope"] ?? ""
        var scopes: [ChoiceOption] = []
        for s in filing?.scopes ?? [] {
            for l in s.levels {
                let value = "\(s.code)|\(l.rawValue)"
                scopes.append(
                    ChoiceOption(
                        value: value, label: "\(PositionPages.occupationLabel(s.code)) · \(req.t("level.\(l.rawValue)"))", selected: value == chosen))
            }
        }
        var v = values
        if v["theoryMinutes"] == nil { v["theoryMinutes"] = "90" }
        if v["theoryMinimumMinutes"] == nil { v["theoryMinimumMinutes"] = "30" }
        if v["questionCount"] == nil { v["questionCount"] = "50" }
        return try await Page.render(
            "evaluation-plan-new", title: req.t("batches.new"),
            FormBody(
                values: v, errors: errors, scopes: scopes,
                methods: Page.options(
                    EvaluationMethod.self, prefix: "method", selected: [values["method"] ?? EvaluationMethod.examination.rawValue], req),
                action: SiteURL.batches.path, hasFiling: filing?.canOpenBatches(on: req.today) ?? false,
                filingHref: filing.map { SiteURL.evaluationBody($0.filing.id!).path } ?? SiteURL.evaluationBodies.path), req, status: status)
    }

    static func showForm(_ req: Request) async throws -> Response { try await form(req) }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Raw: Content {
            var title: String?
            var scope: String?
            var method: String?
            var site: String?
            var theoryDay: String?
            var practicalDay: String?
            var theoryMinutes: String?
            var theoryMinimumMinutes: String?
            var questionCount: String?
        }
        let raw = try req.content.decode(Raw.self)
        let parts = (raw.scope ?? "").split(separator: "|").map(String.init)
        let input = BatchInput(
            title: raw.title, occupationCode: parts.first, level: parts.count > 1 ? parts[1] : nil, method: raw.method, site: raw.site,
            theoryDay: raw.theoryDay, practicalDay: raw.practicalDay, theoryMinutes: raw.theoryMinutes.flatMap { Int($0) },
            theoryMinimumMinutes: raw.theoryMinimumMinutes.flatMap { Int($0) }, questionCount: raw.questionCount.flatMap { Int($0) })
        let values = [
            "title": raw.title ?? "", "scope": raw.scope ?? "", "method": raw.method ?? "", "site": raw.site ?? "", "theoryDay": raw.theoryDay ?? "",
            "practicalDay": raw.practicalDay ?? "", "theoryMinutes": raw.theoryMinutes ?? "", "theoryMinimumMinutes": raw.theoryMinimumMinutes ?? "",
            "questionCount": raw.questionCount ?? "",
        ].filter { !$0.value.isEmpty }
        return try await Page.attempt(req) {
            let b = try await BatchService(req.application).create(input, actor: actor)
            return Page.redirect(.batch(b.id!), flash: "flash.batchCreated", req)
        } onFailure: { errors in
            var shown = errors
            for k in ["occupationCode", "level"] { if let e = errors[k] { shown["scope"] = e } }
            return try await form(req, values: values, errors: shown, status: .unprocessableEntity)
        }
    }

    // MARK: Detail
}
