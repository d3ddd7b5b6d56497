import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Notifications by e-mail through a real SMTP server (aiosmtpd on loopback): the outbox row is written with the change,
/// a worker claims it under a lease and sends it once, in the recipient's language, with a link to the record.
@Suite(.serialized) struct EmailDeliveryTests {
    func setEmail(_ app: Application, _ username: String, _ email: String?, locale: AppLocale = .zhHans) async throws {
        let u = try #require(try await UserRecord.query(on: app.db).filter(\.$username == username).first())
        u.email = email
        u.locale = locale.rawValue
        try await u.update(on: app.db)
    }

    func notifyAll(_ app: Application, _ users: [UUID], kind: NotificationKind = .certificateSuspended, args: [String] = ["No. 1"]) async throws {
        try await app.write { db in
            try await NotificationService(app).notify(NotificationDraft.each(kind, to: users, args: args, link: "/certificates"), on: db)
        }
    }

    @Test func the_school_admin_gets_the_agreement_by_email_in_their_language_over_starttls_with_a_link_that_opens_it() async throws {
        let sink = try SMTPSink(user: "mailer", password: "s3cret-pass", tls: true)
        defer { sink.stop() }
        let url = sink.url(user: "mailer", password: "s3cret-pass")
        try await withTestApp(adjust: { $0.smtp = try? SMTPSettings(url: url) }) { app in
            let w = try await TrainingWorld.make(app)
            try await Fixture.user(app, "school2", org: w.school, role: .schoolAdmin)
            try await setEmail(app, "school2", "wang.li@school.example.cn")
            // The school admin gives an address on their account page and chooses English for e-mails.
            let browser = Browser(app)
            _ = try await browser.login("school")
            var saved = try await browser.post(
                "/account/notifications", form: ["email": " Zhang@School.Example.CN ", "locale": "en", "channels[agreementSent]": "email"])
            #expect(saved.status == .seeOther)
            let hr = try await APIClient(app, "hr")
            let (_, program) = try await hr.call(.POST, "/api/v1/programs", w.programBody(partners: [w.school.id!]))
            let pid = program.string("id").lowercased()
            let coop = try #require((program["cooperationAgreements"] as? [[String: Any]])?.first)
            #expect(try await hr.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "send"]).0 == .ok)
            #expect(try sink.messages().isEmpty, "nothing is sent inside the request; the worker sends")

            try await #require(EmailOutbox(app)).drain()
            let mail = try sink.messages()
            #expect(mail.count == 2)
            let english = try #require(mail.first { $0.rcpt_tos == ["Zhang@school.example.cn"] })
            #expect(english.subject.contains("An agreement of the programme “焊工新型学徒班” waits for your signature"))
            #expect(english.language == "en" && english.tls && english.login == "mailer" && english.defects.isEmpty)
            #expect(english.mail_from == "noreply@skillchain.test")
            let link = "http://127.0.0.1:8080/programs/\(pid)"
            #expect(english.text?.contains(link) == true && english.html?.contains("href=\"\(link)\"") == true)
            let chinese = try #require(mail.first { $0.rcpt_tos == ["wang.li@school.example.cn"] })
            #expect(chinese.subject.contains("焊工新型学徒班") && chinese.subject.contains("待您签署") && chinese.language == "zh-CN")
            #expect(Set(mail.map(\.message_id)).count == 2)
            // The link opens the agreement for the recipient (after signing in).
            let opened = try await browser.get("/programs/\(pid)")
            #expect(opened.status == .ok && opened.body.string.contains("焊工新型学徒班"))

            // A second round sends nothing again.
            try await #require(EmailOutbox(app)).drain()
            #expect(try sink.messages().count == 2)

            // An address that is not one is refused with a localized message, and nothing changes.
            saved = try await browser.post("/account/notifications", form: ["email": "zhang at school", "locale": "en"])
            #expect(saved.status == .unprocessableEntity && saved.body.string.contains("有效的电子邮箱地址"))
            let user = try #require(try await UserRecord.query(on: app.db).filter(\.$username == "school").first())
            #expect(user.email == "Zhang@school.example.cn" && user.locale == "en")
        }
    }

    @Test func a_worker_that_dies_holding_messages_leaves_them_to_another_and_two_workers_never_send_one_twice() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let url = sink.url()
        try await withTestApp(adjust: { $0.smtp = try? SMTPSettings(url: url) }) { app in
            let clock = ManualClock(Date())
            app.dependencies.clock = clock
            let org = try await Fixture.org(app)
            var users: [UUID] = []
            for i in 0..<30 {
                let m = try await Fixture.user(app, "holder\(i)", org: org, role: .learner)
                try await setEmail(app, "holder\(i)", "holder\(i)@example.cn")
                users.append(m.userID)
            }
            try await notifyAll(app, users)
            // A worker claims ten and dies before sending them.
            let dead = try await EmailOutboxStore(app.db).claim(
                owner: "dead", now: clock.now(), until: clock.now().addingTimeInterval(300), limit: 10)
            #expect(dead.count == 10)
            // Two workers drain at once: the other twenty, each once.
            let outbox = try #require(EmailOutbox(app))
            async let a: Void = outbox.drain()
            async let b: Void = outbox.drain()
            _ = try await (a, b)
            #expect(try sink.messages().count == 20)
            // Once the dead worker's lease has passed, its ten are sent.
            clock.advance(seconds: 301)
            try await outbox.drain()
            let mail = try sink.messages()
            #expect(mail.count == 30)
            #expect(Set(mail.flatMap(\.rcpt_tos)) == Set((0..<30).map { "holder\($0)@example.cn" }))
            #expect(Set(mail.map(\.message_id)).count == 30)
            let states = try await EmailOutboxStore(app.db).counts()
            #expect(states == [.sent: 30])
        }
    }

    @Test func an_unreachable_server_is_retried_with_backoff_then_given_up_and_shown_to_the_platform_admin() async throws {
        let sink = try SMTPSink()
        let url = sink.url()
        sink.stop()  // nothing listens on its port any more
        try await withTestApp(adjust: { $0.smtp = try? SMTPSettings(url: url) }) { app in
            let clock = ManualClock(Date())
            app.dependencies.clock = clock
            let org = try await Fixture.org(app)
            let m = try await Fixture.user(app, "holder", org: org, role: .learner)
            try await setEmail(app, "holder", "holder@example.cn")
            try await notifyAll(app, [m.userID])
            let outbox = try #require(EmailOutbox(app))
            var waits: [TimeInterval] = []
            for _ in 0..<EmailRetryPolicy().maxAttempts {
                try await outbox.drain()
                let row = try #require(try await NotificationRecord.query(on: app.db).first())
                if row.emailState == EmailDeliveryState.failed.rawValue { break }
                #expect(row.emailState == EmailDeliveryState.pending.rawValue && row.emailError?.isEmpty == false)
                let wait = try #require(row.emailNextAt).timeIntervalSince(clock.now())
                waits.append(wait.rounded())
                clock.advance(seconds: wait + 1)
            }
            #expect(waits == [60, 120, 240, 480, 960, 1920, 3840])
            let row = try #require(try await NotificationRecord.query(on: app.db).first())
            #expect(row.emailState == EmailDeliveryState.failed.rawValue && row.emailAttempts == 8)
            #expect(row.readAt == nil, "the inbox still has it")

            // The platform admin sees it, with the server's answer, and queues it again; nobody else may.
            let op = try await Fixture.org(app, kind: .hrServiceAgency)
            try await Fixture.user(app, "root", org: op, role: .platformAdmin)
            let admin = Browser(app)
            _ = try await admin.login("root")
            let page = try await admin.get("/admin/mail")
            #expect(page.status == .ok && page.body.string.contains("holder") && page.body.string.contains("证书被暂停"))
            let stranger = Browser(app)
            _ = try await stranger.login("holder")
            #expect(try await stranger.get("/admin/mail").status == .forbidden)
            #expect(try await stranger.post("/admin/mail/retry", form: [:]).status == .forbidden)
            #expect(try await admin.post("/admin/mail/retry", form: [:]).status == .seeOther)
            let again = try #require(try await NotificationRecord.query(on: app.db).first())
            #expect(again.emailState == EmailDeliveryState.pending.rawValue && again.emailAttempts == 0)
        }
    }

    @Test func a_digest_waits_for_eight_in_the_morning_and_inbox_only_sends_nothing() async throws {
        let sink = try SMTPSink()
        defer { sink.stop() }
        let url = sink.url()
        try await withTestApp(adjust: { $0.smtp = try? SMTPSettings(url: url) }) { app in
            // 2026-12-05 10:00 in Beijing.
            let clock = ManualClock(Date(timeIntervalSince1970: 1_796_436_000))
            app.dependencies.clock = clock
            let org = try await Fixture.org(app)
            let digest = try await Fixture.user(app, "digest", org: org, role: .learner)
            let quiet = try await Fixture.user(app, "quiet", org: org, role: .learner)
            try await setEmail(app, "digest", "digest@example.cn", locale: .en)
            try await setEmail(app, "quiet", "quiet@example.cn")
            try await NotificationStore(app.db).setPreferences(of: digest.userID, [.certificateSuspended: .digest, .certificateRevoked: .digest])
            try await NotificationStore(app.db).setPreferences(of: quiet.userID, [.certificateSuspended: .inbox])
            try await notifyAll(app, [digest.userID, quiet.userID], kind: .certificateSuspended, args: ["GD-1"])
            try await notifyAll(app, [digest.userID], kind: .certificateRevoked, args: ["GD-2"])
            let outbox = try #require(EmailOutbox(app))
            try await outbox.drain()
            #expect(try sink.messages().isEmpty)
            clock.advance(seconds: 22 * 3600 - 1)  // 07:59:59 the next day
            try await outbox.drain()
            let early = try sink.messages()
            #expect(early.isEmpty, "\(early.map { ($0.rcpt_tos, $0.subject) })")
            clock.advance(seconds: 1)
            try await outbox.drain()
            let mail = try sink.messages()
            #expect(mail.count == 1)
            #expect(mail.first?.rcpt_tos == ["digest@example.cn"] && mail.first?.subject.contains("2 messages today") == true)
            #expect(mail.first?.text?.contains("GD-1") == true && mail.first?.text?.contains("GD-2") == true)
            #expect(try await EmailOutboxStore(app.db).counts() == [.digested: 2])
            #expect(try await NotificationRecord.query(on: app.db).count() == 3, "every one is in the inbox")
        }
    }
}
