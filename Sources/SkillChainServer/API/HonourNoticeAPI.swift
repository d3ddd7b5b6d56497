import Fluent
import Foundation
import SkillChainCore
import Vapor

/// The JSON API of the honour notices (the pages are `HonourNoticePages`).
enum HonourNoticeAPI {
    static func notices(_ req: Request) async throws -> APIPage<HonourNoticeResponse> {
        APIPage(items: try await HonourNoticeService.current(on: req.db, today: req.today), nextCursor: nil)
    }

    static func object(_ req: Request) async throws -> Response {
        let o = try await HonourNoticeService.object(try req.idParameter(), try req.content.decode(HonourObjectionInput.self), app: req.application)
        struct Created: Content {
            let id: UUID
            let status: String
        }
        return try ResourceAPI.created(Created(id: o.id!, status: o.status))
    }

    static func objections(_ req: Request) async throws -> APIPage<HonourObjectionResponse> {
        APIPage(
            items: try await HonourNoticeService.objections(try req.idParameter(), actor: try req.requireActor(), app: req.application),
            nextCursor: nil)
    }

    static func resolve(_ req: Request) async throws -> HonourObjectionResponse {
        let actor = try req.requireActor()
        let o = try await HonourNoticeService.resolve(
            try req.idParameter(), try req.content.decode(ObjectionResolutionInput.self), actor: actor, app: req.application)
        return try await HonourNoticeService.objections(o.campaignID, actor: actor, app: req.application).first { $0.id == o.id }!
    }
}
