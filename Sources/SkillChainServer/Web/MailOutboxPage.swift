import SkillChainCore
import Vapor

/// `/admin/mail`, the platform admin's view of notification e-mail: whether a server is configured, how many messages
/// stand in each state, the deliveries given up on (with the server's last answer), and sending those again.
enum MailOutboxPage {
    struct Row: Encodable {
        let username: String
        let kind: String
        let attempts: Int
        let error: String
        let time: String
    }
    struct Body: Encodable {
        let configured: Bool
        let server: String
        let counts: [ChoiceOption]
        let failures: [Row]
        let hasFailures: Bool
        let retryAction: String
    }

    static func show(_ req: Request) async throws -> Response {
        _ = try req.requireActor()
        let store = EmailOutboxStore(req.db)
        let counts = try await store.counts()
        let settings = req.application.config.smtp
        return try await Page.render(
            "mail-outbox", title: req.t("mail.admin.title"),
            Body(
                configured: req.application.dependencies.mailer != nil,
                server: settings.map { "\($0.host):\($0.port)" } ?? "",
                counts: EmailDeliveryState.allCases.map {
                    ChoiceOption(value: String(counts[$0] ?? 0), label: req.t("mail.state.\($0.rawValue)"), selected: false)
                },
                failures: try await store.failures(limit: 100).map {
                    Row(
                        username: $0.username, kind: req.t("notificationKind.\($0.kind)"), attempts: $0.attempts, error: $0.error,
                        time: Page.time($0.createdAt))
                }, hasFailures: (counts[.failed] ?? 0) > 0, retryAction: SiteURL.mailOutboxRetry.path), req)
    }

    static func retry(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let app = req.application
        let count = try await app.write { db in
            let n = try await EmailOutboxStore(db).retryFailed(now: app.now)
            try await AuditLog.append(
                .init(action: "mail.retried", objectType: "notification", objectID: String(n)), actor: actor, on: db, now: app.now)
            return n
        }
        return Page.redirect(.mailOutbox, flash: count == 0 ? "flash.mailNothingToRetry" : "flash.mailRetried", req)
    }
}
