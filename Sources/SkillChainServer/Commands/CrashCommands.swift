import Fluent
import Foundation
import SQLKit
import SkillChainCore
import Vapor

/// `skillchain crash-setup`: what `scripts/crash-test` kills the server in the middle of — a batch of people who passed,
/// in notice with the period over (finalizing it issues their certificates), and a batch whose exams are held with
/// eligible candidates and no scores yet (the three demo assessors score them). Prints the ids as one JSON object.
struct CrashSetupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "passed", help: "people who passed in the batch to finalize (default 3000)") var passed: Int?
        @Option(name: "candidates", help: "candidates awaiting scores (default 300)") var candidates: Int?
        @Option(name: "first", help: "number of the first crash-test person, so rounds never repeat an ID number") var first: Int?
    }
    var help: String { "Prepares batches for scripts/crash-test (a development command)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.migrateDatabase()
        try await DemoData.load(app)
        guard let hr = try await DemoData.actor(app, username: "hr"), let gov = try await DemoData.actor(app, username: "gov"),
            let lead = try await OrganizationRecord.query(on: app.db).filter(\.$name == "东莞智感视觉科技有限公司").first(),
            let final = try await EvaluationBatchRecord.query(on: app.db).filter(\.$status == BatchStatus.final.rawValue).first()
        else { throw CLIError(message: "demo data missing") }
        let first = signature.first ?? 0
        let passed = signature.passed ?? 3000
        let candidates = signature.candidates ?? 300
        let org = lead.id!
        let cipher = app.personalData
        @Sendable func person(_ label: String, _ n: Int, on db: any Database) async throws -> PersonRecord {
            try await BenchBatch.person(name: "\(label)\(n)", citizenID: crashCitizenID(n), organization: org, cipher: cipher, on: db)
        }
        // 1. In notice, period over, everyone passed: finalizing issues every certificate or none.
        let d = try await BatchService.load(final.id!, on: app.db)
        let today = app.today
        let certify = EvaluationBatchRecord()
        certify.organizationID = lead.id!
        certify.filingID = d.batch.filingID
        certify.regionCode = d.batch.regionCode
        certify.title = "崩溃测试·发证"
        certify.occupationCode = d.batch.occupationCode
        certify.level = d.batch.level
        certify.method = d.batch.method
        certify.status = BatchStatus.inNotice.rawValue
        certify.site = "-"
        certify.theoryDay = d.batch.theoryDay
        certify.practicalDay = d.batch.practicalDay
        certify.theoryMinutes = 90
        certify.theoryMinimumMinutes = 30
        certify.questionCount = 10
        certify.noticeFrom = today.plusDays(-40).description
        certify.noticeUntil = today.plusDays(-30).description
        try await app.write { db in
            try await certify.create(on: db)
            for n in first..<(first + passed) {
                let p = try await person("发证", n, on: db)
                let r = RegistrationRecord()
                r.batchID = certify.id!
                r.personID = p.id!
                r.citizenIDIndex = p.citizenIDIndex
                r.clauseID = "A-4-1"
                r.facts = "{}"
                r.shortfalls = "[]"
                r.engineEligible = true
                r.eligibility = EligibilityStatus.eligible.rawValue
                r.theoryScore = 80
                r.practicalScore = 78
                r.needsReconciliation = false
                r.outcome = RegistrationOutcome.passed.rawValue
                try await r.create(on: db)
            }
        }
        // 2. Exams held, candidates eligible, no scores.
        let b = try await BatchService(app).create(
            .init(
                title: "崩溃测试·评分", occupationCode: "6-21-04-01", level: "level4", method: "examination",
                site: "基地",
                theoryDay: today.description, practicalDay: today.description, theoryMinutes: 90,
                theoryMinimumMinutes: 30, questionCount: 10), actor: hr)
        let id = b.id!
        func staff(_ name: String) async throws -> UUID {
            try await PersonRecord.query(on: app.db).filter(\.$name == name).filter(\.$organizationID == lead.id!).first()!.id!
        }
        for name in ["刘建国", "林芳", "罗斌"] {
            try await BatchService(app).assign(id, .init(personId: try await staff(name), duty: "assessor"), actor: hr)
        }
        for name in ["何静", "钱磊"] {
            try await BatchService(app).assign(id, .init(personId: try await staff(name), duty: "proctor", room: "A101"), actor: hr)
        }
        try await BatchService(app).assign(id, .init(personId: try await staff("郑伟"), duty: "supervisor"), actor: hr)
        for (e, who) in [("submitPlan", hr), ("approvePlan", gov), ("openRegistration", hr)] {
            try await BatchService(app).transition(id, .init(event: e), actor: who)
        }
        let registrations = try await app.write { db in
            var ids: [String] = []
            for n in (first + passed)..<(first + passed + candidates) {
                let p = try await person("评分", n, on: db)
                let r = RegistrationRecord()
                r.batchID = id
                r.personID = p.id!
                r.citizenIDIndex = p.citizenIDIndex
                r.clauseID = "A-4-1"
                r.facts = "{}"
                r.shortfalls = "[]"
                r.engineEligible = true
                r.eligibility = EligibilityStatus.eligible.rawValue
                r.needsReconciliation = false
                try await r.create(on: db)
                ids.append(r.id!.uuidString.lowercased())
            }
            return ids
        }
        for e in ["closeRegistration", "holdExams"] { try await BatchService(app).transition(id, .init(event: e), actor: hr) }
        let out: [String: Any] = [
            "certify": certify.id!.uuidString.lowercased(), "score": id.uuidString.lowercased(),
            "registrations": registrations, "next": first + passed + candidates,
        ]
        context.console.print(String(decoding: try JSONSerialization.data(withJSONObject: out, options: [.sortedKeys]), as: UTF8.self))
    }
}

/// A distinct, valid citizen ID number (Shenzhen, born 1990) for the i-th crash-test person, i < 33,600,000.
func crashCitizenID(_ i: Int) -> String {
    CitizenID.completing(String(format: "4403%02d1990%02d%02d%03d", (i / 336_000) % 100, 1 + (i / 28_000) % 12, 1 + (i / 1000) % 28, i % 1000))!.value
}

/// `skillchain crash-check --round FILE --import-rows N`: after a SIGKILL and a restart, what must hold. Every batch has all of
/// its passed candidates' certificates or none, and its body's serial counter equals the highest serial issued; each import
/// named in FILE is whole or absent; every score has its audit entry and every score entry its score; what the server had
/// acknowledged before it was killed is there; SQLite's integrity check and the audit chain pass. Prints one JSON object of
/// counts and exits non-zero on any finding.
struct CrashCheckCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(
            name: "round",
            help: "JSON: {\"imports\": [name prefix], \"ackedImports\": [...], \"ackedFinal\": [batch id], "
                + "\"ackedScores\": [[registration id, assessor username]]}") var round: String?
        @Option(name: "import-rows", help: "rows of each import (default 20000)") var importRows: Int?
    }
    var help: String { "Checks the invariants scripts/crash-test asks for (a development command)." }

    struct Round: Decodable {
        var imports: [String] = []
        var ackedImports: [String] = []
        var ackedFinal: [String] = []
        var ackedScores: [[String]] = []
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let db = app.db
        guard let sql = db as? any SQLDatabase else { throw CLIError(message: "no SQL database") }
        let round = try signature.round.map { try JSONDecoder().decode(Round.self, from: Data(contentsOf: URL(fileURLWithPath: $0))) } ?? Round()
        var findings: [String] = []
        var counts: [String: Int] = ["lost": 0, "partial": 0]
        func finding(_ kind: String, _ text: String) {
            findings.append(text)
            counts[kind, default: 0] += 1
        }

        // Batches: all certificates of the passed or none; final exactly when issued.
        struct BatchCount: Decodable {
            let id: UUID
            let status: String
            let passed: Int
            let issued: Int
        }
        let batches = try await sql.raw(
            """
            SELECT b.id AS id, b.status AS status,
                   (SELECT COUNT(*) FROM registrations r WHERE r.batch_id = b.id AND r.outcome = \(bind: RegistrationOutcome.passed.rawValue)) AS passed,
                   (SELECT COUNT(*) FROM certificates c WHERE c.batch_id = b.id) AS issued
            FROM evaluation_batches b
            """
        ).all(decoding: BatchCount.self)
        for b in batches {
            let final = b.status == BatchStatus.final.rawValue || b.status == BatchStatus.archived.rawValue
            if (final && b.issued != b.passed) || (!final && b.issued != 0) {
                finding("partial", "batch \(b.id): \(b.status) with \(b.issued) certificates of \(b.passed) passed")
            }
            if round.ackedFinal.contains(b.id.uuidString.lowercased()) && !final {
                finding("lost", "batch \(b.id): finalized, acknowledged, now \(b.status)")
            }
        }
        counts["finalBatches"] = batches.filter { $0.status == BatchStatus.final.rawValue }.count
        // Serial counters equal the highest serial issued in their body, year and level.
        // swift-format-ignore: AlwaysUseLowerCamelCase
        struct Serial: Decodable {
            let organization_id: UUID
            let year: Int
            let level: String
            let last_serial: Int
        }
        let serials = try await sql.raw("SELECT organization_id, year, level, last_serial FROM certificate_serials").all(decoding: Serial.self)
        // swift-format-ignore: AlwaysUseLowerCamelCase
        struct Issued: Decodable {
            let organization_id: UUID
            let issue_date: String
            let level: String
            let number: String
        }
        let issued = try await sql.raw("SELECT organization_id, issue_date, level, number FROM certificates WHERE batch_id IS NOT NULL")
            .all(decoding: Issued.self)
        var highest: [String: Int] = [:]
        for c in issued {
            let key = "\(c.organization_id)/\(c.issue_date.prefix(4))/\(c.level)"
            highest[key] = max(highest[key] ?? 0, Int(c.number.suffix(6)) ?? 0)
        }
        for s in serials where (highest["\(s.organization_id)/\(s.year)/\(s.level)"] ?? 0) != s.last_serial {
            finding(
                "partial",
                "serial counter \(s.organization_id) \(s.year) \(s.level) at \(s.last_serial), highest issued "
                    + "\(highest["\(s.organization_id)/\(s.year)/\(s.level)"] ?? 0)")
        }
        counts["certificates"] = issued.count
        // Imports: whole or absent.
        let rows = signature.importRows ?? 20_000
        for name in round.imports {
            let n = try await PersonRecord.query(on: db).filter(\.$name, .custom("LIKE"), "\(name)号%").count()
            if n != 0 && n != rows { finding("partial", "import \(name): \(n) of \(rows) rows") }
            if round.ackedImports.contains(name) && n != rows { finding("lost", "import \(name): acknowledged, \(n) of \(rows) rows") }
            counts["importsWhole", default: 0] += n == rows ? 1 : 0
        }
        // Scores and their audit entries, one for one.
        var scored: [String: Int] = [:]
        for s in try await PracticalScoreRecord.query(on: db).all() {
            scored["\(s.registrationID.uuidString.lowercased())/\(s.subject)", default: 0] += 1
        }
        var audited: [String: Int] = [:]
        for e in try await AuditEventRecord.query(on: db).filter(\.$action == "score.submitted").all() {
            let subject = (try? JSONDecoder().decode([String: String].self, from: Data(e.detail.utf8)))?["subject"] ?? ""
            audited["\(e.objectID ?? "")/\(subject)", default: 0] += 1
        }
        for key in Set(scored.keys).union(audited.keys) where scored[key] != audited[key] {
            finding("partial", "scores \(key): \(scored[key] ?? 0) stored, \(audited[key] ?? 0) audited")
        }
        counts["scores"] = scored.values.reduce(0, +)
        if !round.ackedScores.isEmpty {
            var personOf: [String: UUID] = [:]
            for u in try await UserRecord.query(on: db).filter(\.$username ~~ Set(round.ackedScores.map { $0[1] })).all() {
                personOf[u.username] = u.personID
            }
            let ids = Set(round.ackedScores.compactMap { UUID(uuidString: $0[0]) })
            let have = Set(
                try await PracticalScoreRecord.query(on: db).filter(\.$registrationID ~~ ids).all()
                    .map { "\($0.registrationID.uuidString.lowercased())/\($0.assessorPersonID)" })
            for pair in round.ackedScores where !have.contains("\(pair[0])/\(personOf[pair[1]].map { "\($0)" } ?? "-")") {
                finding("lost", "score by \(pair[1]) for \(pair[0]): acknowledged, missing")
            }
        }
        if case .sqlite = app.config.database {
            // swift-format-ignore: AlwaysUseLowerCamelCase
            struct Check: Decodable { let integrity_check: String }
            let result = try await sql.raw("PRAGMA integrity_check").all(decoding: Check.self).map(\.integrity_check)
            if result != ["ok"] { finding("integrity", "integrity_check: \(result.joined(separator: "; "))") }
        }
        let audit = try await AuditLog.verify(on: db)
        if !audit.isIntact { finding("audit", "audit chain broken after \(audit.checked) entries") }
        counts["auditEntries"] = audit.checked
        let out = String(
            decoding: try JSONSerialization.data(withJSONObject: ["counts": counts, "findings": findings], options: [.sortedKeys]),
            as: UTF8.self)
        context.console.print(out)
        if !findings.isEmpty { throw CLIError(message: "\(findings.count) finding(s)") }
    }
}
