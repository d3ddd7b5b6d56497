import Fluent
import SkillChainCore
import Vapor

enum AuditPage {
    struct Row: Encodable {
        let sequence: Int64
        let time: String
        let action: String
        let objectType: String
        let outcome: String
        let hash: String
    }
    struct Body: Encodable {
        let intact: Bool
        let message: String
        let rows: [Row]
        let pagination: Pagination
    }

    static func show(_ req: Request) async throws -> Response {
        _ = try req.requireActor()
        let result = try await AuditLog.verify(on: req.db)
        let message =
            result.isIntact
            ? req.t("audit.intact", [String(result.checked)])
            : req.t("audit.broken", [String(result.firstBroken ?? 0), req.t("audit.failure.\(result.failure?.rawValue ?? "")")])
        let page = Pagination.requestedPage(req)
        let total = try await AuditLog.count(on: req.db)
        let rows = try await AuditLog.newestFirst((page - 1) * Pagination.perPage..<page * Pagination.perPage, on: req.db)
        let formatter = ISO8601DateFormatter()
        return try await Page.render(
            "audit", title: req.t("audit.title"),
            Body(
                intact: result.isIntact, message: message,
                rows: rows.map {
                    Row(
                        sequence: $0.sequence, time: formatter.string(from: Date(timeIntervalSince1970: Double($0.occurredAtMillis) / 1000)),
                        action: $0.action, objectType: $0.objectType, outcome: $0.outcome, hash: String($0.hash.prefix(12)))
                },
                pagination: Pagination(page: page, total: total, req)), req)
    }
}
