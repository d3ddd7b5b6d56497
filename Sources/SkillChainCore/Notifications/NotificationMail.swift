import Foundation

/// The text of a notification e-mail in the recipient's language: one hand-over at once, or a day's in one digest.
/// Only what the inbox line says (names and numbers the recipient may see) and a link to the record; the link needs a
/// sign-in, so what it opens is checked again there.
public struct NotificationMail: Sendable {
    public struct Item: Sendable, Equatable {
        public let kind: NotificationKind
        public let args: [String]
        /// The absolute address of the record.
        public let link: String

        public init(kind: NotificationKind, args: [String], link: String) {
            self.kind = kind
            self.args = args
            self.link = link
        }
    }

    public struct Content: Sendable, Equatable {
        public let subject: String
        public let text: String
        public let html: String
    }

    public let localizer: Localizer
    public let locale: AppLocale
    /// What the recipient is called (their display name).
    public let recipientName: String
    /// The absolute address of the account page, where the choice of channel is made.
    public let settingsLink: String

    public init(localizer: Localizer, locale: AppLocale, recipientName: String, settingsLink: String) {
        self.localizer = localizer
        self.locale = locale
        self.recipientName = recipientName
        self.settingsLink = settingsLink
    }

    func t(_ key: String, _ args: [String] = []) -> String { localizer.string(key, locale, args) }

    public func single(_ item: Item) -> Content {
        let line = t(item.kind.textKey, item.args)
        return compose(subject: "[\(t("app.name"))] " + line, intro: nil, items: [(line, item.link)])
    }

    public func digest(_ items: [Item]) -> Content {
        let lines = items.map { (t($0.kind.textKey, $0.args), $0.link) }
        return compose(subject: "[\(t("app.name"))] " + t("mail.digestSubject", [String(items.count)]), intro: t("mail.digestIntro"), items: lines)
    }

    private func compose(subject: String, intro: String?, items: [(String, String)]) -> Content {
        var text = [t("mail.greeting", [recipientName]), ""]
        if let intro { text += [intro, ""] }
        for (line, link) in items { text += [line, t("mail.open") + " " + link, ""] }
        text += ["--", t("mail.footer"), settingsLink]
        let esc = Self.escape
        var html = ["<!doctype html><html lang=\"\(locale == .en ? "en" : "zh-CN")\"><body>", "<p>\(esc(t("mail.greeting", [recipientName])))</p>"]
        if let intro { html.append("<p>\(esc(intro))</p>") }
        html.append("<ul>")
        for (line, link) in items { html.append("<li>\(esc(line)) <a href=\"\(esc(link))\">\(esc(t("mail.open")))</a></li>") }
        html += [
            "</ul>", "<hr><p><small>\(esc(t("mail.footer"))) <a href=\"\(esc(settingsLink))\">\(esc(settingsLink))</a></small></p>", "</body></html>",
        ]
        return Content(subject: subject, text: text.joined(separator: "\n"), html: html.joined(separator: "\n"))
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
