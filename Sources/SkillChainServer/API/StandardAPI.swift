import Fluent
import SkillChainCore
import Vapor

/// The JSON API beside `StandardPages` (the pages of the same records).
enum StandardAPI {
    static func standard(_ req: Request) async throws -> StandardResponse {
        let actor = try req.requireActor()
        let occupation = try StandardService.occupation(req.parameters.get("code"))
        let latest = try await StandardService.latestEnterpriseStandard(occupation, organizationID: actor.organizationID, on: req.db)
        return StandardResponse(StandardLibrary.standard(for: occupation), name: occupation.name, enterprise: latest.map(StandardService.response))
    }

    static func eligibility(_ req: Request) async throws -> EligibilityResponse {
        _ = try req.requireActor()
        let occupation = try StandardService.occupation(req.parameters.get("code"))
        let facts = try StandardService.facts(try req.content.decode(EligibilityInput.self), occupation: occupation)
        return StandardService.eligibility(occupation, facts, req)
    }

    static func saveEnterprise(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let occupation = try StandardService.occupation(req.parameters.get("code"))
        let r = try await StandardService(req.application).saveEnterpriseStandard(
            occupation, try req.content.decode(EnterpriseStandardInput.self), actor: actor)
        return try ResourceAPI.created(StandardService.response(r))
    }
}
