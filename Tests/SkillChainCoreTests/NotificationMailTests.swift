import Foundation
import Testing

@testable import SkillChainCore

/// The rules of notification e-mail: which addresses are taken, when a failure is tried again, when the digest goes,
/// and what a message says and how it is encoded.
@Suite struct NotificationMailTests {
    @Test func an_address_is_one_ascii_mailbox_with_its_domain_in_lower_case() throws {
        #expect(try EmailAddress.normalise("  Zhang.San@Example.CN ") == "Zhang.San@example.cn")
        #expect(try EmailAddress.normalise("a+tag@mail.school-1.edu.cn") == "a+tag@mail.school-1.edu.cn")
        for bad in [
            "", "zhang", "@example.cn", "zhang@", "zhang@cn", "zhang san@example.cn", "a@b@example.cn", "a@-x.cn", "a..b@example.cn",
            "a@example.cn\r\nBcc: x@evil.cn", "a@example.cn>, <x@evil.cn", "张三@例子.中国", String(repeating: "a", count: 65) + "@example.cn",
        ] {
            #expect(throws: EmailAddress.Problem.invalid, "\(bad)") { try EmailAddress.normalise(bad) }
        }
        #expect(EmailAddress.mask("zhang@example.cn") == "z***@example.cn")
    }

    @Test func a_failure_waits_twice_as_long_each_time_and_a_permanent_refusal_is_not_retried() {
        let policy = EmailRetryPolicy(maxAttempts: 4, firstDelay: 60, maxDelay: 150)
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(policy.after(attempt: 1, failedAt: now, permanent: false) == .retry(at: now.addingTimeInterval(60)))
        #expect(policy.after(attempt: 2, failedAt: now, permanent: false) == .retry(at: now.addingTimeInterval(120)))
        #expect(policy.after(attempt: 3, failedAt: now, permanent: false) == .retry(at: now.addingTimeInterval(150)))
        #expect(policy.after(attempt: 4, failedAt: now, permanent: false) == .giveUp)
        #expect(policy.after(attempt: 1, failedAt: now, permanent: true) == .giveUp)
    }

    @Test func the_digest_goes_at_the_next_eight_in_the_morning_in_beijing() {
        // 2026-12-05 07:59:59, 08:00:00 and 23:30 in Beijing (UTC+8).
        let before = Date(timeIntervalSince1970: 1_796_428_799)
        #expect(DigestSchedule.next(after: before) == Date(timeIntervalSince1970: 1_796_428_800))
        #expect(DigestSchedule.next(after: before.addingTimeInterval(1)) == Date(timeIntervalSince1970: 1_796_428_800 + 86_400))
        #expect(DigestSchedule.next(after: Date(timeIntervalSince1970: 1_796_484_600)) == Date(timeIntervalSince1970: 1_796_428_800 + 86_400))
    }

    static let localizer = Localizer(catalogs: [
        .zhHans: [
            "app.name": "技能生态链平台", "notification.certificateSuspended": "您的证书 {0} 已被暂停。", "mail.greeting": "{0}，您好：",
            "mail.open": "打开：", "mail.footer": "自动发送。", "mail.digestSubject": "今天的 {0} 条消息", "mail.digestIntro": "以下事项：",
        ],
        .en: [
            "app.name": "SkillChain", "notification.certificateSuspended": "Your certificate {0} has been suspended.", "mail.greeting": "Hello {0},",
        ],
    ])

    @Test func a_message_names_the_record_links_to_it_and_escapes_what_users_typed() {
        let mail = NotificationMail(localizer: Self.localizer, locale: .zhHans, recipientName: "王<b>丽</b>", settingsLink: "https://x.cn/account")
        let one = mail.single(.init(kind: .certificateSuspended, args: ["GD-2026-1"], link: "https://x.cn/certificates"))
        #expect(one.subject == "[技能生态链平台] 您的证书 GD-2026-1 已被暂停。")
        #expect(one.text.contains("王<b>丽</b>，您好：") && one.text.contains("打开： https://x.cn/certificates"))
        #expect(one.html.contains("王&lt;b&gt;丽&lt;/b&gt;") && one.html.contains("<a href=\"https://x.cn/certificates\">"))
        let digest = mail.digest([
            .init(kind: .certificateSuspended, args: ["A"], link: "https://x.cn/1"),
            .init(kind: .certificateSuspended, args: ["B"], link: "https://x.cn/2"),
        ])
        #expect(digest.subject == "[技能生态链平台] 今天的 2 条消息" && digest.text.contains("证书 A") && digest.text.contains("证书 B"))
        let english = NotificationMail(localizer: Self.localizer, locale: .en, recipientName: "Li", settingsLink: "s")
        #expect(english.single(.init(kind: .certificateSuspended, args: ["N"], link: "l")).text.hasPrefix("Hello Li,"))
    }

    @Test func the_rendered_message_is_mime_with_encoded_words_short_lines_and_a_stable_message_id() {
        let m = MailMessage(
            fromAddress: "noreply@x.cn", fromName: "技能生态链平台", to: "a@x.cn", subject: String(repeating: "证书已暂停", count: 8),
            text: "正文\n.line", html: "<p>正文</p>", messageID: "abc-123@x.cn", date: Date(timeIntervalSince1970: 0), language: .zhHans)
        let lines = m.rendered.components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
        #expect(lines.contains("Message-ID: <abc-123@x.cn>") && lines.contains("Date: Thu, 01 Jan 1970 08:00:00 +0800"))
        #expect(lines.first { $0.hasPrefix("Subject: ") }?.hasPrefix("Subject: =?UTF-8?B?") == true)
        #expect(lines.contains("From: =?UTF-8?B?\(Data("技能生态链平台".utf8).base64EncodedString())?= <noreply@x.cn>"))
        #expect(!m.rendered.contains("正文"), "bodies are base64, so no 8-bit text and no line starting with a dot reaches the server")
        #expect(MailMessage.encodedWord("Plain ASCII") == "Plain ASCII")
    }
}
