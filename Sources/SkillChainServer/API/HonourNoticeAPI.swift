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
        let o = try await HonourNoticeService(req.application).object(try req.idParameter(), try req.content.decode(HonourObjectionInput.self))
        struct Created: Content {
            let id: UUID
            let status: String
        }
        return try ResourceAPI.created(Created(id: o.id!, status: o.status))
    }

    static func objections(_ req: Request) async throws -> APIPage<HonourObjectionResponse> {
        APIPage(
            items: try await HonourNoticeService(req.application).objections(try req.idParameter(), actor: try req.requireActor()),
            nextCursor: nil)
    }

    static func resolve(_ req: Request) async throws -> HonourObjectionResponse {
        let actor = try req.requireActor()
        let o = try await HonourNoticeService(req.application).resolve(
            try req.idParameter(), try req.content.decode(ObjectionResolutionInput.self), actor: actor)
        return try await HonourNoticeService(req.application).objections(o.campaignID, actor: actor).first { $0.id == o.id }!
    }
}
