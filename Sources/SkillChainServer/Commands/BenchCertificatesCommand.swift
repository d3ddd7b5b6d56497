import Crypto
import Fluent
import SkillChainCore
import Vapor

/// `skillchain bench-certificates --count 10000`: Ed25519 sign/verify rates and the issuance of one batch of N
/// certificates in one transaction (number, signed credential, JWT, status indexes, audit entry each).
struct BenchCertificatesCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count", help: "certificates in the batch (default 10000)") var count: Int?
    }
    var help: String { "Benchmarks credential signing and certificate issuance." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let n = signature.count ?? 10_000
        try await app.migrateDatabase()
        try await DemoData.load(app)
        func clock() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
        func seconds(_ t: UInt64) -> Double { Double(clock() - t) / 1e9 }
        // Raw Ed25519.
        let key = Curve25519.Signing.PrivateKey()
        let message = Data(repeating: 7, count: 64)
        var t = clock()
        var signature = Data()
        for _ in 0..<20_000 { signature = try key.signature(for: message) }
        context.console.print(String(format: "Ed25519 sign      %9.0f /s", 20_000 / seconds(t)))
        t = clock()
        var ok = true
        for _ in 0..<20_000 { ok = ok && key.publicKey.isValidSignature(signature, for: message) }
        context.console.print(String(format: "Ed25519 verify    %9.0f /s", 20_000 / seconds(t)))
        // One batch of n who passed, set up directly (registration and scoring are benchmarked by bench-evaluation).
        guard let hr = try await DemoData.actor(app, username: "hr") else { throw CLIError(message: "demo data missing") }
        t = clock()
        let batch = try await BenchBatch.passed(app, count: n, title: "基准证书批次")
        context.console.print(String(format: "setup: %d passed candidates in %.1f s", n, seconds(t)))
        let detail = try await BatchService.load(batch, on: app.db)
        t = clock()
        let prepared = try await CertificateService(app).prepare(detail, today: app.today)
        let signing = seconds(t)
        let t2 = clock()
        // Another user's small write (one audited change), started 50 ms into the commit: how long it waits.
        let other = Task { () -> Double in
            try await Task.sleep(nanoseconds: 50_000_000)
            let start = clock()
            try await app.write { db in
                try await AuditLog.append(
                    .init(action: "bench.otherUser", objectType: "organization", objectID: nil), actor: hr, on: db, now: app.now)
            }
            return Double(clock() - start) / 1e9
        }
        try await app.write { db in
            try await CertificateService.commit(prepared, batchID: batch, actor: hr, on: db, now: app.now)
        }
        let commit = seconds(t2)
        let s = seconds(t)
        let issued = prepared.count
        context.console.print("prepare: \(prepared.timings)")
        context.console.print(String(format: "prepared (read, numbered, signed; no lock held) in %.2f s", signing))
        context.console.print(String(format: "committed in one transaction (write lock held) in %.2f s", commit))
        context.console.print(String(format: "issued %d certificates: %.2f s (%.0f /s)", issued, s, Double(issued) / s))
        context.console.print(String(format: "another user's write, started 50 ms into the commit, waited %.2f s", try await other.value))
        let audit = try await AuditLog.verify(on: app.db)
        context.console.print("audit intact: \(audit.isIntact), entries \(audit.checked)")
    }
}
