import Fluent
import SkillChainCore
import Vapor

/// Pages of the talent pool: a position's matches with their reasons (HR), the learner's consent and invitations,
/// and placements.
enum TalentPages {
    struct FactorRow: Encodable {
        let label: String
        let points: String
    }
    struct MatchRow: Encodable {
        let rank: Int
        let candidate: String
        let name: String
        let maskedID: String
        let score: String
        let verified: Bool
        let factors: [FactorRow]
        let invitation: String?
    }
    struct MatchesBody: Encodable {
        let title: String
        let occupation: String
        let level: String
        let region: String
        let poolSize: Int
        let rows: [MatchRow]
        let hasRows: Bool
        let inviteAction: String
        let errors: [String: String]
        let canInvite: Bool
    }

    static func points(_ p: Double) -> String { (p >= 0 ? "+" : "") + (p == p.rounded() ? String(Int(p)) : String(p)) }

    static func matches(_ req: Request) async throws -> Response { try await renderMatches(req, try req.idParameter()) }

    static func renderMatches(_ req: Request, _ id: UUID, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let m = try await TalentAPI.matchesResponse(id, req)
        let p = m.position
        return try await Page.render(
            "matches", title: req.t("match.title", [p.title]),
            MatchesBody(
                title: p.title, occupation: "\(p.occupationName ?? p.occupationCode)（\(p.occupationCode)）", level: req.t("level.\(p.requiredLevel)"),
                region: RegionCatalog.shared.region(p.regionCode)?.name ?? p.regionCode, poolSize: m.poolSize,
                rows: m.items.enumerated().map { i, it in
                    MatchRow(
                        rank: i + 1, candidate: it.candidate.uuidString.lowercased(), name: it.name, maskedID: it.citizenIdMasked,
                        score: points(it.score).replacingOccurrences(of: "+", with: ""), verified: it.verified,
                        factors: it.factors.map { FactorRow(label: $0.label, points: points($0.points)) },
                        invitation: it.invitation.map { req.t("invitation.status.\($0)") })
                },
                hasRows: !m.items.isEmpty, inviteAction: SiteURL.positionInvitations(id).path, errors: errors,
                canInvite: actor.can(.inviteCandidate, actor.scope(owner: p.organizationId)) && p.status == PositionStatus.open.rawValue), req,
            status: status)
    }

    static func invite(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        let input = try req.content.decode(InvitationInput.self)
        return try await Page.attempt(req) {
            _ = try await TalentService(req.application).invite(id, input, actor: try req.requireActor())
            return Page.redirect(to: SiteURL.positionMatches(id).path, flash: "flash.invitationSent", req)
        } onFailure: { errors in
            try await renderMatches(req, id, errors: errors, status: .unprocessableEntity)
        }
    }

    // MARK: The learner: consent and invitations

    struct InvitationRow: Encodable {
        let id: String
        let position: String
        let organization: String
        let message: String
        let status: String
        let open: Bool
        let answerAction: String
        let name: String
        let maskedID: String
        let score: String
        let placeAction: String
        let canPlace: Bool
    }
    struct PoolBody: Encodable {
        let consented: Bool
        let declaredCode: String?
        let levels: [ChoiceOption]
        let invitations: [InvitationRow]
        let hasInvitations: Bool
        let errors: [String: String]
    }

    static func invitationRows(_ rows: [InvitationRecord], actor: Actor, req: Request) async throws -> [InvitationRow] {
        try await TalentAPI.invitationResponses(rows, on: req.db).map { r in
            InvitationRow(
                id: r.id.uuidString.lowercased(), position: r.positionTitle, organization: r.organizationName, message: r.message,
                status: req.t("invitation.status.\(r.status)"),
                open: r.status == InvitationStatus.invited.rawValue && actor.role == .learner, answerAction: SiteURL.invitationAnswer(r.id).path,
                name: r.name, maskedID: r.citizenIdMasked, score: points(r.score).replacingOccurrences(of: "+", with: ""),
                placeAction: SiteURL.placements.path,
                canPlace: r.status == InvitationStatus.accepted.rawValue && actor.can(.recordPlacement, actor.scope(owner: r.organizationId)))
        }
    }

    static func pool(_ req: Request) async throws -> Response { try await renderPool(req) }

    static func renderPool(_ req: Request, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        var consent: TalentConsentRecord?
        if let person = actor.personID { consent = try await TalentStore(req.db).consent(of: person) }
        let rows = try await invitationRows(try await TalentService.invitations(actor: actor, on: req.db), actor: actor, req: req)
        let levels = SkillLevel.allCases.filter { $0.certificateCode != nil }.map {
            ChoiceOption(value: $0.rawValue, label: req.t("level.\($0.rawValue)"), selected: consent?.declaredLevel == $0.rawValue)
        }
        return try await Page.render(
            "talent-pool", title: req.t("talent.title"),
            PoolBody(
                consented: consent != nil && consent?.withdrawnAt == nil, declaredCode: consent?.declaredOccupationCode, levels: levels,
                invitations: rows, hasInvitations: !rows.isEmpty, errors: errors), req, status: status)
    }

    static func consent(_ req: Request) async throws -> Response {
        struct Form: Content {
            var consent: String?
            var declaredOccupationCode: String?
            var declaredLevel: String?
        }
        let f = try req.content.decode(Form.self)
        let input = ConsentInput(
            consent: f.consent == "yes" ? true : f.consent == "no" ? false : nil,
            declaredOccupationCode: f.declaredOccupationCode, declaredLevel: f.declaredLevel)
        return try await Page.attempt(req) {
            _ = try await TalentService(req.application).consent(input, actor: try req.requireActor())
            return req.redirect(to: SiteURL.talentPool.path, redirectType: .normal)
        } onFailure: { errors in
            try await renderPool(req, errors: errors, status: .unprocessableEntity)
        }
    }

    static func answer(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        let input = try req.content.decode(InvitationAnswerInput.self)
        return try await Page.attempt(req) {
            _ = try await TalentService(req.application).answer(id, input, actor: try req.requireActor())
            return req.redirect(to: SiteURL.talentPool.path, redirectType: .normal)
        } onFailure: { errors in
            try await renderPool(req, errors: errors, status: .unprocessableEntity)
        }
    }

    // MARK: Placements

    struct PlacementRow: Encodable {
        let name: String
        let maskedID: String
        let position: String
        let organization: String
        let occupation: String
        let start: String
        let wage: Int
    }
    struct PlacementsBody: Encodable {
        let rows: [PlacementRow]
        let hasRows: Bool
        let pending: [InvitationRow]
        let hasPending: Bool
        let errors: [String: String]
        let today: String
        let invitations: [InvitationRow]
        let hasInvitations: Bool
    }

    static func placements(_ req: Request) async throws -> Response { try await renderPlacements(req) }

    static func renderPlacements(_ req: Request, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let rows = try await TalentAPI.placementResponses(try await TalentService.placements(actor: actor, on: req.db), on: req.db)
        let invitations =
            actor.role == .learner
            ? [] : try await invitationRows(try await TalentService.invitations(actor: actor, on: req.db), actor: actor, req: req)
        let pending = invitations.filter(\.canPlace)
        return try await Page.render(
            "placements", title: req.t("placements.title"),
            PlacementsBody(
                rows: rows.map { p in
                    PlacementRow(
                        name: p.name, maskedID: p.citizenIdMasked, position: p.positionTitle, organization: p.organizationName,
                        occupation: "\(OccupationCatalog.edition2022.occupation(p.occupationCode)?.name ?? p.occupationCode)（\(p.occupationCode)）",
                        start: p.startDate, wage: p.monthlyWage)
                },
                hasRows: !rows.isEmpty, pending: pending, hasPending: !pending.isEmpty, errors: errors, today: req.today.description,
                invitations: invitations, hasInvitations: !invitations.isEmpty), req, status: status)
    }

    static func place(_ req: Request) async throws -> Response {
        struct Form: Content {
            var invitation: UUID?
            var startDate: String?
            var monthlyWage: String?
        }
        let f = try req.content.decode(Form.self)
        let wage = f.monthlyWage.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        return try await Page.attempt(req) {
            if wage == nil, !(f.monthlyWage ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationFailure([FieldError("monthlyWage", "field.number")])
            }
            _ = try await TalentService(req.application).place(
                .init(invitation: f.invitation, startDate: f.startDate, monthlyWage: wage), actor: try req.requireActor())
            return req.redirect(to: SiteURL.placements.path, redirectType: .normal)
        } onFailure: { errors in
            try await renderPlacements(req, errors: errors, status: .unprocessableEntity)
        }
    }
}
