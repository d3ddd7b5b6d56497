import Fluent
import SkillChainCore
import Vapor

/// The JSON API beside `HonourPages` (the pages of the same records).
enum HonourAPI {
    static func campaigns(_ req: Request) async throws -> APIPage<CampaignResponse> {
        let actor = try req.requireActor()
        return APIPage(
            items: try await HonourService.campaignResponses(try await HonourService.campaigns(actor: actor, on: req.db), on: req.db), nextCursor: nil
        )
    }

    static func createCampaign(_ req: Request) async throws -> Response {
        let r = try await HonourService(req.application).createCampaign(
            try req.content.decode(CampaignInput.self), actor: try req.requireActor())
        return try ResourceAPI.created(try await HonourService.campaignResponses([r], on: req.db)[0])
    }

    static func transition(_ req: Request) async throws -> CampaignResponse {
        let r = try await HonourService(req.application).transition(
            try req.idParameter(), try req.content.decode(CampaignTransitionInput.self), actor: try req.requireActor())
        return try await HonourService.campaignResponses([r], on: req.db)[0]
    }

    static func nominations(_ req: Request) async throws -> APIPage<NominationResponse> {
        var v = Validator()
        var campaign: UUID?
        if let raw = req.query[String.self, at: "campaign"] {
            if let id = UUID(uuidString: raw) { campaign = id } else { v.add("campaign", "field.invalidChoice") }
        }
        try v.check()
        let rows = try await HonourService.nominations(campaign, actor: try req.requireActor(), on: req.db)
        return APIPage(items: try await HonourService.nominationResponses(rows, on: req.db), nextCursor: nil)
    }

    static func nominate(_ req: Request) async throws -> Response {
        let r = try await HonourService(req.application).nominate(try req.content.decode(NominationInput.self), actor: try req.requireActor())
        return try ResourceAPI.created(try await HonourService.nominationResponses([r], on: req.db)[0])
    }

    static func review(_ req: Request) async throws -> NominationResponse {
        let r = try await HonourService(req.application).review(
            try req.idParameter(), try req.content.decode(NominationReviewInput.self), actor: try req.requireActor())
        return try await HonourService.nominationResponses([r], on: req.db)[0]
    }

    /// The award credential, for the bureau and the nominating employer.
    static func credential(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        guard let n = try await HonourService.nominations(nil, actor: actor, on: req.db).first(where: { $0.id == id }), let credential = n.credential,
            let v = try? JSONValue.parse(credential)
        else { throw DomainError.notFound }
        return jsonResponse(v, contentType: "application/vc+ld+json")
    }
}
