import Fluent
import SkillChainCore
import Vapor

/// `GET /api/v1/notifications` (newest first, cursor paging) and `POST /api/v1/notifications/{id}/read`.
enum NotificationAPI {
    struct NotificationResponse: Content {
        let id: UUID
        let kind: String
        let text: String
        let link: String
        let createdAt: Date
        let readAt: Date?
    }

    static func list(_ req: Request) async throws -> APIPage<NotificationResponse> {
        let actor = try req.requireActor()
        let cursor = try CursorRequest(req)
        let rows = try await NotificationStore(req.db).page(of: actor.userID, after: cursor.after, limit: cursor.limit + 1)
        let items = rows.prefix(cursor.limit).map {
            NotificationResponse(
                id: $0.id!, kind: $0.kind, text: InboxPages.text($0, req), link: $0.link, createdAt: $0.createdAt, readAt: $0.readAt)
        }
        return APIPage(items: Array(items), nextCursor: rows.count > cursor.limit ? items.last?.id.uuidString.lowercased() : nil)
    }

    static func read(_ req: Request) async throws -> HTTPStatus {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let read = try await req.application.write { db in try await NotificationStore(db).markRead(id, of: actor.userID, at: req.now) }
        guard read != nil else { throw DomainError.notFound }
        return .noContent
    }
}
