import SkillChainCore
import Vapor

/// The "E-mail and notifications" card of `/account`: where e-mail goes, its language, and per kind of event whether
/// it comes to the inbox only, also by e-mail at once, or in a daily digest.
enum NotificationSettingsPages {
    struct KindRow: Encodable {
        let kind: String
        let label: String
        let options: [ChoiceOption]
    }
    struct Card: Encodable {
        let email: String
        let locales: [ChoiceOption]
        let kinds: [KindRow]
        let mailConfigured: Bool
        let action: String
    }

    static func card(_ req: Request, input: NotificationSettingsInput? = nil) async throws -> Card {
        let actor = try req.requireActor()
        let saved = try await NotificationService(req.application).settings(of: actor.userID)
        let locale = input?.locale.flatMap(AppLocale.init(tag:)) ?? (saved.email == nil ? req.locale : saved.locale)
        return Card(
            email: input?.email ?? saved.email ?? "",
            locales: AppLocale.allCases.map { ChoiceOption(value: $0.rawValue, label: req.t("locale.\($0.rawValue)"), selected: $0 == locale) },
            kinds: NotificationKind.allCases.map { kind in
                let chosen = input?.channels?[kind.rawValue].flatMap(NotificationChannel.init(rawValue:)) ?? saved.channels[kind] ?? .default
                return KindRow(
                    kind: kind.rawValue, label: req.t("notificationKind.\(kind.rawValue)"),
                    options: NotificationChannel.allCases.map {
                        ChoiceOption(value: $0.rawValue, label: req.t("notificationChannel.\($0.rawValue)"), selected: $0 == chosen)
                    })
            }, mailConfigured: saved.mailConfigured, action: SiteURL.ownNotificationSettings.path)
    }

    static func save(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.content.decode(NotificationSettingsInput.self)
        return try await Page.attempt(req) {
            try await NotificationService(req.application).saveSettings(input, actor: actor)
            return Page.redirect(.ownAccount, flash: "flash.notificationSettingsSaved", req)
        } onFailure: {
            try await OwnAccountPages.render(req, errors: $0, notificationInput: input, status: .unprocessableEntity)
        }
    }
}
