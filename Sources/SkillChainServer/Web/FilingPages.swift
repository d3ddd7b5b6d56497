import Fluent
import SkillChainCore
import Vapor

/// Evaluation bodies: an organization files (备案) with the region's HR bureau; the bureau decides.
enum FilingPages {
    struct Row: Encodable {
        let href: String
        let organization: String
        let type: String
        let prefix: String
        let validity: String
        let status: String
        let statusKey: String
    }
    struct ListBody: Encodable {
        let rows: [Row]
        let pagination: Pagination
        let canCreate: Bool
        let newHref: String
    }

    static func list(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let page = Pagination.requestedPage(req)
        let total = try await FilingService.query(actor: actor, on: req.db).count()
        let rows = try await FilingService.query(actor: actor, on: req.db).sort(\.$createdAt, .descending)
            .range((page - 1) * Pagination.perPage..<page * Pagination.perPage).all()
        let name = try await OrganizationRecord.names(rows.map(\.organizationID), \.name, on: req.db)
        let own = try await FilingService.count(of: actor.organizationID, on: req.db)
        return try await Page.render(
            "filings", title: req.t("filings.title"),
            ListBody(
                rows: rows.map { f in
                    Row(
                        href: SiteURL.evaluationBody(f.id!).path, organization: name[f.organizationID] ?? "",
                        type: req.t("institutionType.\(f.institutionType)"),
                        prefix: f.institutionType + f.institutionCode + f.provinceCode + f.siteSerial,
                        validity: req.t("programs.dates", [f.validFrom, f.validUntil]), status: req.t("filingStatus.\(f.status)"), statusKey: f.status
                    )
                },
                pagination: Pagination(page: page, total: total, req),
                canCreate: own == 0 && Policy.grant(actor.role, .createFiling) != .none, newHref: SiteURL.newEvaluationBody.path), req)
    }

    struct FormBody: Encodable {
        let values: [String: String]
        let errors: [String: String]
        let types: [ChoiceOption]
        let scopeRows: [ScopeRow]
        let action: String
    }
    struct ScopeRow: Encodable {
        let n: Int
        let code: String
        let levels: [ChoiceOption]
    }

    static func form(
        _ req: Request, values: [String: String] = [:], levels: [Int: [String]] = [:], errors: [String: String] = [:],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.requireActor()
        let suggested: InstitutionType = actor.organizationKind == .enterprise ? .Y : .S
        return try await Page.render(
            "filing-new", title: req.t("filings.new"),
            FormBody(
                values: values, errors: errors,
                types: InstitutionType.allCases.map {
                    ChoiceOption(
                        value: $0.rawValue, label: req.t("institutionType.\($0.rawValue)"),
                        selected: (values["institutionType"] ?? suggested.rawValue) == $0.rawValue)
                },
                scopeRows: (1...3).map { n in
                    ScopeRow(
                        n: n, code: values["scope\(n)Code"] ?? "",
                        levels: SkillLevel.certificated.map {
                            ChoiceOption(value: $0.rawValue, label: req.t("level.\($0.rawValue)"), selected: (levels[n] ?? []).contains($0.rawValue))
                        })
                },
                action: SiteURL.evaluationBodies.path), req, status: status)
    }

    static func showForm(_ req: Request) async throws -> Response { try await form(req) }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Raw: Content {
            var institutionType: String?
            var institutionCode: String?
            var siteSerial: String?
            var validFrom: String?
            var validUntil: String?
            var scope1Code: String?
            var scope1Levels: [String]?
            var scope2Code: String?
            var scope2Levels: [String]?
            var scope3Code: String?
            var scope3Levels: [String]?
        }
        let raw = try req.content.decode(Raw.self)
        let rows: [(Int, String?, [String]?)] = [
            (1, raw.scope1Code, raw.scope1Levels), (2, raw.scope2Code, raw.scope2Levels), (3, raw.scope3Code, raw.scope3Levels),
        ]
        let filled = rows.filter { !($0.1 ?? "").trimmingCharacters(in: .whitespaces).isEmpty || !($0.2 ?? []).isEmpty }
        let input = FilingInput(
            institutionType: raw.institutionType, institutionCode: raw.institutionCode, siteSerial: raw.siteSerial,
            validFrom: raw.validFrom, validUntil: raw.validUntil,
            scopes: filled.map { FilingScopeInput(occupationCode: $0.1, levels: $0.2 ?? []) })
        var values = [
            "institutionType": raw.institutionType ?? "", "institutionCode": raw.institutionCode ?? "", "siteSerial": raw.siteSerial ?? "",
            "validFrom": raw.validFrom ?? "", "validUntil": raw.validUntil ?? "",
        ]
        for (n, code, _) in rows { values["scope\(n)Code"] = code ?? "" }
        return try await Page.attempt(req) {
            let f = try await FilingService(req.application).create(input, actor: actor)
            return Page.redirect(.evaluationBody(f.id!), flash: "flash.filingCreated", req)
        } onFailure: { errors in
            // Scope errors are reported against the row the user filled in.
            var shown: [String: String] = [:]
            for (k, v) in errors {
                if k.hasPrefix("scopes["), let i = Int(k.dropFirst(7).prefix { $0.isNumber }), i < filled.count {
                    shown["scope\(filled[i].0)"] = v
                } else {
                    shown[k] = v
                }
            }
            return try await form(
                req, values: values.filter { !$0.value.isEmpty },
                levels: Dictionary(uniqueKeysWithValues: rows.map { ($0.0, $0.2 ?? []) }), errors: shown, status: .unprocessableEntity)
        }
    }

    struct ScopeView: Encodable {
        let occupation: String
        let levels: String
    }
    struct Fact: Encodable {
        let label: String
        let value: String
    }
    struct DetailBody: Encodable {
        let organization: String
        let status: String
        let statusKey: String
        let reason: String?
        let facts: [Fact]
        let scopes: [ScopeView]
        let canSubmit: Bool
        let submitAction: String
        let decisions: [ChoiceOption]
        let hasDecisions: Bool
        let decisionAction: String
        let canOpenBatches: Bool
        let values: [String: String]
        let errors: [String: String]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let d = try await FilingService.authorized(id, .viewFiling, actor: actor, on: req.db)
        let f = d.filing
        let scope = d.scope(for: actor)
        let decisions =
            actor.can(.decideFiling, scope)
            ? d.status.possibleEvents.filter { FilingStatus.isGovernment($0) }.map {
                ChoiceOption(value: decisionName($0), label: req.t("filing.decision.\(decisionName($0))"), selected: false)
            } : []
        let body = DetailBody(
            organization: d.organization.name, status: req.t("filingStatus.\(f.status)"), statusKey: f.status, reason: f.reason,
            facts: [
                Fact(label: req.t("filing.institutionType"), value: req.t("institutionType.\(f.institutionType)")),
                Fact(label: req.t("filing.institutionCode"), value: f.institutionCode),
                Fact(label: req.t("filing.siteSerial"), value: f.siteSerial),
                Fact(label: req.t("filing.certificatePrefix"), value: d.identity.certificatePrefix),
                Fact(label: req.t("filing.validity"), value: req.t("programs.dates", [f.validFrom, f.validUntil])),
                Fact(label: req.t("organization.region"), value: RegionCatalog.shared.fullName(f.regionCode) ?? f.regionCode),
            ],
            scopes: d.scopes.map { s in
                ScopeView(
                    occupation: PositionPages.occupationLabel(s.code),
                    levels: s.levels.map { req.t("level.\($0.rawValue)") }.joined(separator: req.t("list.separator")))
            },
            canSubmit: d.status.isEditable && actor.can(.editFiling, scope) && f.organizationID == actor.organizationID,
            submitAction: SiteURL.evaluationBodySubmit(id).path,
            decisions: decisions, hasDecisions: !decisions.isEmpty,
            decisionAction: SiteURL.evaluationBodyDecision(id).path, canOpenBatches: d.canOpenBatches(on: req.today),
            values: values, errors: errors)
        return try await Page.render("filing", title: req.t("filings.titleFor", [d.organization.name]), body, req, status: status)
    }

    static func decisionName(_ e: FilingStatus.Event) -> String { e == .sendBack ? "return" : e.rawValue }

    static func submit(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        return try await Page.attempt(req) {
            try await FilingService(req.application).submit(id, actor: actor)
            return Page.redirect(.evaluationBody(id), flash: "flash.filingSubmitted", req)
        } onFailure: { errors in
            try await render(req, errors: errors, status: .unprocessableEntity)
        }
    }

    static func decide(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(FilingDecisionInput.self)
        return try await Page.attempt(req) {
            try await FilingService(req.application).decide(id, input, actor: actor)
            // Say what was decided and what follows from it.
            let decided = ["approve", "return", "suspend", "reinstate", "revoke"].contains(input.decision ?? "") ? input.decision! : "other"
            return Page.redirect(.evaluationBody(id), flash: "flash.filingDecided.\(decided)", req)
        } onFailure: { errors in
            try await render(req, values: ["reason": input.reason ?? ""], errors: errors, status: .unprocessableEntity)
        }
    }

    // MARK: API

}
