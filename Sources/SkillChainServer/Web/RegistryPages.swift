import Fluent
import SkillChainCore
import Vapor

/// `/registry`, `/competitions` and `/api/v1/skill-bases`, `/api/v1/competitions`.
enum RegistryPages {
    // MARK: API

    // MARK: Registry pages

    struct BaseRow: Encodable {
        let name: String
        let href: String
        let kind: String
        let tier: String
        let host: String
        let year: Int
        let granted: String
        let spent: String
        let trainees: Int
        let completed: Int
        let certified: Int
        let notices: [String]
        let masters: String
    }
    struct ListBody: Encodable {
        let rows: [BaseRow]
        let hasRows: Bool
        let canCreate: Bool
        let kinds: [ChoiceOption]
        let tiers: [ChoiceOption]
        let hosts: [ChoiceOption]
        let errors: [String: String]
        let year: Int
    }

    static func yuan(_ n: Int, _ req: Request) -> String { req.t("registry.yuan", [n.formatted(.number.grouping(.automatic))]) }

    static func row(_ b: SkillBaseResponse, _ req: Request) -> BaseRow {
        BaseRow(
            name: b.name, href: SiteURL.skillBase(b.id).path, kind: req.t("registry.kind.\(b.kind)"),
            tier: req.t("honour.tier.\(b.tier)"),
            host: b.hostName, year: b.approvalYear, granted: yuan(b.fundingGranted, req), spent: yuan(b.fundingSpent, req), trainees: b.trainees,
            completed: b.completed, certified: b.certified, notices: b.notices.map { req.t($0) },
            masters: b.masterNames.joined(separator: req.t("list.separator")))
    }

    static func list(_ req: Request) async throws -> Response { try await renderList(req) }

    static func renderList(_ req: Request, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let rows = try await RegistryService.baseResponses(try await RegistryService.bases(actor: actor, on: req.db), on: req.db, today: req.today)
        let canCreate = actor.can(.manageRegistry, .inRegion)
        var hosts: [ChoiceOption] = []
        if canCreate {
            let prefix = RegionCatalog.shared.prefix(of: actor.organizationRegion)
            hosts = try await DirectoryStore(req.db).activeOrganizations(regionPrefix: prefix, limit: 1000)
                .filter { OrganizationKind(rawValue: $0.kind).map { $0 == .enterprise || $0.isEducation } ?? false }
                .map { ChoiceOption(value: $0.id!.uuidString.lowercased(), label: $0.name, selected: false) }
        }
        return try await Page.render(
            "registry", title: req.t("registry.title"),
            ListBody(
                rows: rows.map { row($0, req) }, hasRows: !rows.isEmpty, canCreate: canCreate,
                kinds: Page.options(SkillBaseKind.self, prefix: "registry.kind", selected: [], req),
                tiers: Page.options(HonourTier.self, prefix: "honour.tier", selected: ["city"], req),
                hosts: hosts, errors: errors, year: req.today.year), req, status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        struct Form: Content {
            var kind: String?
            var name: String?
            var host: String?
            var tier: String?
            var approvalYear: String?
            var fundingGranted: String?
        }
        let f = try req.content.decode(Form.self)
        let input = SkillBaseInput(
            kind: f.kind, name: f.name, host: f.host.flatMap(UUID.init(uuidString:)), tier: f.tier,
            approvalYear: f.approvalYear.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
            fundingGranted: f.fundingGranted.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) })
        return try await Page.attempt(req) {
            let b = try await RegistryService(req.application).createBase(input, actor: try req.requireActor())
            return req.redirect(to: SiteURL.skillBase(b.id!).path, redirectType: .normal)
        } onFailure: { errors in
            try await renderList(req, errors: errors, status: .unprocessableEntity)
        }
    }

    struct DetailBody: Encodable {
        let base: BaseRow
        let activity: String
        let canReport: Bool
        let action: String
        let spentValue: Int
        let programs: [ChoiceOption]
        let masters: [ChoiceOption]
        let errors: [String: String]
    }

    static func detail(_ req: Request) async throws -> Response { try await renderDetail(req, try req.idParameter()) }

    static func renderDetail(_ req: Request, _ id: UUID, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let record = try await RegistryService.base(id, actor: actor, on: req.db)
        let b = try await RegistryService.baseResponses([record], on: req.db, today: req.today)[0]
        let canReport = actor.can(.updateBaseActivity, actor.scope(owner: record.hostOrganizationID))
        var programs: [ChoiceOption] = []
        var masters: [ChoiceOption] = []
        if canReport {
            let own = try await RegistryService.ownProgramIDs(record.hostOrganizationID, on: req.db)
            programs = try await ProgramStore(req.db).named(own)
                .map { ChoiceOption(value: $0.id!.uuidString.lowercased(), label: $0.name, selected: b.programs.contains($0.id!)) }
            masters = try await DirectoryStore(req.db).activePeople(of: [record.hostOrganizationID], limit: 500)
                .map {
                    ChoiceOption(
                        value: $0.id!.uuidString.lowercased(), label: "\($0.name) \($0.citizenIDMasked)", selected: b.masters.contains($0.id!))
                }
        }
        return try await Page.render(
            "registry-base", title: b.name,
            DetailBody(
                base: row(b, req), activity: b.activity, canReport: canReport, action: SiteURL.skillBaseActivity(id).path,
                spentValue: b.fundingSpent,
                programs: programs, masters: masters, errors: errors), req, status: status)
    }

    static func activity(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        struct Form: Content {
            var fundingSpent: String?
            var activity: String?
            var programs: [String]?
            var masters: [String]?
        }
        let f = try req.content.decode(Form.self)
        let input = SkillBaseActivityInput(
            fundingSpent: f.fundingSpent.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }, activity: f.activity,
            programs: (f.programs ?? []).compactMap(UUID.init(uuidString:)), masters: (f.masters ?? []).compactMap(UUID.init(uuidString:)))
        return try await Page.attempt(req) {
            _ = try await RegistryService(req.application).updateActivity(id, input, actor: try req.requireActor())
            return req.redirect(to: SiteURL.skillBase(id).path, redirectType: .normal)
        } onFailure: { errors in
            try await renderDetail(req, id, errors: errors, status: .unprocessableEntity)
        }
    }

    // MARK: Competition pages

    struct CompetitionRow: Encodable {
        let name: String
        let href: String
        let tier: String
        let organizer: String
        let occupation: String
        let heldOn: String
        let entrants: Int
        let status: String
        let results: Int
    }
    struct CompetitionsBody: Encodable {
        let rows: [CompetitionRow]
        let hasRows: Bool
        let tiers: [ChoiceOption]
        let canCreate: Bool
        let errors: [String: String]
        let rule: [String]
    }

    static func competitionRow(_ c: CompetitionResponse, _ req: Request) -> CompetitionRow {
        CompetitionRow(
            name: c.name, href: SiteURL.competition(c.id).path, tier: req.t("contest.tier.\(c.tier)"), organizer: c.organizerName,
            occupation: "\(c.occupationCode) \(c.occupationName)", heldOn: c.heldOn, entrants: c.entrants,
            status: req.t("contest.status.\(c.status)"),
            results: c.results)
    }

    /// The configured promotion rule in words, one line per rule.
    static func ruleLines(_ rule: ContestPromotion, _ req: Request) -> [String] {
        rule.rules.map { r in
            let top =
                r.topRank.map { req.t("contest.rule.topRank", [String($0)]) } ?? r.topShare.map {
                    req.t("contest.rule.topShare", [String(Int(($0 * 100).rounded()))])
                } ?? ""
            return req.t(
                "contest.rule.line",
                [
                    req.t("contest.tier.\(r.minimumTier.rawValue)"), top, req.t("level.\(r.grants.rawValue)"),
                    r.grantsWhenHeld.map { req.t("level.\($0.rawValue)") } ?? "—",
                ])
        } + [req.t("contest.rule.perYear", [String(rule.perYear), String(rule.validYears)])]
    }

    static func competitionsPage(_ req: Request) async throws -> Response { try await renderCompetitions(req) }

    static func renderCompetitions(_ req: Request, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let rows = try await RegistryService.competitionResponses(try await RegistryService.competitions(actor: actor, on: req.db), on: req.db)
        var tiers: [ChoiceOption] = []
        if actor.can(.manageCompetitions, .own) {
            for t in ContestTier.allCases where try await RegistryService.mayHold(t, actor: actor, on: req.db) {
                tiers.append(ChoiceOption(value: t.rawValue, label: req.t("contest.tier.\(t.rawValue)"), selected: false))
            }
        }
        return try await Page.render(
            "competitions", title: req.t("contest.title"),
            CompetitionsBody(
                rows: rows.map { competitionRow($0, req) }, hasRows: !rows.isEmpty, tiers: tiers, canCreate: !tiers.isEmpty, errors: errors,
                rule: ruleLines(req.application.config.evaluationRules.contestPromotion, req)), req, status: status)
    }

    static func createCompetition(_ req: Request) async throws -> Response {
        struct Form: Content {
            var name: String?
            var tier: String?
            var occupationCode: String?
            var heldOn: String?
            var entrants: String?
        }
        let f = try req.content.decode(Form.self)
        let input = CompetitionInput(
            name: f.name, tier: f.tier, occupationCode: f.occupationCode, heldOn: f.heldOn,
            entrants: f.entrants.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) })
        return try await Page.attempt(req) {
            let c = try await RegistryService(req.application).createCompetition(input, actor: try req.requireActor())
            return req.redirect(to: SiteURL.competition(c.id!).path, redirectType: .normal)
        } onFailure: { errors in
            try await renderCompetitions(req, errors: errors, status: .unprocessableEntity)
        }
    }

    struct ResultRow: Encodable {
        let rank: Int
        let name: String
        let maskedID: String
        let student: Bool
        let recognised: String
        let onPlatform: Bool
        let withdrawn: Bool
        let withdrawal: String
        let withdrawAction: String
    }
    struct CompetitionBody: Encodable {
        let competition: CompetitionRow
        let rows: [ResultRow]
        let hasRows: Bool
        let canPublish: Bool
        let action: String
        let pasted: String
        let errors: [String: String]
        let rowErrors: [String]
        let canWithdraw: Bool
    }

    static func competitionPage(_ req: Request) async throws -> Response { try await renderCompetition(req, try req.idParameter()) }

    static func renderCompetition(_ req: Request, _ id: UUID, pasted: String = "", errors: [String: String] = [:], status: HTTPStatus = .ok)
        async throws -> Response
    {
        let actor = try req.requireActor()
        let c = try await RegistryService.competition(id, actor: actor, on: req.db)
        let info = try await RegistryService.competitionResponses([c], on: req.db)[0]
        let results = try await RegistryService.resultResponses(
            try await RegistryService.results(id, actor: actor, on: req.db), c,
            rule: req.application.config.evaluationRules.contestPromotion, on: req.db, today: req.today)
        let organizer = c.organizerOrganizationID == actor.organizationID && actor.can(.manageCompetitions, .own)
        // Row errors ("results[3].citizenId") are shown as "line 4: …" against the pasted text.
        var rowErrors: [String] = []
        var fieldErrors: [String: String] = [:]
        for (field, message) in errors.sorted(by: { $0.key < $1.key }) {
            if field.hasPrefix("results["), let close = field.firstIndex(of: "]"),
                let i = Int(field[field.index(field.startIndex, offsetBy: 8)..<close])
            {
                rowErrors.append(req.t("contest.rowError", [String(i + 1), message]))
            } else {
                fieldErrors[field] = message
            }
        }
        return try await Page.render(
            "competition", title: c.name,
            CompetitionBody(
                competition: competitionRow(info, req),
                rows: results.map { r in
                    ResultRow(
                        rank: r.rank, name: r.name, maskedID: r.citizenIdMasked, student: r.student,
                        recognised: r.recognisedLevel.map { req.t("level.\($0)") } ?? "—", onPlatform: r.person != nil,
                        withdrawn: r.withdrawnAt != nil, withdrawal: r.withdrawalReason ?? "",
                        withdrawAction: SiteURL.competitionResultWithdrawal(id, result: r.id).path)
                },
                hasRows: !results.isEmpty, canPublish: organizer && c.status == CompetitionStatus.open.rawValue,
                action: SiteURL.competitionResults(id).path, pasted: pasted, errors: fieldErrors, rowErrors: rowErrors,
                canWithdraw: organizer && c.status == CompetitionStatus.resultsPublished.rawValue), req, status: status)
    }

    /// Pasted results, one per line: `姓名,身份证号,名次[,学生]` (a header line is skipped; 学生 is 是/否 or yes/no).
    static func parseResults(_ text: String) -> [CompetitionResultInput] {
        let records = (try? CSV.parse(text)) ?? []
        return records.compactMap { r -> CompetitionResultInput? in
            let f = r.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.contains(where: { !$0.isEmpty }) else { return nil }
            if f.count >= 3, Int(f[2]) == nil, ["名次", "rank"].contains(f[2].lowercased()) { return nil }
            return CompetitionResultInput(
                name: f.first, citizenId: f.count > 1 ? f[1] : nil, rank: f.count > 2 ? Int(f[2]) : nil,
                student: f.count > 3 ? ["是", "yes", "y", "true", "1", "学生"].contains(f[3].lowercased()) : false)
        }
    }

    static func publish(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        struct Form: Content { var results: String? }
        let text = try req.content.decode(Form.self).results ?? ""
        return try await Page.attempt(req) {
            _ = try await RegistryService(req.application).publishResults(id, .init(results: parseResults(text)), actor: try req.requireActor())
            return req.redirect(to: SiteURL.competition(id).path, redirectType: .normal)
        } onFailure: { errors in
            try await renderCompetition(req, id, pasted: text, errors: errors, status: .unprocessableEntity)
        }
    }

    static func withdraw(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        let resultID = try req.idParameter("result")
        let input = try req.content.decode(ResultWithdrawalInput.self)
        return try await Page.attempt(req) {
            _ = try await RegistryService(req.application).withdrawResult(id, result: resultID, input, actor: try req.requireActor())
            return Page.redirect(to: SiteURL.competition(id).path, flash: "flash.resultWithdrawn", req)
        } onFailure: { errors in
            try await renderCompetition(req, id, errors: errors, status: .unprocessableEntity)
        }
    }
}
