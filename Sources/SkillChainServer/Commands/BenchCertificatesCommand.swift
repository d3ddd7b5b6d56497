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
        guard let hr = try await DemoData.actor(app, username: "hr"),
            let lead = try await OrganizationRecord.query(on: app.db).filter(\.$name == "东莞智感视觉科技有限公司").first(),
            let final = try await EvaluationBatchRecord.query(on: app.db).filter(\.$status == BatchStatus.final.rawValue).first()
        else { throw CLIError(message: "demo data missing") }
        let d = try await BatchService.load(final.id!, on: app.db)
        let batch = EvaluationBatchRecord()
        batch.organizationID = lead.id!
        batch.filingID = d.batch.filingID
        batch.regionCode = d.batch.regionCode
        batch.title = "基准证书批次"
        batch.occupationCode = d.batch.occupationCode
        batch.level = d.batch.level
        batch.method = d.batch.method
        batch.status = BatchStatus.inNotice.rawValue
        batch.site = "-"
        batch.theoryDay = d.batch.theoryDay
        batch.practicalDay = d.batch.practicalDay
        batch.theoryMinutes = 90
        batch.theoryMinimumMinutes = 30
        batch.questionCount = 10
        try await batch.create(on: app.db)
        t = clock()
        let cipher = app.personalData
        try await app.write { db in
            for i in 0..<n {
                let id = benchCitizenID(i)
                let p = PersonRecord()
                p.version = 1
                p.organizationID = lead.id!
                p.name = "持证人\(i)"
                p.citizenIDSealed = try cipher.seal(id)
                p.citizenIDIndex = cipher.blindIndex(id)
                p.citizenIDMasked = String(id.prefix(4)) + "**********" + String(id.suffix(4))
                p.sex = "male"
                p.birthDate = "1990-01-01"
                p.phoneSealed = try cipher.seal("13900000000")
                p.phoneMasked = "139****0000"
                p.education = "technicalSchool"
                p.category = "employee"
                try await p.create(on: db)
                let r = RegistrationRecord()
                r.batchID = batch.id!
                r.personID = p.id!
                r.citizenIDIndex = p.citizenIDIndex
                r.clauseID = "A-4-1"
                r.facts = "{}"
                r.shortfalls = "[]"
                r.engineEligible = true
                r.eligibility = "eligible"
                r.theoryScore = 80
                r.practicalScore = 78
                r.needsReconciliation = false
                r.outcome = RegistrationOutcome.passed.rawValue
                try await r.create(on: db)
            }
        }
        context.console.print(String(format: "setup: %d passed candidates in %.1f s", n, seconds(t)))
        let detail = try await BatchService.load(batch.id!, on: app.db)
        t = clock()
        let prepared = try await CertificateService.prepare(detail, app: app, today: app.today)
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
            try await CertificateService.commit(prepared, batchID: batch.id!, actor: hr, on: db, now: app.now)
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

/// A distinct, valid citizen ID number for the i-th benchmark person (Dongguan, born 1970–1999).
func benchCitizenID(_ i: Int) -> String {
    CitizenID.completing(
        String(format: "4419%02d19%02d%02d%02d%03d", (i / 1000) % 100, 70 + (i / 336) % 30, 1 + (i / 28) % 12, 1 + i % 28, i % 1000))!.value
}
