import Fluent
import SkillChainCore
import Vapor

/// The JSON API beside `FilingPages` (the pages of the same records).
enum FilingAPI {
    static func list(_ req: Request) async throws -> APIPage<FilingResponse> {
        let actor = try req.requireActor()
        let cursor = try CursorRequest(req)
        let rows = try await cursor.apply(FilingService.query(actor: actor, on: req.db)).all()
        var items: [FilingResponse] = []
        for r in rows.prefix(cursor.limit) { items.append(FilingResponse(try await FilingService.load(r.id!, on: req.db), today: req.today)) }
        return APIPage(items: items, nextCursor: rows.count > cursor.limit ? items.last?.id.uuidString.lowercased() : nil)
    }

    static func get(_ req: Request) async throws -> FilingResponse {
        FilingResponse(
            try await FilingService.authorized(try req.idParameter(), .viewFiling, actor: try req.requireActor(), on: req.db), today: req.today)
    }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let f = try await FilingService(req.application).create(try req.content.decode(FilingInput.self), actor: actor)
        return try ResourceAPI.created(FilingResponse(try await FilingService.load(f.id!, on: req.db), today: req.today))
    }

    static func submit(_ req: Request) async throws -> FilingResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await FilingService(req.application).submit(id, actor: actor)
        return FilingResponse(try await FilingService.load(id, on: req.db), today: req.today)
    }

    static func decide(_ req: Request) async throws -> FilingResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await FilingService(req.application).decide(id, try req.content.decode(FilingDecisionInput.self), actor: actor)
        return FilingResponse(try await FilingService.load(id, on: req.db), today: req.today)
    }
}
