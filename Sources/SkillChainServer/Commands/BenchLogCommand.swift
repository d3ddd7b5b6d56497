import Fluent
import SkillChainCore
import Vapor

/// `skillchain bench-log --entries 1000000`: what the transparency log costs (issue 19). Finalizes a batch of 10,000
/// candidates (their certificates logged in the same transaction) and times appending as many entries alone; then
/// grows the log to `--entries` and times a checkpoint and a proof over it. `scripts/bench-log` then serves the log and
/// measures tile rates and a monitor's catch-up.
struct BenchLogCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "entries", help: "size to grow the log to (default 1000000)") var entries: Int?
        @Option(name: "batch", help: "candidates in the issuance batch (default 10000)") var batch: Int?
    }
    var help: String { "Benchmarks the transparency log: its share of an issuance, and a log of a million entries." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let target = signature.entries ?? 1_000_000
        let n = signature.batch ?? 10_000
        try await app.migrateDatabase()
        try await DemoData.load(app)
        guard let hr = try await DemoData.actor(app, username: "hr") else { throw CLIError(message: "demo data missing") }
        func clock() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
        func seconds(_ t: UInt64) -> Double { Double(clock() - t) / 1e9 }

        // Issuance with the log, and the same number of entries appended alone.
        let batch = try await BenchBatch.passed(app, count: n, firstID: 50_000, title: "基准日志批次")
        var t = clock()
        try await BatchService(app).transition(batch, TransitionInput(event: BatchStatus.Event.finalize.rawValue), actor: hr)
        let issuance = seconds(t)
        let org = UUID()
        let credential = String(repeating: "x", count: 3_000)  // about a signed credential's size
        @Sendable func entries(_ range: Range<Int>) -> [LogEntry] {
            range.map { i in
                .certificate(
                    .issued, number: "B\(i)", issuer: CertificateService(app).did(org), credential: credential + String(i),
                    status: CertificateService(app).statusListURL(org, purpose: "revocation") + "#\(i % 131_072)", at: app.now)
            }
        }
        t = clock()
        let first = entries(0..<n)
        try await app.write { db in try await TransparencyLog.append(first, on: db) }
        let alone = seconds(t)
        context.console.print(
            String(
                format: "issuance of %d certificates: %.2f s; appending %d entries alone: %.2f s, %.1f %% of the issuance", n, issuance, n,
                alone, alone / issuance * 100))

        // Grow to the target in transactions of 10,000.
        var size = try await TransparencyLogStore(app.db).size()
        t = clock()
        var next = n
        while size < target {
            let count = min(10_000, target - size)
            let chunk = entries(next..<(next + count))
            try await app.write { db in try await TransparencyLog.append(chunk, on: db) }
            next += count
            size += count
        }
        context.console.print(String(format: "grew the log to %d entries in %.1f s", size, seconds(t)))
        t = clock()
        let (signed, _) = try await TransparencyLog.checkpoint(app)
        context.console.print(String(format: "checkpoint over %d entries signed in %.3f s", signed, seconds(t)))
        t = clock()
        let proof = try await TransparencyLog.proof(number: "B\(next / 2)", app: app)
        context.console.print(String(format: "inclusion proof of entry %d (%d hashes) in %.3f s", proof.index, proof.hashes.count, seconds(t)))
        context.console.print("verifier key: " + (try await TransparencyLog.verifierKey(app)))
    }
}
