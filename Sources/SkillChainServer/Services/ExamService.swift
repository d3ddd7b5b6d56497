import Fluent
import Foundation
import SkillChainCore
import Vapor

struct QuestionInput: Content, Sendable {
    var occupationCode: String?
    var level: String?
    var kind: String?
    var area: String?
    var tags: String?
    var stem: String?
    var options: [String]?
    var answer: String?
}

struct AnswerInput: Content, Sendable {
    var itemId: String?
    var answer: String?
}

/// An online paper as the candidate sees it (never the answers).
struct PaperView: Sendable {
    struct Item: Sendable {
        let id: String
        let number: Int
        let kind: QuestionKind
        let stem: String
        let options: [String]
        let given: String
    }
    let paper: ExamPaperRecord
    let items: [Item]
    let clock: ExamClock
    var submitted: Bool { paper.submittedAt != nil }
}

struct ExamService {
    let app: Application

    init(_ app: Application) { self.app = app }

    // MARK: Question bank

    static func item(_ r: QuestionItemRecord) -> QuestionItem {
        QuestionItem(
            id: r.id!.uuidString.lowercased(), kind: QuestionKind(rawValue: r.kind) ?? .single, area: r.area,
            tags: r.tags.split(separator: ";").map(String.init), stem: r.stem,
            options: (try? JSONDecoder().decode([String].self, from: Data(r.options.utf8))) ?? [], answer: r.answer)
    }

    static func areas(_ occupation: Occupation, _ level: SkillLevel) -> Set<String> {
        Set(StandardLibrary.standard(for: occupation).theoryWeights.filter { ($0.percent[level] ?? 0) > 0 }.map(\.area))
    }

    /// Validates one item; field errors carry `prefix` (e.g. `row 3: `) for imports.
    static func validate(_ input: QuestionInput) throws -> (Occupation, SkillLevel, QuestionItem) {
        var v = Validator()
        let occupation = v.occupation("occupationCode", input.occupationCode)
        let level = v.oneOf("level", input.level, SkillLevel.self)
        let kind = v.oneOf("kind", input.kind, QuestionKind.self)
        try v.check()
        let item = QuestionItem(
            id: "", kind: kind!, area: (input.area ?? "").trimmingCharacters(in: .whitespaces),
            tags: (input.tags ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            stem: (input.stem ?? "").trimmingCharacters(in: .whitespacesAndNewlines),
            options: kind == .trueFalse ? [] : (input.options ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            answer: (input.answer ?? "").uppercased().filter { !$0.isWhitespace })
        let problems = item.problems(areas: Self.areas(occupation!, level!))
        if !problems.isEmpty { throw ValidationFailure(problems) }
        return (occupation!, level!, item)
    }

    static func record(_ item: QuestionItem, occupation: Occupation, level: SkillLevel, organization: UUID) throws -> QuestionItemRecord {
        let r = QuestionItemRecord()
        r.organizationID = organization
        r.occupationCode = occupation.code
        r.level = level.rawValue
        r.kind = item.kind.rawValue
        r.area = item.area
        r.tags = item.tags.joined(separator: ";")
        r.stem = item.stem
        r.options = String(decoding: try JSONEncoder().encode(item.options), as: UTF8.self)
        r.answer = item.answer
        return r
    }

    func addItem(_ input: QuestionInput, actor: Actor) async throws -> QuestionItemRecord {
        try actor.require(.manageQuestionBank, .own)
        let (occupation, level, item) = try Self.validate(input)
        return try await app.write { db in
            let r = try Self.record(item, occupation: occupation, level: level, organization: actor.organizationID)
            try await r.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "question.added", objectType: "questionItem", objectID: r.id!.uuidString.lowercased(),
                    detail: ["occupation": occupation.code, "level": level.rawValue, "kind": item.kind.rawValue]), actor: actor, on: db, now: app.now)
            return r
        }
    }

    /// Imports a CSV in `QuestionCSV` layout for one occupation and level: all rows or none.
    func importCSV(_ text: String, occupationCode: String?, level: String?, actor: Actor) async throws -> Int {
        try actor.require(.manageQuestionBank, .own)
        var v = Validator()
        let occupation = v.occupation("occupationCode", occupationCode)
        let lv = v.oneOf("level", level, SkillLevel.self)
        try v.check()
        let allowed = Self.areas(occupation!, lv!)
        var items: [QuestionItem] = []
        var errors: [FieldError] = []
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parse(text) } catch { throw ValidationFailure([FieldError("file", "import.unterminatedQuote")]) }
        let words = ImportVocabulary(localizer: app.localizer)
        for (i, rec) in records.enumerated() {
            if i == 0, ImportFormat.questions.isHeader(rec.fields, words) { continue }
            let record = Self.normalisedQuestion(rec.fields, words)
            if record.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard let item = QuestionCSV.item(record, id: String(i)) else {
                errors.append(FieldError("file", "question.import.row", [String(rec.line), "@question.import.kind"]))
                continue
            }
            if let p = item.problems(areas: allowed).first {
                errors.append(FieldError("file", "question.import.row", [String(rec.line), "@" + p.code]))
                continue
            }
            items.append(item)
        }
        if items.isEmpty && errors.isEmpty { errors.append(FieldError("file", "question.import.empty")) }
        if !errors.isEmpty { throw ValidationFailure(Array(errors.prefix(20))) }
        let rows = items
        return try await app.write { db in
            for item in rows { try await Self.record(item, occupation: occupation!, level: lv!, organization: actor.organizationID).create(on: db) }
            try await AuditLog.append(
                .init(
                    action: "question.imported", objectType: "questionBank", objectID: nil,
                    detail: ["occupation": occupation!.code, "level": lv!.rawValue, "items": String(rows.count)]), actor: actor, on: db, now: app.now)
            return rows.count
        }
    }

    /// A question row with the platform's words for its coded cells read as codes: the kind (`单选题`, `Single choice`),
    /// the area (`相关知识要求`) and a true/false answer (`对`, `错`, `√`, `×`, `true`, `false`).
    static func normalisedQuestion(_ fields: [String], _ words: ImportVocabulary) -> [String] {
        var f = fields
        guard !f.isEmpty else { return f }
        let kind = words.questionKind.value(f[0])
        if let kind { f[0] = kind.rawValue }
        if f.count > 1, let area = words.area.value(f[1]) { f[1] = area }
        if kind == .trueFalse, f.count > 4 {
            let answer = ImportText.key(f[f.count - 1])
            if ["t", "true", "对", "正确", "是", "√", "✓", "yes"].contains(answer) { f[f.count - 1] = "T" }
            if ["f", "false", "错", "错误", "否", "×", "✗", "x", "no"].contains(answer) { f[f.count - 1] = "F" }
        }
        return f
    }

    /// The bank for an occupation and level: the current questions, or (`includingRetired`) every version, for reading
    /// and scoring papers already drawn.
    static func bank(
        organization: UUID, occupationCode: String, level: String, includingRetired: Bool = false,
        on db: any Database
    ) async throws -> [QuestionItemRecord] {
        let q = QuestionItemRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$occupationCode == occupationCode)
            .filter(\.$level == level)
        if !includingRetired { q.filter(\.$retiredAt == nil) }
        return try await q.sort(\.$createdAt).all()
    }

    // MARK: Online exam

    /// The candidate's own registration in a batch whose exam is open.
    static func ownRegistration(_ id: UUID, actor: Actor, on db: any Database) async throws -> (RegistrationRecord, BatchDetail) {
        try actor.require(.takeExam, .own)
        guard let r = try await RegistrationRecord.find(id, on: db), let me = actor.personID else { throw DomainError.notFound }
        guard let person = try await PersonRecord.find(me, on: db), person.citizenIDIndex == r.citizenIDIndex else { throw DomainError.notFound }
        return (r, try await BatchService.load(r.batchID, on: db))
    }

    /// The candidate's registrations (every batch), newest first.
    static func myRegistrations(actor: Actor, on db: any Database) async throws -> [(RegistrationRecord, EvaluationBatchRecord)] {
        guard let me = actor.personID, let person = try await PersonRecord.find(me, on: db) else { return [] }
        let regs = try await RegistrationRecord.query(on: db).filter(\.$citizenIDIndex == person.citizenIDIndex).sort(\.$createdAt, .descending).all()
        let batches = try await EvaluationBatchRecord.query(on: db).filter(\.$id ~~ Set(regs.map(\.batchID))).all()
        let byID = Dictionary(uniqueKeysWithValues: batches.map { ($0.id!, $0) })
        return regs.compactMap { r in byID[r.batchID].map { (r, $0) } }
    }

    /// Opens (or reopens) the candidate's paper. The first opening assembles it with a fresh seed and starts the clock;
    /// a paper whose time is up is handed in as it stands.
    func open(_ id: UUID, actor: Actor, now: Date? = nil) async throws -> PaperView {
        let now = now ?? app.now
        let (r, d) = try await Self.ownRegistration(id, actor: actor, on: app.db)
        guard r.eligibility == EligibilityStatus.eligible.rawValue else { throw DomainError.rule(code: "exam.notEligible") }
        let existing = try await ExamPaperRecord.query(on: app.db).filter(\.$registrationID == id).first()
        if existing == nil {
            guard d.status.examOpen else { throw DomainError.rule(code: "exam.notOpen") }
            if r.theoryScore != nil { throw DomainError.rule(code: "score.onlineExam") }
        }
        let bank = try await Self.bank(
            organization: d.batch.organizationID, occupationCode: d.batch.occupationCode, level: d.batch.level,
            includingRetired: true, on: app.db)
        let items = Dictionary(uniqueKeysWithValues: bank.map { ($0.id!.uuidString.lowercased(), Self.item($0)) })
        let current = bank.filter { $0.retiredAt == nil }.map(Self.item)
        let paper: ExamPaperRecord
        if let existing {
            paper = existing
        } else {
            let weights = d.standard.theoryWeights.map { (area: $0.area, percent: $0.percent[d.level] ?? 0) }
            let seed = PaperAssembly.newSeed(from: app.random)
            let ids: [String]
            do { ids = try PaperAssembly.assemble(bank: current, count: d.batch.questionCount, weights: weights, seed: seed) } catch {
                throw DomainError.rule(code: error.code, args: error.args)
            }
            paper = try await app.write { db in
                if let raced = try await ExamPaperRecord.query(on: db).filter(\.$registrationID == id).first() { return raced }
                let p = ExamPaperRecord()
                p.registrationID = id
                p.seed = Int64(seed)
                p.itemIDs = String(decoding: try JSONEncoder().encode(ids), as: UTF8.self)
                p.answers = "{}"
                p.startedAt = now
                try await p.create(on: db)
                try await AuditLog.append(
                    .init(
                        action: "exam.started", objectType: "registration", objectID: id.uuidString.lowercased(),
                        detail: ["seed": String(seed), "items": String(ids.count)]), actor: actor, on: db, now: app.now)
                return p
            }
        }
        let clock = ExamClock(startedAt: paper.startedAt, minimumMinutes: d.batch.theoryMinimumMinutes, durationMinutes: d.batch.theoryMinutes)
        if paper.submittedAt == nil, clock.isOver(at: now) {
            try await submit(id, actor: actor, now: now, automatic: true)
            return try await open(id, actor: actor, now: now)
        }
        let answers = Self.decodeAnswers(paper.answers)
        let ids = (try? JSONDecoder().decode([String].self, from: Data(paper.itemIDs.utf8))) ?? []
        return PaperView(
            paper: paper,
            items: ids.enumerated().compactMap { n, id in
                items[id].map { PaperView.Item(id: id, number: n + 1, kind: $0.kind, stem: $0.stem, options: $0.options, given: answers[id] ?? "") }
            }, clock: clock)
    }

    static func decodeAnswers(_ json: String) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(json.utf8))) ?? [:]
    }

    /// Saves one answer as the candidate goes (an empty answer clears it).
    func saveAnswer(_ id: UUID, _ input: AnswerInput, actor: Actor, now: Date? = nil) async throws {
        let now = now ?? app.now
        let (_, d) = try await Self.ownRegistration(id, actor: actor, on: app.db)
        var v = Validator()
        let itemID = v.required("itemId", input.itemId, max: 64)
        let answer = (input.answer ?? "").uppercased().filter { !$0.isWhitespace }
        if answer.count > 8 || !answer.allSatisfy({ "ABCDEFGHTF".contains($0) }) { v.add("answer", "exam.answer.invalid") }
        try v.check()
        try await app.write { db in
            guard let p = try await ExamPaperRecord.query(on: db).filter(\.$registrationID == id).first() else {
                throw DomainError.rule(code: "exam.notStarted")
            }
            if p.submittedAt != nil { throw DomainError.rule(code: "exam.submitted") }
            let clock = ExamClock(startedAt: p.startedAt, minimumMinutes: d.batch.theoryMinimumMinutes, durationMinutes: d.batch.theoryMinutes)
            if !clock.acceptsAnswers(at: now) { throw DomainError.rule(code: "exam.timeUp") }
            let ids = (try? JSONDecoder().decode([String].self, from: Data(p.itemIDs.utf8))) ?? []
            guard ids.contains(itemID) else { throw ValidationFailure([FieldError("itemId", "exam.item.notOnPaper")]) }
            var answers = Self.decodeAnswers(p.answers)
            answers[itemID] = answer.isEmpty ? nil : answer
            p.answers = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self)
            try await p.update(on: db)
        }
    }

    /// Hands the paper in and scores it. Refused before the minimum time unless the time is up.
    func submit(_ id: UUID, actor: Actor, now: Date? = nil, automatic: Bool = false) async throws {
        let now = now ?? app.now
        let (_, d) = try await Self.ownRegistration(id, actor: actor, on: app.db)
        try await handIn(id, d, actor: actor, now: now, automatic: automatic)
    }

    /// Hands in every paper of a batch whose time is up but that its candidate never handed in (before sign-off).
    func closeExpired(_ d: BatchDetail, now: Date? = nil) async throws {
        let now = now ?? app.now
        let regs = try await RegistrationRecord.query(on: app.db).filter(\.$batchID == d.batch.id!).all().compactMap(\.id)
        let open = try await ExamPaperRecord.query(on: app.db).filter(\.$registrationID ~~ regs).filter(\.$submittedAt == nil).all()
        for p in open
        where ExamClock(startedAt: p.startedAt, minimumMinutes: d.batch.theoryMinimumMinutes, durationMinutes: d.batch.theoryMinutes).isOver(at: now)
        {
            try await handIn(p.registrationID, d, actor: nil, now: now, automatic: true)
        }
    }

    func handIn(_ id: UUID, _ d: BatchDetail, actor: Actor?, now: Date, automatic: Bool) async throws {
        let rules = app.config.evaluationRules
        let bank = try await Self.bank(
            organization: d.batch.organizationID, occupationCode: d.batch.occupationCode, level: d.batch.level,
            includingRetired: true, on: app.db)
        let items = Dictionary(uniqueKeysWithValues: bank.map { ($0.id!.uuidString.lowercased(), Self.item($0)) })
        try await app.write { db in
            guard let p = try await ExamPaperRecord.query(on: db).filter(\.$registrationID == id).first() else {
                throw DomainError.rule(code: "exam.notStarted")
            }
            if p.submittedAt != nil { throw DomainError.rule(code: "exam.submitted") }
            let clock = ExamClock(startedAt: p.startedAt, minimumMinutes: d.batch.theoryMinimumMinutes, durationMinutes: d.batch.theoryMinutes)
            if !clock.maySubmit(at: now) && !clock.isOver(at: now) {
                let left = max(1, Int((clock.earliestSubmission.timeIntervalSince(now) / 60).rounded(.up)))
                throw DomainError.rule(code: "exam.tooEarly", args: [String(left)])
            }
            let ids = (try? JSONDecoder().decode([String].self, from: Data(p.itemIDs.utf8))) ?? []
            let result = PaperScoring.score(items: ids.compactMap { items[$0] }, answers: Self.decodeAnswers(p.answers))
            p.submittedAt = min(now, clock.deadline)
            p.score = result.score
            try await p.update(on: db)
            guard let r = try await RegistrationRecord.find(id, on: db) else { throw DomainError.notFound }
            r.theoryScore = result.score
            r.outcome = RegistrationService.outcome(r, level: d.level, rules: rules)
            try await r.update(on: db)
            try await AuditLog.append(
                .init(
                    action: automatic ? "exam.autoSubmitted" : "exam.submitted", objectType: "registration",
                    objectID: id.uuidString.lowercased(), detail: ["score": String(result.score), "correct": String(result.correct)]),
                actor: actor, on: db, now: app.now)
        }
    }
}
