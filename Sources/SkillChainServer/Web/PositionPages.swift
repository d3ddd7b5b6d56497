import Fluent
import SkillChainCore
import Vapor

enum PositionPages {
    struct Row: Encodable {
        let title: String
        let organization: String
        let occupation: String
        let level: String
        let headcount: Int
        let region: String
        let wage: String
        let frontLine: Bool
        let status: String
        let statusKey: String
        let statusAction: String?
        let matchesHref: String?
        let nextStatuses: [ChoiceOption]
        let editHref: String?
    }
    struct ListBody: Encodable {
        let q: String
        let occupation: String
        let rows: [Row]
        let levels: [ChoiceOption]
        let statuses: [ChoiceOption]
        let frontLineOnly: Bool
        let pagination: Pagination
        let canCreate: Bool
        let newHref: String
        let exportHref: String
    }

    static func filter(_ req: Request) -> PositionService.Filter {
        func value(_ k: String) -> String? { req.query[String.self, at: k].flatMap { $0.isEmpty ? nil : $0 } }
        return PositionService.Filter(
            q: value("q"), occupation: value("occupation"),
            level: value("level").flatMap { SkillLevel(rawValue: $0)?.rawValue },
            region: value("region"), status: value("status").flatMap { PositionStatus(rawValue: $0)?.rawValue },
            organization: value("organization").flatMap(UUID.init(uuidString:)),
            frontLine: value("frontLine") == "true" ? true : nil)
    }

    static func list(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let f = filter(req)
        let page = Pagination.requestedPage(req)
        let (rows, total) = try await PositionStore(req.db).page(f, offset: (page - 1) * Pagination.perPage, limit: Pagination.perPage)
        return try await Page.render(
            "positions", title: req.t("positions.title"),
            ListBody(
                q: f.q ?? "", occupation: f.occupation ?? "",
                rows: rows.map { p in
                    let mine = actor.can(.editPosition, actor.scope(owner: p.organization_id))
                    return Row(
                        title: p.title, organization: p.organization_name, occupation: occupationLabel(p.occupation_code),
                        level: req.t("level.\(p.required_level)"), headcount: p.headcount,
                        region: RegionCatalog.shared.fullName(p.region_code) ?? p.region_code,
                        wage: req.t("positions.wageRange", [String(p.wage_min), String(p.wage_max)]), frontLine: p.front_line,
                        status: req.t("positionStatus.\(p.status)"), statusKey: p.status,
                        statusAction: mine ? SiteURL.positionStatus(p.id).path : nil,
                        matchesHref: actor.can(.matchCandidates, actor.scope(owner: p.organization_id))
                            ? SiteURL.positionMatches(p.id).path : nil,
                        nextStatuses: PositionStatus.allCases.filter { $0.rawValue != p.status }.map {
                            ChoiceOption(
                                value: $0.rawValue, label: req.t("positions.markAs", [req.t("positionStatus.\($0.rawValue)")]), selected: false)
                        }, editHref: mine ? SiteURL.positionEdit(p.id).path : nil)
                },
                levels: Page.options(SkillLevel.self, prefix: "level", selected: [f.level ?? ""], req),
                statuses: Page.options(PositionStatus.self, prefix: "positionStatus", selected: [f.status ?? ""], req),
                frontLineOnly: f.frontLine == true, pagination: Pagination(page: page, total: total, req),
                canCreate: Policy.grant(actor.role, .createPosition) != .none, newHref: SiteURL.newPosition.path,
                exportHref: SiteURL.positionsExport.path + (req.url.query.map { "?" + $0 } ?? "")), req)
    }

    static func occupationLabel(_ code: String) -> String {
        OccupationCatalog.edition2022.occupation(code).map { "\($0.name)（\(code)）" } ?? code
    }

    struct FormBody: Encodable {
        let values: [String: String]
        let errors: [String: String]
        let regions: [ChoiceOption]
        let levels: [ChoiceOption]
        let action: String
        let heading: String
        let intro: String
        /// Set when correcting a published position: the version the form started from.
        let version: String?
    }

    static func form(
        _ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok,
        editing: (id: UUID, version: Int)? = nil
    ) async throws -> Response {
        try await Page.render(
            "position-new", title: req.t(editing == nil ? "positions.new" : "positions.edit"),
            FormBody(
                values: values, errors: errors, regions: Page.regionOptions(selected: values["regionCode"] ?? req.actor?.organizationRegion, req),
                levels: Page.options(SkillLevel.self, prefix: "level", selected: [values["requiredLevel"] ?? ""], req),
                action: editing.map { SiteURL.positionUpdate($0.id).path } ?? SiteURL.positions.path,
                heading: req.t(editing == nil ? "positions.new" : "positions.edit"),
                intro: req.t(editing == nil ? "positions.newIntro" : "positions.editIntro"),
                version: editing.map { String($0.version) }), req, status: status)
    }

    static func showForm(_ req: Request) async throws -> Response { try await form(req) }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let posted = try req.content.decode(PositionForm.self)
        let input = posted.input(correcting: false)
        let values = posted.values
        return try await Page.attempt(req) {
            _ = try await PositionService(req.application).create(input, actor: actor)
            return Page.redirect(.positions, flash: "flash.positionCreated", req)
        } onFailure: { errors in
            // Empty values left out: Leaf treats "" as true (the front-line box would be ticked).
            try await form(req, values: values.filter { !$0.value.isEmpty }, errors: errors, status: .unprocessableEntity)
        }
    }

    static func setStatus(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(PositionStatusInput.self)
        _ = try await PositionService(req.application).setStatus(id, input, actor: actor)
        return Page.redirect(.positions, flash: "flash.positionUpdated", req)
    }

    /// The filtered list as CSV (UTF-8 with BOM, so Excel opens it correctly).
    static func export(_ req: Request) async throws -> Response {
        _ = try req.requireActor()
        let rows = try await PositionService.query(filter(req), on: req.db).sort(\.$createdAt, .descending).limit(50_000).all()
        let orgName = try await OrganizationRecord.names(rows.map(\.organizationID), \.name, on: req.db)
        var csv = CSVWriter(
            header: [
                "positions.title", "organization.name", "occupations.code", "occupations.name", "position.requiredLevel",
                "position.headcount", "organization.region", "position.wageMin", "position.wageMax", "position.frontLine",
                "position.status",
            ].map { req.t($0) })
        for p in rows {
            csv.append([
                p.title, orgName[p.organizationID] ?? "", p.occupationCode, OccupationCatalog.edition2022.occupation(p.occupationCode)?.name ?? "",
                req.t("level.\(p.requiredLevel)"), String(p.headcount), p.regionCode, String(p.wageMin), String(p.wageMax),
                req.t(p.frontLine ? "form.yes" : "form.no"), req.t("positionStatus.\(p.status)"),
            ])
        }
        return csv.response(filename: "positions.csv")
    }
}

/// The position form as posted, for creating and for correcting (every field a string, so a bad number is a field error
/// and not a 400).
struct PositionForm: Content {
    var version: Int?
    var title: String?
    var occupationCode: String?
    var requiredLevel: String?
    var headcount: String?
    var regionCode: String?
    var wageMin: String?
    var wageMax: String?
    var frontLine: String?
    var description: String?

    /// A correction sends every field, so one left empty is checked rather than kept as it was.
    func input(correcting: Bool) -> PositionInput {
        func text(_ s: String?) -> String? { correcting ? (s ?? "") : s }
        func number(_ s: String?, blank: Int) -> Int? { FormDecoding.int(s) ?? (correcting ? blank : nil) }
        return PositionInput(
            title: text(title), occupationCode: text(occupationCode), requiredLevel: text(requiredLevel),
            headcount: number(headcount, blank: 0), regionCode: text(regionCode), wageMin: number(wageMin, blank: -1),
            wageMax: number(wageMax, blank: -1), frontLine: frontLine == "on" || frontLine == "true", description: text(description))
    }

    /// What was typed, for showing the form again.
    var values: [String: String] {
        [
            "title": title ?? "", "occupationCode": occupationCode ?? "", "requiredLevel": requiredLevel ?? "", "headcount": headcount ?? "",
            "regionCode": regionCode ?? "", "wageMin": wageMin ?? "", "wageMax": wageMax ?? "",
            "frontLine": frontLine == "on" || frontLine == "true" ? "on" : "", "description": description ?? "",
        ]
    }
}
