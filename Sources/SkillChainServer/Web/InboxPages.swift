import Fluent
import SkillChainCore
import Vapor

/// `/inbox`: what the platform told the signed-in user, newest first, each in the reader's language, with a link to the
/// record; read one or all.
enum InboxPages {
    static let pageSize = 50

    struct Row: Encodable {
        let text: String
        let href: String
        let time: String
        let unread: Bool
        let readAction: String
    }

    struct Body: Encodable {
        let rows: [Row]
        let hasRows: Bool
        let hasUnread: Bool
        let readAllAction: String
        let olderHref: String?
    }

    /// The text of a notification in the request's language.
    static func text(_ r: NotificationRecord, _ req: Request) -> String {
        let args = (try? JSONDecoder().decode([String].self, from: Data(r.args.utf8))) ?? []
        return req.t(NotificationKind(rawValue: r.kind)?.textKey ?? "notification.unknown", args)
    }

    static func show(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let cursor = try CursorRequest(req)
        let rows = try await NotificationStore(req.db).page(of: actor.userID, after: cursor.after, limit: pageSize + 1)
        let shown = Array(rows.prefix(pageSize))
        return try await Page.render(
            "inbox", title: req.t("inbox.title"),
            Body(
                rows: shown.map {
                    Row(
                        text: text($0, req), href: $0.link, time: Page.time($0.createdAt), unread: $0.readAt == nil,
                        readAction: SiteURL.inboxRead($0.id!).path)
                },
                hasRows: !shown.isEmpty, hasUnread: shown.contains { $0.readAt == nil }, readAllAction: SiteURL.inboxReadAll.path,
                olderHref: rows.count > pageSize ? shown.last.map { SiteURL.inboxOlder($0.id!).path } : nil),
            req)
    }

    /// Marks one read and goes to the record it is about.
    static func read(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let read = try await req.application.write { db in try await NotificationStore(db).markRead(id, of: actor.userID, at: req.now) }
        guard let r = read else { throw DomainError.notFound }
        return req.redirect(to: SiteURL.isSafeLocalPath(r.link) ? r.link : SiteURL.inbox.path, redirectType: .normal)
    }

    static func readAll(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try await req.application.write { db in try await NotificationStore(db).markAllRead(of: actor.userID, at: req.now) }
        return Page.redirect(.inbox, flash: "flash.inboxRead", req)
    }
}
