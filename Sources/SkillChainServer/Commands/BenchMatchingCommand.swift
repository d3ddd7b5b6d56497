import Crypto
import Fluent
import SkillChainCore
import Vapor

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
            org.name = "基准人才库单位\(i)"
            org.kind = "enterprise"
            org.creditCode = "91\(region)BENCH0000\(i)"
            org.regionCode = region
            org.flags = 0
            org.insuredEmployees = 0
            return org
        }
        try await app.write { db in for org in orgs { try await org.create(on: db) } }
        var rng = SeededGenerator(seed: 20_261_127)
        let codes = ["6-21-04-01", "6-21-04-02", "6-21-01-03", "6-31-07-01", "4-04-05-05"]
        let levels: [SkillLevel] = [.level5, .level4, .level3, .level2, .level1]
        var t = clock()
        let now = app.now
        for start in stride(from: 0, to: n, by: 10_000) {
            let end = min(start + 10_000, n)
            var people: [[BulkValue]] = []
            var certificates: [CertificateStore.Row] = []
            var consents: [[BulkValue]] = []
            for i in start..<end {
                let person = UUID()
                let index = "bench-\(i)"
                let roll = rng.next() % 10
                let org = orgs[roll < 5 ? 0 : roll < 8 ? 1 : 2]
                people.append([
                    .uuid(person), .uuid(org.id!), .text("候选人\(i)"), .text("-"), .text(index),
                    .text("4419**********\(String(format: "%04d", i % 10_000))"),
                    .text("male"), .text("1990-01-01"), .text("-"), .text("139****0000"), .text("technicalSchool"), .text("employee"), .date(now),
                ])
                let code = codes[Int(rng.next() % UInt64(codes.count))]
                let level = levels[Int(rng.next() % UInt64(levels.count))]
                certificates.append(
                    CertificateStore.Row(
                        id: UUID(), number: "BENCH\(i)", organizationID: org.id!, batchID: nil, registrationID: nil, personID: person,
                        citizenIDIndex: index, holderName: "候选人\(i)", citizenIDMasked: "4419**********0000", occupationCode: code,
                        occupationName: code, workType: "--", level: level, issued: "2025-06-30", validUntil: nil, credential: "{}", jwt: "",
                        keyID: "-", revocationIndex: i, suspensionIndex: i, status: rng.next() % 50 == 0 ? .revoked : .valid, createdAt: now))
                consents.append([.uuid(UUID()), .uuid(person), .text(index), .null, .null, .date(now), .null])
            }
            let (p, c, s) = (people, certificates, consents)
            try await app.write { db in
                try await BulkInsert.run(PersonRecord.schema, columns: PersonStore.columns, rows: p, on: db)
                try await CertificateStore(db).insert(c)
                try await BulkInsert.run(TalentConsentRecord.schema, columns: TalentConsentRecord.columns, rows: s, on: db)
            }
        }
        context.console.print(String(format: "seeded %d certified people in the pool in %.1f s", n, Double(clock() - t) / 1e9))
        var times: [Double] = []
        var ranked = 0
        for _ in 0..<7 {
            t = clock()
            let found = try await TalentService.matches(position.id!, actor: hr, on: app.db, today: app.today)
            times.append(Double(clock() - t) / 1e6)
            ranked = found.ranked.count
        }
        let sorted = times.sorted()
        context.console.print(
            String(
                format: "matches for one position over a pool of %d: median %.1f ms, best %.1f ms, worst %.1f ms (%d ranked shown)",
                n, sorted[sorted.count / 2], sorted.first!, sorted.last!, ranked))
    }
}
