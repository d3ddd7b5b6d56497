import Fluent
import Foundation
import SkillChainCore
import Vapor

/// `/honours/notices` (public) and the bureau's resolution of objections.
enum HonourNoticePages {

    struct Line: Encodable {
        let name: String
        let organization: String
        let level: String
        let frontLine: Bool
        let years: String
        let action: String
        let id: String
    }
    struct Notice: Encodable {
        let name: String
        let meta: String
        let period: String
        let open: Bool
        let lines: [Line]
    }
    struct Body: Encodable {
        let notices: [Notice]
        let hasNotices: Bool
        let sent: Bool
        let errors: [String: String]
        let failedFor: String
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, errors: [String: String] = [:], failedFor: String = "", status: HTTPStatus = .ok) async throws -> Response {
        let notices = try await HonourNoticeService.current(on: req.db, today: req.today)
        func num(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
        return try await Page.render(
            "honour-notices", title: req.t("honourNotice.title"),
            Body(
                notices: notices.map { n in
                    Notice(
                        name: n.name, meta: "\(req.t("honour.kind.\(n.kind)")) · \(req.t("honour.tier.\(n.tier)")) · \(n.year)",
                        period: req.t("honourNotice.period", [n.noticeFrom, n.noticeUntil]), open: n.open,
                        lines: n.nominees.map { l in
                            Line(
                                name: l.name, organization: l.organizationName, level: l.verifiedLevel.map { req.t("level.\($0)") } ?? "—",
                                frontLine: l.frontLine,
                                years: num(l.yearsOfService),
                                action: SiteURL.honourNominationObjections(l.nomination).path,
                                id: l.nomination.uuidString.lowercased())
                        })
                },
                hasNotices: !notices.isEmpty, sent: req.query[String.self, at: "sent"] != nil, errors: errors, failedFor: failedFor), req,
            status: status)
    }

    static func object(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        let input = try req.content.decode(HonourObjectionInput.self)
        return try await Page.attempt(req) {
            _ = try await HonourNoticeService(req.application).object(id, input)
            return req.redirect(to: SiteURL.honourNoticesSent.path, redirectType: .normal)
        } onFailure: { errors in
            try await render(req, errors: errors, failedFor: id.uuidString.lowercased(), status: .unprocessableEntity)
        }
    }

    static func resolve(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        struct Form: Content {
            var status: String?
            var resolution: String?
        }
        let f = try req.content.decode(Form.self)
        guard let o = try await HonourObjectionRecord.find(id, on: req.db) else { throw DomainError.notFound }
        return try await Page.attempt(req) {
            _ = try await HonourNoticeService(req.application).resolve(
                id, .init(status: f.status, resolution: f.resolution), actor: try req.requireActor())
            return req.redirect(to: SiteURL.honour(o.campaignID).path, redirectType: .normal)
        } onFailure: { errors in
            try await HonourPages.renderDetail(req, o.campaignID, errors: errors, status: .unprocessableEntity)
        }
    }
}
