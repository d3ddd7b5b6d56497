import Fluent
import Foundation
import SQLKit
import SkillChainCore
import Vapor

/// A deterministic, realistic data set for benchmarks (issue 6): enterprises (each filed as an evaluation body) and
/// schools across Guangdong, their programs, N people with enrollments, evaluation batches with registrations and
/// results, certificates for those who passed, talent-pool consents, open positions, placements, pay grids and pay,
/// and subsidy claims. Everything goes in through multi-row inserts, 10,000 people per transaction. The seeded
/// certificates carry no signature: they exist to be counted and matched, not verified.
enum ScaleSeeder {
    static let regions = ["441900", "441900", "441900", "441900", "440303", "440305", "440106", "440604"]
    /// Occupations of the data set, digital (`S`) and green (`L`) ones among them.
    static let occupations = [
        "6-21-04-01", "6-21-04-02", "6-21-01-03", "6-31-07-01", "4-04-05-05", "6-25-04-07", "6-18-02-04", "4-04-01-01",
        "6-28-01-14", "4-02-02-01",
    ]
    static let levels: [SkillLevel] = [.level5, .level4, .level4, .level3, .level3, .level2, .level1]

    struct Counts {
        var organizations = 0, people = 0, enrollments = 0, registrations = 0, certificates = 0, positions = 0, placements = 0, payRecords = 0,
            claims = 0
    }

    static func seed(_ app: Application, people n: Int, seed: UInt64 = 20_261_127, progress: (String) -> Void = { _ in }) async throws -> Counts {
        var rng = SeededGenerator(seed: seed)
        func uuid() -> UUID {
            let a = rng.next()
            let b = rng.next()
            var bytes = [UInt8](repeating: 0, count: 16)
            for i in 0..<8 {
                bytes[i] = UInt8((a >> (8 * UInt64(i))) & 0xff)
                bytes[8 + i] = UInt8((b >> (8 * UInt64(i))) & 0xff)
            }
            bytes[6] = (bytes[6] & 0x0f) | 0x40
            bytes[8] = (bytes[8] & 0x3f) | 0x80
            return UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                    bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                ))
        }
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        func chance(_ percent: UInt64) -> Bool { rng.next() % 100 < percent }
        let now = app.now
        var counts = Counts()
        let bands = zip(SkillLevel.allCases, [4000, 5000, 6000, 7500, 9000, 11000, 14000, 22000]).map {
            PayBand(level: $0.0, minimum: $0.1, maximum: $0.1 * 4 / 3, allowance: $0.1 / 10)
        }
        let bandsJSON = String(decoding: try JSONEncoder().encode(bands), as: UTF8.self)
        let catalog = OccupationCatalog.edition2022

        // Organizations: one enterprise per 500 people (each filed, with two programs and two finalized batches),
        // one school per 20,000.
        struct Enterprise {
            let id: UUID
            let region: String
            let programs: [(UUID, String, SkillLevel)]
            let batches: [(UUID, String, SkillLevel)]
        }
        var enterprises: [Enterprise] = []
        var orgRows: [[BulkValue]] = []
        var filingRows: [[BulkValue]] = []
        var programRows: [[BulkValue]] = []
        var batchRows: [[BulkValue]] = []
        var positionRows: [[BulkValue]] = []
        var gridRows: [[BulkValue]] = []
        var managementPay: [[BulkValue]] = []
        var positions: [(UUID, UUID, String, String)] = []
        let enterpriseCount = max(4, n / 500)
        let schoolCount = max(1, n / 20_000)
        for e in 0..<(enterpriseCount + schoolCount) {
            let id = uuid()
            let region = regions[e % regions.count]
            let school = e >= enterpriseCount
            orgRows.append([
                .uuid(id), .text(school ? "规模测试职业学校\(e)" : "规模测试企业\(e)"), .text(school ? "school" : "enterprise"),
                .text(String(format: "91%@SC%08d", String(region.prefix(6)), e)), .text(region), .int(0), .int(school ? 0 : 300 + e % 700),
                .date(now),
            ])
            counts.organizations += 1
            if school { continue }
            filingRows.append([
                .uuid(uuid()), .uuid(id), .text("Y"), .text(String(format: "%06d", e)), .text("44"), .text("01"), .text(region),
                .text("2025-01-01"), .text("2029-12-31"), .text("approved"), .null, .date(now), .date(now),
            ])
            var programs: [(UUID, String, SkillLevel)] = []
            var batches: [(UUID, String, SkillLevel)] = []
            for k in 0..<2 {
                let code = occupations[(e + k * 3) % occupations.count]
                let level = pick(levels)
                let pid = uuid()
                programs.append((pid, code, level))
                programRows.append([
                    .uuid(pid), .text(k == 0 ? "newApprenticeship" : "postTraining"), .text("规模测试项目\(e)-\(k)"), .uuid(id), .text(region),
                    .text("2022"), .text(code), .text(level.rawValue), .text("2026-03-01"), .text(k == 0 ? "2027-02-28" : "2026-12-31"),
                    .int(400), .int(40), .int(80), .int(280), .int(4000), .text(k == 0 ? "inTraining" : "completed"), .null, .date(now),
                ])
                let bid = uuid()
                batches.append((bid, code, level))
                batchRows.append([
                    .uuid(bid), .uuid(id), .uuid(filingRows.last![0].uuidValue!), .text(region), .text("规模测试批次\(e)-\(k)"), .text(code),
                    .text(level.rawValue), .text("exam"), .text(k == 0 ? "final" : "archived"), .null, .text("-"), .text("2026-06-10"),
                    .text("2026-06-11"), .int(90), .int(30), .int(100), .text("2026-06-20"), .text("2026-06-26"), .date(now), .date(now), .date(now),
                ])
            }
            enterprises.append(Enterprise(id: id, region: region, programs: programs, batches: batches))
            // Positions: one per 200 people.
            for _ in 0..<(500 / 200 + (e % 2)) {
                let pid = uuid()
                let code = pick(occupations)
                let level = pick(levels)
                positions.append((pid, id, code, region))
                positionRows.append([
                    .uuid(pid), .uuid(id), .text("规模测试岗位"), .text("2022"), .text(code), .text(level.rawValue), .int(1 + Int(rng.next() % 8)),
                    .text(region), .int(5000), .int(9000), .bool(true), .text("-"), .text("open"), .date(now),
                ])
            }
            gridRows.append([.uuid(uuid()), .uuid(id), .text(bandsJSON), .int(12000), .int(20000), .date(now)])
            for m in 0..<2 {
                managementPay.append([
                    .uuid(uuid()), .uuid(id), .null, .text("mgr-\(e)-\(m)"), .text("2026-10"), .int(11000 + m * 7000), .text("management"),
                    .date(now),
                ])
            }
        }
        let (orgs, filings, programs, batches, posts, grids, management) = (
            orgRows, filingRows, programRows, batchRows, positionRows, gridRows, managementPay
        )
        try await app.write { db in
            try await BulkInsert.run(
                OrganizationRecord.schema, columns: ["id", "name", "kind", "credit_code", "region_code", "flags", "insured_employees", "created_at"],
                rows: orgs, on: db)
            try await BulkInsert.run(
                "evaluation_filings",
                columns: [
                    "id", "organization_id", "institution_type", "institution_code", "province_code", "site_serial",
                    "region_code", "valid_from", "valid_until", "status", "reason", "created_at", "decided_at",
                ], rows: filings, on: db)
            try await BulkInsert.run(
                "programs",
                columns: [
                    "id", "kind", "name", "lead_organization_id", "region_code", "occupation_edition", "occupation_code",
                    "target_level", "start_date", "end_date", "capacity", "hours_general", "hours_basics", "hours_operational",
                    "subsidy_per_year", "status", "status_reason", "created_at",
                ], rows: programs, on: db)
            try await BulkInsert.run(
                "evaluation_batches",
                columns: [
                    "id", "organization_id", "filing_id", "region_code", "title", "occupation_code", "level", "method",
                    "status", "reason", "site", "theory_day", "practical_day", "theory_minutes", "theory_minimum_minutes",
                    "question_count", "notice_from", "notice_until", "created_at", "signed_off_at", "finalized_at",
                ], rows: batches, on: db)
            try await BulkInsert.run(
                "positions",
                columns: [
                    "id", "organization_id", "title", "occupation_edition", "occupation_code", "required_level", "headcount",
                    "region_code", "wage_min", "wage_max", "front_line", "description", "status", "created_at",
                ], rows: posts, on: db)
            try await BulkInsert.run(
                "pay_grids", columns: ["id", "organization_id", "bands", "middle_manager_pay", "senior_manager_pay", "updated_at"], rows: grids,
                on: db)
            try await BulkInsert.run("pay_records", columns: payColumns, rows: management, on: db)
        }
        counts.positions = positions.count
        counts.payRecords = managementPay.count
        progress("organizations \(counts.organizations), positions \(counts.positions)")

        // People, 10,000 per transaction.
        var serial = 0
        for start in stride(from: 0, to: n, by: 10_000) {
            var people: [[BulkValue]] = []
            var enrollments: [[BulkValue]] = []
            var registrations: [[BulkValue]] = []
            var certificates: [CertificateStore.Row] = []
            var consents: [[BulkValue]] = []
            var placements: [[BulkValue]] = []
            var pay: [[BulkValue]] = []
            var claims: [[BulkValue]] = []
            for i in start..<min(start + 10_000, n) {
                let e = enterprises[i % enterprises.count]
                let person = uuid()
                let index = "scale-\(i)"
                let masked = "4419**********" + String(format: "%04d", i % 10_000)
                people.append([
                    .uuid(person), .uuid(e.id), .text("测试人员\(i)"), .text("-"), .text(index), .text(masked), .text(i % 3 == 0 ? "female" : "male"),
                    .text("1995-01-01"), .text("-"), .text("139****0000"), .text("technicalSchool"), .text("employee"), .date(now),
                ])
                let k = Int(rng.next() % 2)
                let program = e.programs[k]
                let roll = rng.next() % 100
                let status = roll < 55 ? "completed" : roll < 90 ? "enrolled" : "terminated"
                let enrollment = uuid()
                enrollments.append([
                    .uuid(enrollment), .uuid(program.0), .uuid(person), .text(status), .text("2026-03-01"), .text("2027-02-28"), .null, .null, .null,
                    .date(now),
                ])
                if k == 0, chance(20) {
                    let claimStatus = pick(["advanceRequested", "advanceApproved", "settlementRequested", "settled", "settled"])
                    claims.append([
                        .uuid(uuid()), .uuid(enrollment), .uuid(program.0), .uuid(e.id), .text(e.region), .int(1), .text(claimStatus), .int(2000),
                        .int(claimStatus == "advanceRequested" ? 0 : 2000), .null, .null, .int(claimStatus == "settled" ? 4000 : 0), .null, .null,
                        .date(now), .null,
                    ])
                }
                // Evaluation: seven in ten sit the batch for their occupation; four in five of them pass.
                guard status != "terminated", chance(70) else { continue }
                let batch = e.batches[k]
                let registration = uuid()
                let passed = chance(80)
                registrations.append([
                    .uuid(registration), .uuid(batch.0), .uuid(person), .text(index), .text("scale"), .text("{}"), .text("[]"), .bool(true),
                    .text("eligible"), .null, .double(passed ? 78 : 52), .double(passed ? 81 : 58), .double(3), .bool(false), .null,
                    .text((passed ? RegistrationOutcome.passed : .failed).rawValue), .null, .null, .date(now),
                ])
                guard passed else { continue }
                serial += 1
                certificates.append(
                    CertificateStore.Row(
                        id: uuid(), number: String(format: "S%021d", serial), organizationID: e.id, batchID: batch.0, registrationID: registration,
                        personID: person, citizenIDIndex: index, holderName: "测试人员\(i)", citizenIDMasked: masked, occupationCode: batch.1,
                        occupationName: catalog.occupation(batch.1)?.name ?? batch.1, workType: "--", level: batch.2, issued: "2026-06-30",
                        validUntil: nil, credential: "{}", jwt: "", keyID: "-", revocationIndex: serial, suspensionIndex: serial,
                        status: chance(1) ? .revoked : .valid, createdAt: now))
                if chance(30) { consents.append([.uuid(uuid()), .uuid(person), .text(index), .null, .null, .date(now), .null]) }
                if chance(7) {
                    let p = positions[Int(rng.next() % UInt64(positions.count))]
                    placements.append([
                        .uuid(uuid()), .uuid(p.0), .uuid(p.1), .uuid(person), .text(index), .null, .text(p.3), .text(p.2), .text("2026-09-01"),
                        .int(5500 + Int(rng.next() % 4000)), .date(now),
                    ])
                }
                if chance(30) {
                    pay.append([
                        .uuid(uuid()), .uuid(e.id), .uuid(person), .text(index), .text("2026-10"), .int(4500 + Int(rng.next() % 6000)),
                        .text("skill"), .date(now),
                    ])
                }
            }
            counts.people += people.count
            counts.enrollments += enrollments.count
            counts.registrations += registrations.count
            counts.certificates += certificates.count
            counts.placements += placements.count
            counts.payRecords += pay.count
            counts.claims += claims.count
            let rows = (people, enrollments, registrations, certificates, consents, placements, pay, claims)
            try await app.write { db in
                try await BulkInsert.run(PersonRecord.schema, columns: PersonStore.columns, rows: rows.0, on: db)
                try await BulkInsert.run(
                    "enrollments",
                    columns: [
                        "id", "program_id", "person_id", "status", "contract_start", "contract_end", "master_membership_id",
                        "teacher_membership_id", "status_reason", "created_at",
                    ], rows: rows.1, on: db)
                try await BulkInsert.run(
                    "registrations",
                    columns: [
                        "id", "batch_id", "person_id", "citizen_id_index", "clause_id", "facts", "shortfalls", "engine_eligible",
                        "eligibility", "override_reason", "theory_score", "practical_score", "practical_spread",
                        "needs_reconciliation", "review_score", "outcome", "retake_of", "retake_subject", "created_at",
                    ], rows: rows.2, on: db)
                try await CertificateStore(db).insert(rows.3)
                try await BulkInsert.run(TalentConsentRecord.schema, columns: TalentConsentRecord.columns, rows: rows.4, on: db)
                try await BulkInsert.run(
                    "placements",
                    columns: [
                        "id", "position_id", "organization_id", "person_id", "citizen_id_index", "invitation_id", "region_code",
                        "occupation_code", "start_date", "monthly_wage", "created_at",
                    ], rows: rows.5, on: db)
                try await BulkInsert.run("pay_records", columns: payColumns, rows: rows.6, on: db)
                try await BulkInsert.run(
                    "subsidy_claims",
                    columns: [
                        "id", "enrollment_id", "program_id", "organization_id", "region_code", "year_index", "status",
                        "advance_requested", "advance_paid", "outcome", "settlement_total", "payable", "clawback", "reason",
                        "created_at", "decided_at",
                    ], rows: rows.7, on: db)
            }
            if (start / 10_000) % 10 == 9 { progress("people \(counts.people)") }
        }
        return counts
    }

    static let payColumns = ["id", "organization_id", "person_id", "citizen_id_index", "month", "monthly_pay", "post", "created_at"]
}

extension BulkValue {
    var uuidValue: UUID? {
        if case .uuid(let u) = self { return u }
        return nil
    }
}

/// `skillchain seed-scale --people N`: the benchmark data set, on top of the demo data, in the configured database.
struct SeedScaleCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "people", help: "people to generate (default 1000000)") var people: Int?
    }
    var help: String { "Generates a deterministic data set of N people and their records for benchmarks." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let n = signature.people ?? 1_000_000
        guard n > 0 else { throw CLIError(message: "--people must be positive") }
        try await app.migrateDatabase()
        try await DemoData.load(app)
        let start = DispatchTime.now().uptimeNanoseconds
        let c = try await ScaleSeeder.seed(app, people: n) { context.console.print($0) }
        context.console.print(
            String(
                format:
                    "seeded in %.1f s: %d organizations, %d people, %d enrollments, %d registrations, %d certificates, %d positions, %d placements, %d pay records, %d subsidy claims",
                Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, c.organizations, c.people, c.enrollments, c.registrations,
                c.certificates, c.positions, c.placements, c.payRecords, c.claims))
    }
}

/// `skillchain bench-dashboard`: times the government dashboard over what is in the database (seed it first with
/// `seed-scale`): the whole province as the platform administrator, and Dongguan as the demo bureau's officer. Each is
/// timed twice: counted from the records (what the snapshot's background recount costs, and what a region counted
/// live costs), and answered as a request is, from the kept count (`DashboardSnapshots`).
struct BenchDashboardCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "runs", help: "timed runs per region (default 7)") var runs: Int?
    }
    var help: String { "Benchmarks the government dashboard over the data in the database." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let root = try await DemoData.actor(app, username: "admin"), let gov = try await DemoData.actor(app, username: "gov") else {
            throw CLIError(message: "demo data missing: run seed-scale first")
        }
        func median(_ body: () async throws -> Void) async rethrows -> (median: Double, best: Double, worst: Double) {
            var times: [Double] = []
            for _ in 0..<(signature.runs ?? 7) {
                let t = DispatchTime.now().uptimeNanoseconds
                try await body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
            }
            let s = times.sorted()
            return (s[s.count / 2], s.first!, s.last!)
        }
        let cases: [(String, Actor, DashboardFilter)] = [
            ("province 440000", root, DashboardFilter(region: "440000")), ("city 441900", gov, DashboardFilter(region: "441900")),
            ("province 440000, occupation 6-21-04-01", root, DashboardFilter(region: "440000", occupation: "6-21-04-01")),
        ]
        for (label, actor, filter) in cases {
            let question = try await DashboardService.resolve(filter, actor: actor, on: app.db)
            var funnel = ""
            // Warm the database's cache.
            _ = try await DashboardService.count(question, on: app.db, translate: { $0 }, today: app.today, now: app.now)
            let counted = try await median {
                let d = try await DashboardService.count(question, on: app.db, translate: { $0 }, today: app.today, now: app.now)
                funnel = d.funnel.map { "\($0.stage) \($0.count)" }.joined(separator: ", ")
            }
            context.console.print(
                String(
                    format: "dashboard %@ counted from records: median %.0f ms, best %.0f ms, worst %.0f ms (%@)",
                    label, counted.median, counted.best, counted.worst, funnel))
            try await DashboardSnapshots.count(question, locale: .default, app: app, replacing: true)
            var live = true
            let served = try await median {
                live = try await DashboardService(app).build(filter, actor: actor, locale: .default).live
            }
            context.console.print(
                String(
                    format: "dashboard %@ answered (%@): median %.1f ms, best %.1f ms, worst %.1f ms",
                    label, live ? "counted live" : "kept count", served.median, served.best, served.worst))
        }
    }
}
