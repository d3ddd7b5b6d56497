import Crypto
import Fluent
import SkillChainCore
import Vapor

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
            let p = try await PersonService(app).create(
                .init(
                    name: "考生\(i)", citizenId: citizenID, phone: String(format: "139%08d", i), education: "technicalSchool",
                    category: "employee"), organizationID: lead.id!, actor: nil)
            people.append(p.id!)
        }
        report("people created (setup)", t, n)
        let today = app.today
        let b = try await BatchService(app).create(
            .init(
                title: "基准批次", occupationCode: "6-21-04-01", level: "level4", method: "examination", site: "基地",
                theoryDay: today.description, practicalDay: today.description, theoryMinutes: 90,
                theoryMinimumMinutes: 30, questionCount: 10), actor: hr)
        let id = b.id!
        func person(_ name: String) async throws -> UUID {
            try await PersonRecord.query(on: app.db).filter(\.$name == name).filter(\.$organizationID == lead.id!).first()!.id!
        }
        for name in ["刘建国", "林芳", "罗斌"] {
            try await BatchService(app).assign(id, .init(personId: try await person(name), duty: "assessor"), actor: hr)
        }
        for name in ["何静", "钱磊"] {
            try await BatchService(app).assign(id, .init(personId: try await person(name), duty: "proctor", room: "A101"), actor: hr)
        }
        try await BatchService(app).assign(id, .init(personId: try await person("郑伟"), duty: "supervisor"), actor: hr)
        for (e, who) in [("submitPlan", hr), ("approvePlan", gov), ("openRegistration", hr)] {
            try await BatchService(app).transition(id, .init(event: e), actor: who)
        }
        t = clock()
        var regs: [UUID] = []
        for p in people {
            regs.append(
                try await RegistrationService(app).register(
                    id,
                    .init(
                        personId: p, clauseId: "A-4-1", yearsInOccupation: 4, certificateOccupationCode: "6-21-04-01",
                        certificateLevel: "level5", certificateYears: 3), actor: hr
                ).id!)
        }
        report("registrations with eligibility", t, n)
        t = clock()
        _ = try await RegistrationService(app).reviewAll(id, actor: hr)
        try await BatchService(app).transition(id, .init(event: "closeRegistration"), actor: hr)
        try await BatchService(app).transition(id, .init(event: "holdExams"), actor: hr)
        report("eligibility review + close + hold", t)
        let total = clock()
        t = clock()
        for (i, r) in regs.enumerated() {
            for (k, a) in [a1, a2, a3].enumerated() {
                try await RegistrationService(app).score(r, .init(subject: "practical", score: Double(60 + (i * 7) % 30 + k * 3)), actor: a)
            }
        }
        report("practical scores (3 per candidate)", t, 3 * n)
        t = clock()
        for (i, r) in regs.enumerated() { try await RegistrationService(app).enterTheory(r, .init(score: Double(50 + i % 50)), actor: hr) }
        report("theory scores entered", t, n)
        t = clock()
        try await BatchService(app).transition(id, .init(event: "signOff"), actor: supervisor)
        report("supervisor sign-off", t)
        t = clock()
        try await BatchService(app).transition(id, .init(event: "publishNotice"), actor: hr)
        _ = try await NoticeService.current(on: app.db, today: app.today)
        report("publish notice + render notice data", t)
        t = clock()
        try await BatchService(app).transition(id, .init(event: "finalize"), actor: hr, today: today.plusDays(30))
        report("finalize (after the notice period)", t)
        report("scoring to final, total", total)
        let passed = try await RegistrationStore(app.db).count(.passed, inBatch: id)
        context.console.print("candidates \(n), passed \(passed), audit intact: \(try await AuditLog.verify(on: app.db).isIntact)")
    }
}
