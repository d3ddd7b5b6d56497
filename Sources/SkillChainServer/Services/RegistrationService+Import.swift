import Fluent
import Foundation
import SkillChainCore
import Vapor

extension RegistrationService {
    /// Registers a roster (CSV: citizen ID, clause, years, previous certificate occupation, level and years, department):
    /// every row checked like a single registration, all rows or none.
    func importCSV(_ batchID: UUID, _ text: String, actor: Actor, today: Day? = nil) async throws -> Int {
        let today = today ?? app.today
        let d = try await BatchService.authorized(batchID, .manageBatch, actor: actor, on: app.db)
        guard d.status.acceptsRegistrations else { throw DomainError.rule(code: "registration.closed") }
        let rules = app.config.evaluationRules
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parse(text) } catch { throw ValidationFailure([FieldError("file", "import.unterminatedQuote")]) }
        let orgs = try await Self.registrableOrganizations(body: d.batch.organizationID, rules: rules, on: app.db)
        let words = ImportVocabulary(localizer: app.localizer)
        var rows: [RegistrationRecord] = []
        var errors: [FieldError] = []
        var seen: Set<String> = []
        for rec in records {
            let f = rec.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if rec.line == records.first?.line && ImportFormat.registrations.isHeader(f, words) { continue }
            if f.allSatisfy(\.isEmpty) { continue }
            func field(_ i: Int) -> String? { i < f.count && !f[i].isEmpty ? f[i] : nil }
            func row(_ code: String, _ args: [String] = []) {
                errors.append(FieldError("file", "question.import.row", [String(rec.line), "@" + code] + args))
            }
            guard let id = try? CitizenID(f.first ?? "", today: today) else {
                row("citizenId.invalid")
                continue
            }
            let index = app.personalData.blindIndex(id.value)
            if !seen.insert(index).inserted {
                row("registration.duplicate")
                continue
            }
            guard let person = try await PersonRecord.query(on: app.db).filter(\.$citizenIDIndex == index).filter(\.$organizationID ~~ orgs).first()
            else {
                row("registration.person.notFound")
                continue
            }
            let input = RegistrationInput(
                personId: person.id, clauseId: field(1), yearsInOccupation: field(2).flatMap(Double.init),
                certificateOccupationCode: field(3),
                certificateLevel: field(4).map { words.level.value($0)?.rawValue ?? Self.levelCode($0) },
                certificateYears: field(5).flatMap(Double.init), isFinalYearStudent: false, department: field(6))
            do { rows.append(try await Self.prepare(d, input, rules: rules, on: app.db, today: today)) } catch let failure as ValidationFailure {
                for e in failure.errors.prefix(1) {
                    errors.append(FieldError("file", "question.import.row", [String(rec.line), "@" + e.code] + e.args))
                }
            }
        }
        if rows.isEmpty && errors.isEmpty { errors.append(FieldError("file", "question.import.empty")) }
        if !errors.isEmpty { throw ValidationFailure(Array(errors.prefix(20))) }
        let ready = rows
        return try await app.write { db in try await Self.insert(ready, batchID: batchID, actor: actor, on: db, now: app.now).count }
    }

    /// `level4`, `4`, `四级` or `中级工` → `level4` (Core's `SkillLevel(written:)`); anything else is passed on to be refused.
    static func levelCode(_ raw: String) -> String {
        SkillLevel(written: raw)?.rawValue ?? raw.trimmingCharacters(in: .whitespaces)
    }

    /// Paper theory scores for a batch (CSV: citizen ID, score), all rows or none, each audited.
    func importTheory(_ batchID: UUID, _ text: String, actor: Actor, today: Day? = nil) async throws -> Int {
        let today = today ?? app.today
        let d = try await BatchService.authorized(batchID, .manageBatch, actor: actor, on: app.db)
        guard d.status.acceptsScores else { throw DomainError.rule(code: d.status.isSignedOff ? "score.signedOff" : "score.notYet") }
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parse(text) } catch { throw ValidationFailure([FieldError("file", "import.unterminatedQuote")]) }
        let regs = try await RegistrationRecord.query(on: app.db).filter(\.$batchID == batchID).all()
        let byIndex = Dictionary(uniqueKeysWithValues: regs.map { ($0.citizenIDIndex, $0) })
        let words = ImportVocabulary(localizer: app.localizer)
        let online = Set(try await ExamPaperRecord.query(on: app.db).filter(\.$registrationID ~~ regs.compactMap(\.id)).all().map(\.registrationID))
        var scores: [(UUID, Double)] = []
        var errors: [FieldError] = []
        for rec in records {
            let f = rec.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            if (rec.line == records.first?.line && ImportFormat.scores.isHeader(f, words)) || f.allSatisfy(\.isEmpty) { continue }
            func row(_ code: String, _ args: [String] = []) {
                errors.append(FieldError("file", "question.import.row", [String(rec.line), "@" + code] + args))
            }
            guard let id = try? CitizenID(f.first ?? "", today: today) else {
                row("citizenId.invalid")
                continue
            }
            guard let r = byIndex[app.personalData.blindIndex(id.value)] else {
                row("registration.notInBatch")
                continue
            }
            guard r.eligibility == EligibilityStatus.eligible.rawValue else {
                row("score.notEligible")
                continue
            }
            if online.contains(r.id!) {
                row("score.onlineExam")
                continue
            }
            if let s = r.retakeSubject, s != Subject.theory.rawValue {
                row("score.carriedOver")
                continue
            }
            guard f.count > 1, let score = Double(f[1]), (0...100).contains(score) else {
                row("field.outOfRange", ["0", "100"])
                continue
            }
            if scores.contains(where: { $0.0 == r.id! }) {
                row("registration.duplicate")
                continue
            }
            scores.append((r.id!, (score * 10).rounded() / 10))
        }
        if scores.isEmpty && errors.isEmpty { errors.append(FieldError("file", "question.import.empty")) }
        if !errors.isEmpty { throw ValidationFailure(Array(errors.prefix(20))) }
        let rules = app.config.evaluationRules
        let ready = scores
        return try await app.write { db in
            for (id, score) in ready {
                guard let row = try await RegistrationRecord.find(id, on: db) else { continue }
                let old = row.theoryScore
                row.theoryScore = score
                row.outcome = Self.outcome(row, level: d.level, rules: rules)
                try await row.update(on: db)
                try await AuditLog.append(
                    .init(
                        action: "score.theoryEntered", objectType: "registration", objectID: id.uuidString.lowercased(),
                        detail: ["score": String(score), "previous": old.map { String($0) } ?? "", "source": "import"]), actor: actor, on: db,
                    now: app.now)
            }
            return ready.count
        }
    }
}
