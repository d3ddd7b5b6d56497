import Foundation
import SkillChainCore
import Vapor

/// Delivers the e-mail of notifications (issue 18): each round claims due rows under a lease, sends them in one SMTP
/// session and records each outcome as soon as the server answered it, so a worker that dies leaves at most the message
/// it was sending to be sent again (with the same `Message-ID`). Failures wait (`EmailRetryPolicy`), then give up and
/// show on the platform admin's mail page.
struct EmailOutbox: Sendable {
    let app: Application
    let transport: any MailTransport
    var retry = EmailRetryPolicy()
    /// How long a claimed row is ours (`SKILLCHAIN_MAIL_LEASE_SECONDS`); a round stops sending a fifth of it before
    /// the lease ends and gives the rest back, so no other worker takes a row this one may still send.
    var lease: TimeInterval
    var batch = 50
    /// Told to stop (shutdown): no new letter is started.
    let stopping = StopFlag()

    init?(_ app: Application) {
        guard let transport = app.dependencies.mailer else { return nil }
        self.app = app
        self.transport = transport
        self.lease = app.config.mailLeaseSeconds
    }

    /// One round: answers how many notifications it dealt with (0: nothing was due).
    @discardableResult
    func deliverDue() async throws -> Int {
        let owner = app.random.uuid().uuidString.lowercased()
        let now = app.now
        let store = EmailOutboxStore(app.db)
        let until = now.addingTimeInterval(lease)
        let due = try await store.claim(owner: owner, now: now, until: until, limit: batch)
        guard !due.isEmpty else { return 0 }
        let noAddress = due.filter { $0.email == nil }.map(\.id)
        try await store.dropEmail(noAddress, owner: owner)
        // A message each for `pending`; one per recipient for their due digest lines.
        var letters: [(ids: [UUID], message: MailMessage, attempts: Int)] = []
        for d in due where d.email != nil && d.state == .pending {
            letters.append(([d.id], message(for: [d], digest: false), d.attempts))
        }
        let digests = Dictionary(grouping: due.filter { $0.email != nil && $0.state == .digest }, by: \.userID)
        for (_, lines) in digests.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            letters.append((lines.map(\.id), message(for: lines, digest: true), lines.map(\.attempts).max() ?? 1))
        }
        var session: (any MailSession)?
        for (index, letter) in letters.enumerated() {
            // Shutting down, or the lease is running out: the rest go back for the next round (of this or another worker).
            if stopping.isSet || app.now >= until.addingTimeInterval(-lease / 5) {
                try await store.release(letters[index...].flatMap(\.ids), owner: owner)
                break
            }
            do {
                if session == nil { session = try await transport.open() }
                let outcome = try await session!.send(letter.message)
                switch outcome {
                case .accepted: try await store.markSent(letter.ids, owner: owner, now: app.now)
                case .transient(let why): try await failed(letter.ids, attempts: letter.attempts, why: why, permanent: false, owner: owner)
                case .permanent(let why): try await failed(letter.ids, attempts: letter.attempts, why: why, permanent: true, owner: owner)
                }
            } catch {
                // The connection is gone: this letter and those after it wait for the next attempt.
                let why = String(describing: error)
                app.logger.warning("e-mail delivery failed", metadata: ["error": .string(why)])
                for rest in letters[index...] {
                    try await failed(rest.ids, attempts: rest.attempts, why: why, permanent: false, owner: owner)
                }
                session = nil
                break
            }
        }
        await session?.close()
        return due.count
    }

    /// Rounds until nothing is due (tests, and the worker after a pause).
    func drain() async throws {
        while !stopping.isSet, try await deliverDue() > 0 {}
    }

    private func failed(_ ids: [UUID], attempts: Int, why: String, permanent: Bool, owner: String) async throws {
        let store = EmailOutboxStore(app.db)
        switch retry.after(attempt: attempts, failedAt: app.now, permanent: permanent) {
        case .retry(let at): try await store.markRetry(ids, owner: owner, next: at, error: why)
        case .giveUp: try await store.markFailed(ids, owner: owner, error: why)
        }
    }

    private func message(for items: [EmailOutboxStore.Due], digest: Bool) -> MailMessage {
        let first = items[0]
        let base = CertificateService(app).baseURL()
        let mail = NotificationMail(
            localizer: app.localizer, locale: first.locale, recipientName: first.displayName, settingsLink: base + SiteURL.ownAccount.path)
        let lines = items.map { NotificationMail.Item(kind: $0.kind, args: $0.args, link: base + $0.link) }
        let content = digest ? mail.digest(lines) : mail.single(lines[0])
        let settings = app.config.smtp
        let host = app.config.publicURL.host ?? "skillchain"
        return MailMessage(
            fromAddress: settings?.from ?? "noreply@\(host)", fromName: settings?.fromName ?? app.localizer.string("app.name", first.locale),
            to: first.email ?? "", subject: content.subject, text: content.text, html: content.html,
            messageID: "\(first.id.uuidString.lowercased())\(digest ? ".digest" : "")@\(host)", date: app.now, language: first.locale)
    }

    /// The worker while serving: a round every `every` seconds, until shutdown.
    /// Not cancelled but told to stop: cancelling would also end the wait for the server's answer to the message in
    /// flight, which then would be sent again; told to stop, the worker finishes that message and hands back the rest.
    func start(every seconds: Double) -> BackgroundTaskShutdown {
        let task = Task {
            while !stopping.isSet {
                do { try await drain() } catch {
                    app.logger.error("e-mail outbox round failed", metadata: ["error": .string(String(describing: error))])
                }
                var waited = 0.0
                while waited < seconds, !stopping.isSet {
                    try? await Task.sleep(nanoseconds: 100_000_000)
                    waited += 0.1
                }
            }
        }
        return BackgroundTaskShutdown(task: task, stop: { [stopping] in stopping.set() })
    }
}

/// Stops a background loop (the outbox worker, the daily check) when the application shuts down; what it is doing is
/// finished first.
struct BackgroundTaskShutdown: LifecycleHandler {
    let task: Task<Void, Never>
    /// How to ask the loop to stop; nil: cancel it.
    var stop: (@Sendable () -> Void)? = nil

    func shutdownAsync(_ application: Application) async {
        guard let stop else {
            task.cancel()
            _ = await task.value
            return
        }
        stop()
        let task = self.task
        if !(await finishWithin(application.config.shutdownSeconds) { _ = await task.value }) {
            task.cancel()
            application.logger.warning("shutdown: e-mail delivery still running after \(application.config.shutdownSeconds) s; stopped")
        }
    }
}

/// Set once, read by a worker between messages.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
