import Fluent
import Foundation
import SkillChainCore
import Vapor

/// `/api/v1` for the talent pool, matching, invitations and placements.
enum TalentAPI {
    struct ConsentResponse: Content {
        let consented: Bool
        let declaredOccupationCode: String?
        let declaredLevel: String?
    }

    static func consent(_ req: Request) async throws -> ConsentResponse {
        let r = try await TalentService(req.application).consent(try req.content.decode(ConsentInput.self), actor: try req.requireActor())
        return ConsentResponse(
            consented: r != nil && r?.withdrawnAt == nil, declaredOccupationCode: r?.declaredOccupationCode, declaredLevel: r?.declaredLevel)
    }

    static func matchesResponse(_ positionID: UUID, _ req: Request) async throws -> MatchesResponse {
        let actor = try req.requireActor()
        let found = try await TalentService.matches(positionID, actor: actor, on: req.db, today: req.today)
        let invited = try await TalentStore(req.db).invitations(toPosition: positionID)
        let status = Dictionary(invited.map { ($0.citizenIDIndex, $0.status) }, uniquingKeysWith: { a, _ in a })
        return MatchesResponse(
            position: PositionResponse(found.position), poolSize: found.pool,
            items: found.ranked.compactMap { m in
                guard let member = found.members[m.candidateID] else { return nil }
                return MatchItemResponse(
                    candidate: member.personID, name: member.name, citizenIdMasked: member.masked, regionCode: member.region,
                    score: m.score, verified: m.verified,
                    factors: m.contributions.map {
                        MatchFactorResponse(factor: $0.factor.rawValue, label: req.t("match.factor.\($0.factor.rawValue)"), points: $0.points)
                    },
                    invitation: status[m.candidateID])
            })
    }

    static func matches(_ req: Request) async throws -> MatchesResponse { try await matchesResponse(try req.idParameter(), req) }

    static func invite(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let r = try await TalentService(req.application).invite(
            try req.idParameter(), try req.content.decode(InvitationInput.self), actor: actor)
        return try ResourceAPI.created(try await invitationResponses([r], on: req.db)[0])
    }

    static func invitationResponses(_ rows: [InvitationRecord], on db: any Database) async throws -> [InvitationResponse] {
        let positions = try await PositionRecord.byID(rows.map(\.positionID), on: db)
        let orgs = try await OrganizationRecord.names(rows.map(\.organizationID), \.name, on: db)
        let people = try await PersonRecord.byID(rows.map(\.personID), on: db)
        return rows.map { r in
            InvitationResponse(
                id: r.id!, positionId: r.positionID, positionTitle: positions[r.positionID]?.title ?? "", organizationId: r.organizationID,
                organizationName: orgs[r.organizationID] ?? "", candidate: r.personID, name: people[r.personID]?.name ?? "",
                citizenIdMasked: people[r.personID]?.citizenIDMasked ?? "", score: r.score, message: r.message, status: r.status)
        }
    }

    static func listInvitations(_ req: Request) async throws -> APIPage<InvitationResponse> {
        let rows = try await TalentService.invitations(actor: try req.requireActor(), on: req.db)
        return APIPage(items: try await invitationResponses(rows, on: req.db), nextCursor: nil)
    }

    static func answer(_ req: Request) async throws -> InvitationResponse {
        let r = try await TalentService(req.application).answer(
            try req.idParameter(), try req.content.decode(InvitationAnswerInput.self), actor: try req.requireActor())
        return try await invitationResponses([r], on: req.db)[0]
    }

    static func placementResponses(_ rows: [PlacementRecord], on db: any Database) async throws -> [PlacementResponse] {
        let positions = try await PositionRecord.byID(rows.map(\.positionID), on: db)
        let orgs = try await OrganizationRecord.names(rows.map(\.organizationID), \.name, on: db)
        let people = try await PersonRecord.byID(rows.map(\.personID), on: db)
        return rows.map { r in
            PlacementResponse(
                id: r.id!, positionId: r.positionID, positionTitle: positions[r.positionID]?.title ?? "", organizationId: r.organizationID,
                organizationName: orgs[r.organizationID] ?? "", person: r.personID, name: people[r.personID]?.name ?? "",
                citizenIdMasked: people[r.personID]?.citizenIDMasked ?? "", occupationCode: r.occupationCode, regionCode: r.regionCode,
                startDate: r.startDate, monthlyWage: r.monthlyWage)
        }
    }

    static func createPlacement(_ req: Request) async throws -> Response {
        let p = try await TalentService(req.application).place(try req.content.decode(PlacementInput.self), actor: try req.requireActor())
        return try ResourceAPI.created(try await placementResponses([p], on: req.db)[0])
    }

    static func listPlacements(_ req: Request) async throws -> APIPage<PlacementResponse> {
        let rows = try await TalentService.placements(actor: try req.requireActor(), on: req.db)
        return APIPage(items: try await placementResponses(rows, on: req.db), nextCursor: nil)
    }
}
