import Fluent
import SkillChainCore
import Vapor

/// `/honours` and `/api/v1/honours/…`.
enum HonourPages {
    // MARK: API

    // MARK: Pages

    struct CampaignRow: Encodable {
        let name: String
        let href: String
        let kind: String
        let tier: String
        let year: Int
        let quota: Int
        let status: String
        let nominations: Int
    }
    struct ListBody: Encodable {
        let rows: [CampaignRow]
        let hasRows: Bool
        let canCreate: Bool
        let kinds: [ChoiceOption]
        let tiers: [ChoiceOption]
        let levels: [ChoiceOption]
        let errors: [String: String]
        let year: Int
    }

    static func list(_ req: Request) async throws -> Response { try await renderList(req) }

    static func renderList(_ req: Request, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let rows = try await HonourService.campaignResponses(try await HonourService.campaigns(actor: actor, on: req.db), on: req.db)
        return try await Page.render(
            "honours", title: req.t("honour.title"),
            ListBody(
                rows: rows.map {
                    CampaignRow(
                        name: $0.name, href: SiteURL.honour($0.id).path, kind: req.t("honour.kind.\($0.kind)"),
                        tier: req.t("honour.tier.\($0.tier)"), year: $0.year, quota: $0.quota, status: req.t("honour.status.\($0.status)"),
                        nominations: $0.nominations)
                },
                hasRows: !rows.isEmpty, canCreate: actor.can(.manageHonours, .own),
                kinds: Page.options(HonourKind.self, prefix: "honour.kind", selected: [], req),
                tiers: Page.options(HonourTier.self, prefix: "honour.tier", selected: [], req),
                levels: SkillLevel.allCases.map { ChoiceOption(value: $0.rawValue, label: req.t("level.\($0.rawValue)"), selected: $0 == .level3) },
                errors: errors, year: req.today.year), req, status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        struct Form: Content {
            var name: String?
            var kind: String?
            var tier: String?
            var year: String?
            var quota: String?
            var minimumLevel: String?
            var frontLineRequired: String?
            var minimumYearsOfService: String?
            var frontLineTilt: String?
        }
        let f = try req.content.decode(Form.self)
        let input = CampaignInput(
            name: f.name, kind: f.kind, tier: f.tier, year: f.year.flatMap { Int($0) }, quota: f.quota.flatMap { Int($0) },
            minimumLevel: f.minimumLevel, frontLineRequired: f.frontLineRequired == "true",
            minimumYearsOfService: f.minimumYearsOfService.flatMap { Int($0) }, frontLineTilt: f.frontLineTilt.flatMap { Double($0).map { $0 / 100 } }
        )
        return try await Page.attempt(req) {
            let c = try await HonourService(req.application).createCampaign(input, actor: try req.requireActor())
            return req.redirect(to: SiteURL.honour(c.id!).path, redirectType: .normal)
        } onFailure: { errors in
            try await renderList(req, errors: errors, status: .unprocessableEntity)
        }
    }

    struct FactorRow: Encodable {
        let label: String
        let points: String
    }
    struct NominationRow: Encodable {
        let id: String
        let name: String
        let maskedID: String
        let organization: String
        let level: String
        let frontLine: Bool
        let years: String
        let eligible: Bool
        let shortfalls: [String]
        let factors: [FactorRow]
        let rule: String
        let panel: String?
        let final: String
        let status: String
        let reviewAction: String
        let credentialHref: String?
    }
    struct DetailBody: Encodable {
        let name: String
        let meta: String
        let criteria: String
        let status: String
        let statusKey: String
        let rows: [NominationRow]
        let hasRows: Bool
        let canManage: Bool
        let canReview: Bool
        let nextEvent: String?
        let nextLabel: String?
        let transitionAction: String
        let canNominate: Bool
        let people: [ChoiceOption]
        let nominateAction: String
        let campaignID: String
        let errors: [String: String]
        let notice: String?
        let objections: [Objection]
        let hasObjections: Bool
    }
    struct Objection: Encodable {
        let nominee: String
        let text: String
        let contact: String
        let status: String
        let open: Bool
        let resolution: String
        let action: String
        let id: String
    }

    static func detail(_ req: Request) async throws -> Response { try await renderDetail(req, try req.idParameter()) }

    static func renderDetail(_ req: Request, _ id: UUID, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let c = try await HonourService.campaign(id, actor: actor, on: req.db)
        let criteria = HonourService.decode(c.criteria, as: HonourCriteria.self)
        let rows = try await HonourService.nominationResponses(try await HonourService.nominations(id, actor: actor, on: req.db), on: req.db)
        let manage = actor.can(.manageHonours, actor.scope(owner: c.organizationID, region: c.regionCode))
        let next = HonourCampaignStatus(rawValue: c.status)?.nextEvent?.rawValue
        let nominate = actor.can(.nominateForHonour, .own) && c.status == HonourCampaignStatus.open.rawValue
        let objections = manage ? try await HonourNoticeService(req.application).objections(id, actor: actor) : []
        let people =
            nominate
            ? try await DirectoryStore(req.db).activePeople(of: [actor.organizationID], limit: 500) : []
        func num(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
        return try await Page.render(
            "honour", title: c.name,
            DetailBody(
                name: c.name,
                meta:
                    "\(req.t("honour.kind.\(c.kind)")) · \(req.t("honour.tier.\(c.tier)")) · \(c.year) · \(req.t("honour.quota", [String(c.quota)]))",
                criteria: criteria.map {
                    req.t(
                        "honour.criteria",
                        [
                            req.t("level.\($0.minimumLevel.rawValue)"), String($0.minimumYearsOfService),
                            req.t($0.frontLineRequired ? "honour.frontLineRequired" : "honour.frontLineOptional"),
                            String(Int(($0.frontLineTilt * 100).rounded())),
                        ])
                } ?? "",
                status: req.t("honour.status.\(c.status)"), statusKey: c.status,
                rows: rows.map { n in
                    NominationRow(
                        id: n.id.uuidString.lowercased(), name: n.name, maskedID: n.citizenIdMasked, organization: n.organizationName,
                        level: n.verifiedLevel.map { req.t("level.\($0)") } ?? req.t("honour.noCertificate"), frontLine: n.frontLine,
                        years: num(n.yearsOfService),
                        eligible: n.eligible, shortfalls: n.shortfalls.map { req.t($0) },
                        factors: n.contributions.map { FactorRow(label: req.t("honour.factor.\($0.factor.rawValue)"), points: "+" + num($0.points)) },
                        rule: num(n.ruleScore), panel: n.panelScores.isEmpty ? nil : n.panelScores.map(num).joined(separator: " / "),
                        final: num(n.finalScore),
                        status: req.t("honour.nomination.\(n.status)"), reviewAction: SiteURL.honourNominationReviews(n.id).path,
                        credentialHref: n.hasCredential ? SiteURL.api(.honourNominationCredential(n.id)).path : nil)
                },
                hasRows: !rows.isEmpty, canManage: manage, canReview: manage && c.status == HonourCampaignStatus.review.rawValue,
                nextEvent: manage ? next : nil,
                nextLabel: next.map { req.t("honour.event.\($0)") }, transitionAction: SiteURL.honourTransitions(id).path,
                canNominate: nominate,
                people: people.map {
                    ChoiceOption(value: $0.id!.uuidString.lowercased(), label: "\($0.name) \($0.citizenIDMasked)", selected: false)
                },
                nominateAction: SiteURL.honourNominations.path, campaignID: id.uuidString.lowercased(), errors: errors,
                notice: c.noticeFrom.flatMap { f in c.noticeUntil.map { req.t("honourNotice.period", [f, $0]) } },
                objections: objections.map { o in
                    Objection(
                        nominee: o.nomineeName, text: o.text, contact: o.contact ?? "", status: req.t("objectionStatus.\(o.status)"),
                        open: o.status == ObjectionStatus.open.rawValue,
                        resolution: o.resolution ?? "", action: SiteURL.honourObjectionResolution(o.id).path,
                        id: o.id.uuidString.lowercased())
                },
                hasObjections: !objections.isEmpty), req, status: status)
    }

    static func transition(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        let input = try req.content.decode(CampaignTransitionInput.self)
        return try await Page.attempt(req) {
            _ = try await HonourService(req.application).transition(id, input, actor: try req.requireActor())
            return req.redirect(to: SiteURL.honour(id).path, redirectType: .normal)
        } onFailure: { errors in
            try await renderDetail(req, id, errors: errors, status: .unprocessableEntity)
        }
    }

    static func nominate(_ req: Request) async throws -> Response {
        struct Form: Content {
            var campaign: UUID?
            var person: UUID?
            var frontLine: String?
            var yearsOfService: String?
            var bestPlacing: String?
            var statement: String?
        }
        let f = try req.content.decode(Form.self)
        guard let campaign = f.campaign else { throw DomainError.notFound }
        let input = NominationInput(
            campaign: campaign, person: f.person, frontLine: f.frontLine == "true", yearsOfService: f.yearsOfService.flatMap { Double($0) },
            bestPlacing: f.bestPlacing.flatMap { Int($0) }, statement: f.statement)
        return try await Page.attempt(req) {
            _ = try await HonourService(req.application).nominate(input, actor: try req.requireActor())
            return req.redirect(to: SiteURL.honour(campaign).path, redirectType: .normal)
        } onFailure: { errors in
            try await renderDetail(req, campaign, errors: errors, status: .unprocessableEntity)
        }
    }

    static func review(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        struct Form: Content { var score: String? }
        let score = try req.content.decode(Form.self).score.flatMap { Double($0) }
        guard let n = try await HonourNominationRecord.find(id, on: req.db) else { throw DomainError.notFound }
        return try await Page.attempt(req) {
            _ = try await HonourService(req.application).review(id, .init(score: score), actor: try req.requireActor())
            return req.redirect(to: SiteURL.honour(n.campaignID).path, redirectType: .normal)
        } onFailure: { errors in
            try await renderDetail(req, n.campaignID, errors: errors, status: .unprocessableEntity)
        }
    }
}
