import Fluent
import SkillChainCore
import Vapor

/// The JSON API beside `RegistryPages` (the pages of the same records).
enum RegistryAPI {
    static func bases(_ req: Request) async throws -> APIPage<SkillBaseResponse> {
        let actor = try req.requireActor()
        return APIPage(
            items: try await RegistryService.baseResponses(try await RegistryService.bases(actor: actor, on: req.db), on: req.db, today: req.today),
            nextCursor: nil)
    }

    static func createBase(_ req: Request) async throws -> Response {
        let r = try await RegistryService(req.application).createBase(try req.content.decode(SkillBaseInput.self), actor: try req.requireActor())
        return try ResourceAPI.created(try await RegistryService.baseResponses([r], on: req.db, today: req.today)[0])
    }

    static func activity(_ req: Request) async throws -> SkillBaseResponse {
        let r = try await RegistryService(req.application).updateActivity(
            try req.idParameter(), try req.content.decode(SkillBaseActivityInput.self), actor: try req.requireActor())
        return try await RegistryService.baseResponses([r], on: req.db, today: req.today)[0]
    }

    static func competitions(_ req: Request) async throws -> APIPage<CompetitionResponse> {
        let actor = try req.requireActor()
        return APIPage(
            items: try await RegistryService.competitionResponses(try await RegistryService.competitions(actor: actor, on: req.db), on: req.db),
            nextCursor: nil)
    }

    static func createCompetition(_ req: Request) async throws -> Response {
        let r = try await RegistryService(req.application).createCompetition(
            try req.content.decode(CompetitionInput.self), actor: try req.requireActor())
        return try ResourceAPI.created(try await RegistryService.competitionResponses([r], on: req.db)[0])
    }

    static func results(_ req: Request) async throws -> APIPage<CompetitionResultResponse> {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let c = try await RegistryService.competition(id, actor: actor, on: req.db)
        return APIPage(
            items: try await RegistryService.resultResponses(
                try await RegistryService.results(id, actor: actor, on: req.db), c,
                rule: req.application.config.evaluationRules.contestPromotion, on: req.db, today: req.today), nextCursor: nil)
    }

    static func publishResults(_ req: Request) async throws -> APIPage<CompetitionResultResponse> {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let rows = try await RegistryService(req.application).publishResults(
            id, try req.content.decode(CompetitionResultsInput.self), actor: actor)
        let c = try await RegistryService.competition(id, actor: actor, on: req.db)
        return APIPage(
            items: try await RegistryService.resultResponses(
                rows, c, rule: req.application.config.evaluationRules.contestPromotion, on: req.db, today: req.today),
            nextCursor: nil)
    }

    static func withdrawResult(_ req: Request) async throws -> CompetitionResultResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let resultID = try req.idParameter("result")
        let r = try await RegistryService(req.application).withdrawResult(
            id, result: resultID, try req.content.decode(ResultWithdrawalInput.self), actor: actor)
        let c = try await RegistryService.competition(id, actor: actor, on: req.db)
        return try await RegistryService.resultResponses(
            [r], c, rule: req.application.config.evaluationRules.contestPromotion, on: req.db, today: req.today)[0]
    }
}
