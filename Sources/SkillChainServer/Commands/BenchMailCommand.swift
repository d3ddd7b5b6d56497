import Fluent
import SkillChainCore
import Vapor

/// `skillchain bench-mail --count 10000` (with `SKILLCHAIN_SMTP_URL` set): finalizes a batch of N candidates who each
/// have an account with an e-mail address, and one of N without accounts, timing both (the notifications are written in
/// the finalization's transaction); then drains the outbox into the SMTP server and times that. `--no-drain` leaves the
/// e-mail queued (the kill test in `scripts/test` starts the server on it); `--no-compare` skips the batch without
/// accounts.
struct BenchMailCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count", help: "candidates in the batch (default 10000)") var count: Int?
        @Flag(name: "no-drain", help: "leave the e-mail queued") var noDrain: Bool
        @Flag(name: "no-compare", help: "skip the batch without accounts") var noCompare: Bool
    }
    var help: String { "Benchmarks notification e-mail: a batch finalization's notifications and draining the outbox." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let n = signature.count ?? 10_000
        guard app.dependencies.mailer != nil else { throw CLIError(message: "set SKILLCHAIN_SMTP_URL to the SMTP server to deliver to") }
        try await app.migrateDatabase()
        try await DemoData.load(app)
        guard let hr = try await DemoData.actor(app, username: "hr") else { throw CLIError(message: "demo data missing") }
        func clock() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
        func seconds(_ t: UInt64) -> Double { Double(clock() - t) / 1e9 }
        func finalize(_ batch: UUID) async throws -> Double {
            let t = clock()
            try await BatchService(app).transition(batch, TransitionInput(event: BatchStatus.Event.finalize.rawValue), actor: hr)
            return seconds(t)
        }
        var t = clock()
        let told = try await BenchBatch.passed(app, count: n, firstID: 50_000, title: "基准通知批次", emailDomain: "bench.example.cn")
        context.console.print(String(format: "setup: %d candidates with accounts and addresses in %.1f s", n, seconds(t)))
        let withMail = try await finalize(told)
        let queued = try await EmailOutboxStore(app.db).counts()[.pending] ?? 0
        context.console.print(String(format: "finalized, %d certificates and %d notifications queued for e-mail, in %.2f s", n, queued, withMail))
        if !signature.noCompare {
            let silent = try await BenchBatch.passed(app, count: n, firstID: 70_000, title: "基准无账号批次")
            let without = try await finalize(silent)
            context.console.print(
                String(
                    format: "finalized %d certificates without accounts (no notifications) in %.2f s: the notifications add %.1f %%", n, without,
                    (withMail / without - 1) * 100))
        }
        guard !signature.noDrain, let outbox = EmailOutbox(app) else { return }
        t = clock()
        try await outbox.drain()
        let drained = seconds(t)
        let counts = try await EmailOutboxStore(app.db).counts()
        context.console.print(
            String(
                format: "drained the outbox: %d sent, %d waiting, %d failed in %.1f s (%.0f messages/s)", counts[.sent] ?? 0, counts[.pending] ?? 0,
                counts[.failed] ?? 0, drained, Double(counts[.sent] ?? 0) / drained))
    }
}
