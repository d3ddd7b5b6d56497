import Fluent
import SkillChainCore
import Vapor

/// Public notice (公示): anyone can read it and object, without signing in.
enum NoticePages {
    struct Line: Encodable {
        let name: String
        let maskedID: String
        let occupation: String
        let level: String
        let body: String
    }
    struct BatchView: Encodable {
        let id: String
        let title: String
        let body: String
        let period: String
        let lines: [Line]
        let hasLines: Bool
        let action: String
        let open: Bool
    }
    struct Body: Encodable {
        let batches: [BatchView]
        let hasBatches: Bool
        let values: [String: String]
        let errors: [String: String]
        let errorBatch: String
        let sent: Bool
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(
        _ req: Request, values: [String: String] = [:], errors: [String: String] = [:], errorBatch: String = "", status: HTTPStatus = .ok
    ) async throws -> Response {
        let today = req.today
        let batches = try await NoticeService.current(on: req.db, today: today)
        return try await Page.render(
            "notices", title: req.t("notices.title"),
            Body(
                batches: batches.map { n in
                    BatchView(
                        id: n.batch.id!.uuidString.lowercased(), title: n.batch.title, body: n.body,
                        period: req.t("programs.dates", [n.period.from.description, n.period.until.description]),
                        lines: n.lines.map {
                            Line(
                                name: $0.name, maskedID: $0.maskedID, occupation: $0.occupation, level: req.t("level.\($0.level.rawValue)"),
                                body: $0.body)
                        },
                        hasLines: !n.lines.isEmpty, action: SiteURL.noticeObjections(n.batch.id!).path, open: n.period.isOpen(on: today))
                },
                hasBatches: !batches.isEmpty, values: values, errors: errors, errorBatch: errorBatch,
                sent: (try? req.query.get(String.self, at: "sent")) == "1"), req, status: status)
    }

    static func object(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        let input = try req.content.decode(ObjectionInput.self)
        guard try await ObjectionThrottle.allow(req) else {
            return try await render(
                req, values: ["candidate": input.candidate ?? "", "text": input.text ?? ""].filter { !$0.value.isEmpty },
                errors: ["form": req.t("objection.tooMany")], errorBatch: id.uuidString.lowercased(), status: .tooManyRequests)
        }
        return try await Page.attempt(req) {
            _ = try await NoticeService(req.application).object(id, input)
            return req.redirect(to: SiteURL.noticesSent.path, redirectType: .normal)
        } onFailure: { errors in
            try await render(
                req,
                values: ["candidate": input.candidate ?? "", "text": input.text ?? "", "contact": input.contact ?? ""].filter { !$0.value.isEmpty },
                errors: errors, errorBatch: id.uuidString.lowercased(), status: .unprocessableEntity)
        }
    }
}
