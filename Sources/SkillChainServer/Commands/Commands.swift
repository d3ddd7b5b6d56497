import Crypto
import Fluent
import SkillChainCore
import Vapor

/// `skillchain migrate`: applies every pending numbered migration (no prompt).
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Applies pending database migrations." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.migrateDatabase()
        context.console.print("Migrations applied.")
    }
}

/// `skillchain demo`: loads the demo chain into the configured database.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Loads the demo ecological chain (idempotent)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.migrateDatabase()
        try await DemoData.load(context.application)
    }
}

/// `skillchain users create --username … --org … --role …`
struct UsersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create") var action: String
        @Option(name: "username", help: "login name (lowercase letters, digits, . _ -)") var username: String?
        @Option(name: "org", help: "organization id, credit code or exact name") var org: String?
        @Option(name: "role", help: "role, e.g. enterpriseAdmin") var role: String?
        @Option(name: "name", help: "display name") var name: String?
    }
    var help: String { "Creates a user (password from SKILLCHAIN_NEW_PASSWORD, or a random one printed once) with a membership." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard signature.action == "create" else { throw CLIError(message: "unknown action \(signature.action); use: users create") }
        guard let username = signature.username, let orgRef = signature.org, let role = signature.role else {
            throw CLIError(message: "--username, --org and --role are required; roles: " + Role.allCases.map(\.rawValue).joined(separator: ", "))
        }
        try await app.migrateDatabase()
        let org = try await OrganizationRecord.matching(orgRef, on: app.db)
        let generated = Environment.get("SKILLCHAIN_NEW_PASSWORD") == nil
        let password = Environment.get("SKILLCHAIN_NEW_PASSWORD") ?? Tokens.random(bytes: 12)
        do {
            try await AccountService.addMembership(.init(username: username, displayName: signature.name, password: password,
                                                         organizationId: org.id, role: role), actor: nil, app: app)
        } catch let failure as ValidationFailure {
            throw CLIError(message: failure.errors.map { "\($0.field): \(app.localizer.string($0.code, .en, $0.args))" }.joined(separator: "; "))
        }
        context.console.print("Created \(role) membership for \(username) in \(org.name).")
        if generated { context.console.print("Initial password (shown once): \(password)") }
    }
}

struct CLIError: Error, CustomStringConvertible { let message: String; var description: String { message } }

extension OrganizationRecord {
    /// The organization a command's `--org` names: its id, credit code or exact name.
    static func matching(_ ref: String, on db: any Database) async throws -> OrganizationRecord {
        let org = try await OrganizationRecord.query(on: db).group(.or) { g in
            if let id = UUID(uuidString: ref) { g.filter(\.$id == id) }
            g.filter(\.$creditCode == ref.uppercased()).filter(\.$name == ref)
        }.first()
        guard let org else { throw CLIError(message: "no organization matches --org \(ref)") }
        return org
    }
}

/// `skillchain audit verify`: walks the hash chain; exits non-zero naming the first broken entry.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify") var action: String
    }
    var help: String { "Verifies the audit log hash chain." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else { throw CLIError(message: "unknown action \(signature.action); use: audit verify") }
        let result = try await AuditLog.verify(on: context.application.db)
        if result.isIntact {
            context.console.print("Audit log intact: \(result.checked) entries verified.")
        } else {
            throw CLIError(message: "Audit log broken at entry \(result.firstBroken ?? 0) (\(result.failure?.rawValue ?? "")).")
        }
    }
}

/// `skillchain bench-evaluation --candidates 2000`: on the demo data, runs one batch of N candidates through the
/// services a user's requests go through (each score its own transaction with its audit entry) and prints the time of
/// every phase. Needs a fresh database: it adds N people to the demo's lead enterprise.
struct BenchEvaluationCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "candidates", help: "number of candidates (default 2000)") var candidates: Int?
    }
    var help: String { "Benchmarks scoring and finalizing an evaluation batch (3 assessors per candidate)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let n = signature.candidates ?? 2000
        try await app.migrateDatabase()
        try await DemoData.load(app)
        guard let hr = try await DemoData.actor(app, username: "hr"), let gov = try await DemoData.actor(app, username: "gov"),
              let supervisor = try await DemoData.actor(app, username: "supervisor"),
              let a1 = try await DemoData.actor(app, username: "assessor"), let a2 = try await DemoData.actor(app, username: "assessor2"),
              let a3 = try await DemoData.actor(app, username: "assessor3"),
              let lead = try await OrganizationRecord.query(on: app.db).filter(\.$name == "东莞智感视觉科技有限公司").first()
        else { throw CLIError(message: "demo data missing") }
        func clock() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
        func report(_ label: String, _ start: UInt64, _ count: Int? = nil) {
            let s = Double(clock() - start) / 1e9
            let per = count.map { String(format: " (%.2f ms each)", s * 1000 / Double($0)) } ?? ""
            context.console.print(label.padding(toLength: 40, withPad: " ", startingAt: 0) + String(format: "%8.2f s", s) + per)
        }
        var t = clock()
        var people: [UUID] = []
        for i in 0..<n {
            let citizenID = benchCitizenID(i)
            let p = try await PersonService.create(.init(name: "考生\(i)", citizenId: citizenID, phone: String(format: "139%08d", i), education: "technicalSchool",
                                                         category: "employee"), organizationID: lead.id!, actor: nil, app: app)
            people.append(p.id!)
        }
        report("people created (setup)", t, n)
        let today = Day(Date())
        let b = try await BatchService.create(.init(title: "基准批次", occupationCode: "6-21-04-01", level: "level4", method: "examination", site: "基地",
                                                    theoryDay: today.description, practicalDay: today.description, theoryMinutes: 90,
                                                    theoryMinimumMinutes: 30, questionCount: 10), actor: hr, app: app)
        let id = b.id!
        func person(_ name: String) async throws -> UUID {
            try await PersonRecord.query(on: app.db).filter(\.$name == name).filter(\.$organizationID == lead.id!).first()!.id!
        }
        for name in ["刘建国", "林芳", "罗斌"] { try await BatchService.assign(id, .init(personId: try await person(name), duty: "assessor"), actor: hr, app: app) }
        for name in ["何静", "钱磊"] { try await BatchService.assign(id, .init(personId: try await person(name), duty: "proctor", room: "A101"), actor: hr, app: app) }
        try await BatchService.assign(id, .init(personId: try await person("郑伟"), duty: "supervisor"), actor: hr, app: app)
        for (e, who) in [("submitPlan", hr), ("approvePlan", gov), ("openRegistration", hr)] {
            try await BatchService.transition(id, .init(event: e), actor: who, app: app)
        }
        t = clock()
        var regs: [UUID] = []
        for p in people {
            regs.append(try await RegistrationService.register(id, .init(personId: p, clauseId: "A-4-1", yearsInOccupation: 4, certificateOccupationCode: "6-21-04-01",
                                                                         certificateLevel: "level5", certificateYears: 3), actor: hr, app: app).id!)
        }
        report("registrations with eligibility", t, n)
        t = clock()
        _ = try await RegistrationService.reviewAll(id, actor: hr, app: app)
        try await BatchService.transition(id, .init(event: "closeRegistration"), actor: hr, app: app)
        try await BatchService.transition(id, .init(event: "holdExams"), actor: hr, app: app)
        report("eligibility review + close + hold", t)
        let total = clock()
        t = clock()
        for (i, r) in regs.enumerated() {
            for (k, a) in [a1, a2, a3].enumerated() {
                try await RegistrationService.score(r, .init(subject: "practical", score: Double(60 + (i * 7) % 30 + k * 3)), actor: a, app: app)
            }
        }
        report("practical scores (3 per candidate)", t, 3 * n)
        t = clock()
        for (i, r) in regs.enumerated() { try await RegistrationService.enterTheory(r, .init(score: Double(50 + i % 50)), actor: hr, app: app) }
        report("theory scores entered", t, n)
        t = clock()
        try await BatchService.transition(id, .init(event: "signOff"), actor: supervisor, app: app)
        report("supervisor sign-off", t)
        t = clock()
        try await BatchService.transition(id, .init(event: "publishNotice"), actor: hr, app: app)
        _ = try await NoticeService.current(on: app.db, today: app.today)
        report("publish notice + render notice data", t)
        t = clock()
        try await BatchService.transition(id, .init(event: "finalize"), actor: hr, app: app, today: today.plusDays(30))
        report("finalize (after the notice period)", t)
        report("scoring to final, total", total)
        let passed = try await RegistrationRecord.query(on: app.db).filter(\.$batchID == id).filter(\.$outcome == "passed").count()
        context.console.print("candidates \(n), passed \(passed), audit intact: \(try await AuditLog.verify(on: app.db).isIntact)")
    }
}

/// `skillchain keys rotate --org ORG`: a new Ed25519 signing key for an evaluation body; the old public keys stay in
/// its DID document so certificates signed with them keep verifying.
struct KeysCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "rotate") var action: String
        @Option(name: "org", help: "organization id, credit code or exact name") var org: String?
    }
    var help: String { "Rotates an evaluation body's credential signing key." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard signature.action == "rotate" else { throw CLIError(message: "unknown action \(signature.action); use: keys rotate --org …") }
        guard let orgRef = signature.org else { throw CLIError(message: "--org is required") }
        try await app.migrateDatabase()
        let org = try await OrganizationRecord.matching(orgRef, on: app.db)
        let key = try await CertificateService.rotate(org.id!, actor: nil, app: app)
        context.console.print("New signing key for \(org.name): \(key)")
        context.console.print("DID: \(CertificateService.did(org.id!, app)) — earlier keys stay published.")
    }
}

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
        batch.organizationID = lead.id!; batch.filingID = d.batch.filingID; batch.regionCode = d.batch.regionCode; batch.title = "基准证书批次"
        batch.occupationCode = d.batch.occupationCode; batch.level = d.batch.level; batch.method = d.batch.method; batch.status = BatchStatus.inNotice.rawValue
        batch.site = "-"; batch.theoryDay = d.batch.theoryDay; batch.practicalDay = d.batch.practicalDay; batch.theoryMinutes = 90
        batch.theoryMinimumMinutes = 30; batch.questionCount = 10
        try await batch.create(on: app.db)
        t = clock()
        let cipher = app.personalData
        try await app.write { db in
            for i in 0..<n {
                let id = benchCitizenID(i)
                let p = PersonRecord()
                p.version = 1
                p.organizationID = lead.id!; p.name = "持证人\(i)"; p.citizenIDSealed = try cipher.seal(id); p.citizenIDIndex = cipher.blindIndex(id)
                p.citizenIDMasked = String(id.prefix(4)) + "**********" + String(id.suffix(4)); p.sex = "male"; p.birthDate = "1990-01-01"
                p.phoneSealed = try cipher.seal("13900000000"); p.phoneMasked = "139****0000"; p.education = "technicalSchool"; p.category = "employee"
                try await p.create(on: db)
                let r = RegistrationRecord()
                r.batchID = batch.id!; r.personID = p.id!; r.citizenIDIndex = p.citizenIDIndex; r.clauseID = "A-4-1"; r.facts = "{}"; r.shortfalls = "[]"
                r.engineEligible = true; r.eligibility = "eligible"; r.theoryScore = 80; r.practicalScore = 78; r.needsReconciliation = false; r.outcome = "passed"
                try await r.create(on: db)
            }
        }
        context.console.print(String(format: "setup: %d passed candidates in %.1f s", n, seconds(t)))
        let detail = try await BatchService.load(batch.id!, on: app.db)
        t = clock()
        let prepared = try await CertificateService.prepare(detail, app: app, today: Day(Date()))
        let signing = seconds(t)
        let t2 = clock()
        // Another user's small write (one audited change), started 50 ms into the commit: how long it waits.
        let other = Task { () -> Double in
            try await Task.sleep(nanoseconds: 50_000_000)
            let start = clock()
            try await app.write { db in
                try await AuditLog.append(.init(action: "bench.otherUser", objectType: "organization", objectID: nil), actor: hr, on: db)
            }
            return Double(clock() - start) / 1e9
        }
        try await app.write { db in
            try await CertificateService.commit(prepared, batchID: batch.id!, actor: hr, on: db)
        }
        let commit = seconds(t2), s = seconds(t)
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
    CitizenID.completing(String(format: "4419%02d19%02d%02d%02d%03d", (i / 1000) % 100, 70 + (i / 336) % 30, 1 + (i / 28) % 12, 1 + i % 28, i % 1000))!.value
}

/// `skillchain bench-matching --people 100000`: N certified people who consented (certificates in the demo position's
/// occupation group, levels and regions — half in the position's district — spread deterministically) inserted in bulk, then the matches of the demo
/// position timed (TalentService.matches: SQL reads of the pool, certificates and training, then Core's ranking).
/// The seeded certificates carry no signature: they exist to be counted and ranked, not verified.
struct BenchMatchingCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "people", help: "certified people in the pool (default 100000)") var people: Int?
    }
    var help: String { "Benchmarks matching one position against a large talent pool." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let n = signature.people ?? 100_000
        try await app.migrateDatabase()
        try await DemoData.load(app)
        func clock() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
        guard let hr = try await DemoData.actor(app, username: "hr"),
              let position = try await PositionRecord.query(on: app.db).filter(\.$occupationCode == DemoEvaluation.occupation).first()
        else { throw CLIError(message: "demo data missing") }
        // Where the pool is registered: half in the position's district, 30 % elsewhere in the province, 20 % outside it.
        let orgs: [OrganizationRecord] = ["441900", "440303", "110101"].enumerated().map { i, region in
            let org = OrganizationRecord()
            org.version = 1
            org.name = "基准人才库单位\(i)"; org.kind = "enterprise"; org.creditCode = "91\(region)BENCH0000\(i)"; org.regionCode = region; org.flags = 0
            org.insuredEmployees = 0
            return org
        }
        try await app.write { db in for org in orgs { try await org.create(on: db) } }
        var rng = SeededGenerator(seed: 20261127)
        let codes = ["6-21-04-01", "6-21-04-02", "6-21-01-03", "6-31-07-01", "4-04-05-05"]
        let levels: [SkillLevel] = [.level5, .level4, .level3, .level2, .level1]
        var t = clock()
        let now = Date()
        for start in stride(from: 0, to: n, by: 10_000) {
            let end = min(start + 10_000, n)
            var people: [[BulkValue]] = [], certificates: [[BulkValue]] = [], consents: [[BulkValue]] = []
            for i in start..<end {
                let person = UUID(), index = "bench-\(i)", roll = rng.next() % 10
                let org = orgs[roll < 5 ? 0 : roll < 8 ? 1 : 2]
                people.append([.uuid(person), .uuid(org.id!), .text("候选人\(i)"), .text("-"), .text(index), .text("4419**********\(String(format: "%04d", i % 10_000))"),
                               .text("male"), .text("1990-01-01"), .text("-"), .text("139****0000"), .text("technicalSchool"), .text("employee"), .date(now)])
                let code = codes[Int(rng.next() % UInt64(codes.count))], level = levels[Int(rng.next() % UInt64(levels.count))]
                certificates.append([.uuid(UUID()), .text("BENCH\(i)"), .uuid(org.id!), .null, .null, .uuid(person), .text(index), .text("候选人\(i)"),
                                     .text("4419**********0000"), .text(code), .text(code), .text("--"), .text(level.rawValue), .text("2025-06-30"), .null,
                                     .text("{}"), .text(""), .text("-"), .int(i), .int(i), .text(rng.next() % 50 == 0 ? "revoked" : "valid"), .date(now)])
                consents.append([.uuid(UUID()), .uuid(person), .text(index), .null, .null, .date(now), .null])
            }
            let (p, c, s) = (people, certificates, consents)
            try await app.write { db in
                try await BulkInsert.run(PersonRecord.schema, columns: RosterImportService.columns, rows: p, on: db)
                try await BulkInsert.run(CertificateRecord.schema, columns: CertificateService.certificateColumns, rows: c, on: db)
                try await BulkInsert.run(TalentConsentRecord.schema, columns: TalentConsentRecord.columns, rows: s, on: db)
            }
        }
        context.console.print(String(format: "seeded %d certified people in the pool in %.1f s", n, Double(clock() - t) / 1e9))
        var times: [Double] = []
        var ranked = 0
        for _ in 0..<7 {
            t = clock()
            let found = try await TalentService.matches(position.id!, actor: hr, on: app.db)
            times.append(Double(clock() - t) / 1e6)
            ranked = found.ranked.count
        }
        let sorted = times.sorted()
        context.console.print(String(format: "matches for one position over a pool of %d: median %.1f ms, best %.1f ms, worst %.1f ms (%d ranked shown)",
                                     n, sorted[sorted.count / 2], sorted.first!, sorted.last!, ranked))
    }
}
