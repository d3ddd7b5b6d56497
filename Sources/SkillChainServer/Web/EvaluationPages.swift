import Fluent
import SkillChainCore
import Vapor

/// One registration: eligibility explained and reviewed; scores entered, seen and corrected.
enum RegistrationPages {
    struct ScoreRow: Encodable { let assessor: String; let subject: String; let score: String; let sheet: String }
    struct SubjectForm: Encodable { let value: String; let label: String }
    struct Criterion: Encodable { let key: String; let label: String; let percent: Int; let value: String; let error: String? }
    struct Body: Encodable {
        let batchTitle: String; let batchHref: String; let name: String; let maskedID: String; let showID: Bool
        let clause: String; let engineOK: Bool; let shortfalls: [String]; let hasShortfalls: Bool
        let eligibility: String; let eligibilityKey: String; let overrideReason: String?
        let canReview: Bool; let reviewAction: String
        let subjects: [BatchPages.Fact]; let outcome: String; let outcomeKey: String; let flagged: Bool; let spread: String
        let scoreRows: [ScoreRow]; let hasScoreRows: Bool; let othersHidden: Bool
        let canScorePractical: Bool; let canScoreReview: Bool; let criteria: [Criterion]; let scoreAction: String; let recusedReasons: String
        let canEnterTheory: Bool; let theoryAction: String
        let canCorrect: Bool; let correctSubjects: [SubjectForm]; let correctAction: String
        let retakeNote: String?
        let values: [String: String]; let errors: [String: String]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let (r, d) = try await RegistrationService.authorized(id, .viewBatch, actor: actor, on: req.db)
        let isAssessor = actor.role == .assessor
        let rules = req.application.config.evaluationRules
        let table = try await BatchService.recusals(d, registrations: [r], rules: rules, on: req.db)
        let myReasons = actor.personID.map { table.reasons($0, id) } ?? []
        if isAssessor && (!myReasons.isEmpty || r.eligibility != EligibilityStatus.eligible.rawValue) { throw DomainError.notFound }
        let canManage = actor.can(.manageBatch, d.scope(for: actor))
        guard let person = try await PersonRecord.find(r.personID, on: req.db) else { throw DomainError.notFound }
        let scores = try await PracticalScoreRecord.query(on: req.db).filter(\.$registrationID == id).all()
        // Assessors score blind: they see the others' scores only after handing in their own.
        let mine = scores.filter { $0.assessorPersonID == actor.personID }
        let visible = isAssessor ? (mine.isEmpty ? [] : scores) : scores
        let names = d.names
        let subjects = PassRule.subjects(for: d.level)
        let assessorSubjects = subjects.filter { $0 != .theory }.filter { s in !mine.contains { $0.subject == s.rawValue } || r.needsReconciliation }
        let body = Body(
            batchTitle: d.batch.title, batchHref: SiteURL.batch(d.batch.id!).path, name: person.name, maskedID: person.citizenIDMasked, showID: !isAssessor,
            clause: r.clauseID, engineOK: r.engineEligible,
            shortfalls: RegistrationService.shortfalls(r).map { req.t($0.code, $0.args) }, hasShortfalls: !RegistrationService.shortfalls(r).isEmpty,
            eligibility: req.t("eligibilityStatus.\(r.eligibility)"), eligibilityKey: r.eligibility, overrideReason: r.overrideReason,
            canReview: canManage && d.status == .registrationOpen, reviewAction: SiteURL.registrationReview(id).path,
            subjects: subjects.map { BatchPages.Fact(label: req.t("subject.\($0.rawValue)"), value: r.score($0).map(BatchPages.formatted) ?? "—") },
            outcome: r.outcome.map { req.t("result.\($0)") } ?? "—", outcomeKey: r.outcome ?? "none", flagged: r.needsReconciliation,
            spread: r.practicalSpread.map(BatchPages.formatted) ?? "",
            scoreRows: visible.sorted { ($0.subject, names[$0.assessorPersonID] ?? "") < ($1.subject, names[$1.assessorPersonID] ?? "") }.map { row in
                let sheet = ((try? JSONDecoder().decode([String: Double].self, from: Data(row.criteria.utf8))) ?? [:]).sorted { $0.key < $1.key }
                    .map { "\(req.t("standard.area.\($0.key)")) \(BatchPages.formatted($0.value))" }.joined(separator: req.t("list.separator"))
                return ScoreRow(assessor: names[row.assessorPersonID] ?? "", subject: req.t("subject.\(row.subject)"), score: BatchPages.formatted(row.score), sheet: sheet)
            },
            hasScoreRows: !visible.isEmpty,
            othersHidden: isAssessor && mine.isEmpty && d.status.acceptsScores && assessorSubjects.contains { $0.rawValue == (r.retakeSubject ?? $0.rawValue) },
            canScorePractical: isAssessor && d.status.acceptsScores && assessorSubjects.contains(.practical) && (r.retakeSubject ?? "practical") == "practical",
            canScoreReview: isAssessor && d.status.acceptsScores && assessorSubjects.contains(.review) && (r.retakeSubject ?? "review") == "review",
            criteria: d.standard.skillWeights.filter { ($0.percent[d.level] ?? 0) > 0 }.map { w in
                Criterion(key: w.area, label: req.t("standard.area.\(w.area)"), percent: w.percent[d.level] ?? 0, value: values["criteria.\(w.area)"] ?? "",
                          error: errors["criteria.\(w.area)"])
            },
            scoreAction: SiteURL.registrationScores(id).path,
            recusedReasons: myReasons.map { req.t("recusal.\($0.rawValue)") }.joined(separator: req.t("list.separator")),
            canEnterTheory: canManage && d.status.acceptsScores && r.eligibility == EligibilityStatus.eligible.rawValue,
            theoryAction: SiteURL.registrationTheory(id).path,
            canCorrect: canManage && (d.status == .scored || d.status == .inNotice) && r.eligibility == EligibilityStatus.eligible.rawValue,
            correctSubjects: subjects.map { SubjectForm(value: $0.rawValue, label: req.t("subject.\($0.rawValue)")) },
            correctAction: SiteURL.registrationCorrection(id).path,
            retakeNote: r.retakeSubject.map { req.t("registration.retakeNote", ["@subject.\($0)"]) },
            values: values, errors: errors)
        return try await Page.render("registration", title: req.t("registration.titleFor", [person.name]), body, req, status: status)
    }

    static func review(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(EligibilityDecisionInput.self)
        return try await Page.attempt(req) {
            try await RegistrationService.review(id, input, actor: actor, app: req.application)
            return Page.redirect(.registration(id), flash: "flash.eligibilityReviewed", req)
        } onFailure: { errors in try await render(req, values: ["reason": input.reason ?? ""], errors: errors, status: .unprocessableEntity) }
    }

    struct RawScore: Content { var subject: String?; var score: String?; var reason: String?; var criteria: [String: String]? }

    static func scoreInput(_ raw: RawScore) throws -> ScoreInput {
        let t = (raw.score ?? "").trimmingCharacters(in: .whitespaces)
        var errors: [FieldError] = []
        if !t.isEmpty && Double(t) == nil { errors.append(FieldError("score", "field.number")) }
        var criteria: [String: Double]?
        if let sheet = raw.criteria {
            criteria = [:]
            for (k, v) in sheet {
                let text = v.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { errors.append(FieldError("criteria.\(k)", "field.required")) } else if let n = Double(text) { criteria![k] = n } else {
                    errors.append(FieldError("criteria.\(k)", "field.number"))
                }
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return ScoreInput(subject: raw.subject, score: Double(t), criteria: criteria, reason: raw.reason)
    }

    static func scoreAction(_ req: Request, flash: String, _ body: @escaping (ScoreInput, Actor, UUID) async throws -> Void) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let raw = try req.content.decode(RawScore.self)
        return try await Page.attempt(req) {
            try await body(try scoreInput(raw), actor, id)
            return Page.redirect(.registration(id), flash: flash, req)
        } onFailure: { errors in
            var values = ["score": raw.score ?? "", "reason": raw.reason ?? "", "subject": raw.subject ?? ""]
            for (k, v) in raw.criteria ?? [:] { values["criteria.\(k)"] = v }
            return try await render(req, values: values, errors: errors, status: .unprocessableEntity)
        }
    }

    static func score(_ req: Request) async throws -> Response {
        try await scoreAction(req, flash: "flash.scoreSubmitted") { try await RegistrationService.score($2, $0, actor: $1, app: req.application) }
    }

    static func theory(_ req: Request) async throws -> Response {
        try await scoreAction(req, flash: "flash.scoreSubmitted") { try await RegistrationService.enterTheory($2, $0, actor: $1, app: req.application) }
    }

    static func correct(_ req: Request) async throws -> Response {
        try await scoreAction(req, flash: "flash.scoreCorrected") { try await RegistrationService.correct($2, $0, actor: $1, app: req.application) }
    }
}

/// The body's question bank per occupation and level: add, import and export CSV.
enum QuestionBankPages {
    struct Row: Encodable {
        let kind: String; let area: String; let tags: String; let stem: String; let options: String; let answer: String; let editHref: String
    }
    struct Body: Encodable {
        let occupationCode: String; let level: String; let levels: [ChoiceOption]; let kinds: [ChoiceOption]; let areas: [ChoiceOption]
        let rows: [Row]; let hasRows: Bool; let count: Int; let action: String; let importAction: String; let exportHref: String; let filterAction: String
        let values: [String: String]; let errors: [String: String]; let help: [ImportHelp]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let code = values["occupationCode"] ?? (try? req.query.get(String.self, at: "occupationCode")) ?? ""
        let level = values["level"] ?? (try? req.query.get(String.self, at: "level")) ?? SkillLevel.level4.rawValue
        let occupation = OccupationCatalog.edition2022.occupation(code)
        let items = occupation == nil ? [] : try await ExamService.bank(organization: actor.organizationID, occupationCode: code, level: level, on: req.db)
        let areas = occupation.map { StandardLibrary.standard(for: $0).theoryWeights.map(\.area) } ?? ["basicRequirements", "relatedKnowledge"]
        return try await Page.render("question-bank", title: req.t("questions.title"), Body(
            occupationCode: code, level: level,
            levels: SkillLevel.certificated.map { ChoiceOption(value: $0.rawValue, label: req.t("level.\($0.rawValue)"), selected: level == $0.rawValue) },
            kinds: Page.options(QuestionKind.self, prefix: "questionKind", selected: [values["kind"] ?? QuestionKind.single.rawValue], req),
            areas: areas.map { ChoiceOption(value: $0, label: req.t("standard.area.\($0)"), selected: values["area"] == $0) },
            rows: items.prefix(200).map { r in
                let i = ExamService.item(r)
                return Row(kind: req.t("questionKind.\(i.kind.rawValue)"), area: req.t("standard.area.\(i.area)"), tags: i.tags.joined(separator: req.t("list.separator")),
                           stem: i.stem, options: zip("ABCDEFGH", i.options).map { "\($0). \($1)" }.joined(separator: "　"), answer: i.answer,
                           editHref: SiteURL.questionEdit(r.id!).path)
            },
            hasRows: !items.isEmpty, count: items.count, action: SiteURL.questionBank.path, importAction: SiteURL.questionBankImport.path,
            exportHref: SiteURL.questionBankExport(code: code, level: level).path, filterAction: SiteURL.questionBank.path,
            values: values, errors: errors, help: [ImportHelp.make(.questions, req)]), req, status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Raw: Content {
            var occupationCode: String?; var level: String?; var kind: String?; var area: String?; var tags: String?; var stem: String?
            var optionA: String?; var optionB: String?; var optionC: String?; var optionD: String?; var answer: String?
        }
        let raw = try req.content.decode(Raw.self)
        let input = QuestionInput(occupationCode: raw.occupationCode, level: raw.level, kind: raw.kind, area: raw.area, tags: raw.tags, stem: raw.stem,
                                  options: [raw.optionA, raw.optionB, raw.optionC, raw.optionD].compactMap { $0 }, answer: raw.answer)
        let values = ["occupationCode": raw.occupationCode ?? "", "level": raw.level ?? "", "kind": raw.kind ?? "", "area": raw.area ?? "", "tags": raw.tags ?? "",
                      "stem": raw.stem ?? "", "optionA": raw.optionA ?? "", "optionB": raw.optionB ?? "", "optionC": raw.optionC ?? "", "optionD": raw.optionD ?? "",
                      "answer": raw.answer ?? ""].filter { !$0.value.isEmpty }
        return try await Page.attempt(req) {
            _ = try await ExamService.addItem(input, actor: actor, app: req.application)
            return Page.redirect(.questionBankFor(code: raw.occupationCode ?? "", level: raw.level ?? ""), flash: "flash.questionAdded", req)
        } onFailure: { errors in try await render(req, values: values, errors: errors, status: .unprocessableEntity) }
    }

    static func importCSV(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Raw: Content { var occupationCode: String?; var level: String?; var csv: String? }
        let raw = try req.content.decode(Raw.self)
        return try await Page.attempt(req) {
            _ = try await ExamService.importCSV(raw.csv ?? "", occupationCode: raw.occupationCode, level: raw.level, actor: actor, app: req.application)
            return Page.redirect(.questionBankFor(code: raw.occupationCode ?? "", level: raw.level ?? ""), flash: "flash.questionsImported", req)
        } onFailure: { errors in
            try await render(req, values: ["occupationCode": raw.occupationCode ?? "", "level": raw.level ?? "", "csv": raw.csv ?? ""].filter { !$0.value.isEmpty },
                             errors: errors, status: .unprocessableEntity)
        }
    }

    static func export(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let code = (try? req.query.get(String.self, at: "occupationCode")) ?? ""
        let level = (try? req.query.get(String.self, at: "level")) ?? ""
        var csv = CSVWriter(header: QuestionCSV.header)
        for r in try await ExamService.bank(organization: actor.organizationID, occupationCode: code, level: level, on: req.db) {
            csv.append(QuestionCSV.record(ExamService.item(r)))
        }
        return csv.response(filename: "questions-\(code)-\(level).csv")
    }
}

/// The candidate's side: their registrations and the online theory exam.
enum ExamPages {
    struct Row: Encodable {
        let title: String; let occupation: String; let level: String; let status: String; let eligibility: String
        let theory: String; let outcome: String; let examHref: String; let canTake: Bool
    }
    struct ListBody: Encodable { let rows: [Row]; let hasRows: Bool }

    static func list(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let mine = try await ExamService.myRegistrations(actor: actor, on: req.db)
        return try await Page.render("exams", title: req.t("exams.title"), ListBody(rows: mine.map { r, b in
            let status = BatchStatus(rawValue: b.status) ?? .planned
            return Row(title: b.title, occupation: PositionPages.occupationLabel(b.occupationCode), level: req.t("level.\(b.level)"),
                       status: req.t("batchStatus.\(b.status)"), eligibility: req.t("eligibilityStatus.\(r.eligibility)"),
                       theory: r.theoryScore.map(BatchPages.formatted) ?? "—", outcome: r.outcome.map { req.t("result.\($0)") } ?? "—",
                       examHref: SiteURL.exam(r.id!).path,
                       canTake: r.eligibility == EligibilityStatus.eligible.rawValue && (status.examOpen || r.theoryScore != nil))
        }, hasRows: !mine.isEmpty), req)
    }

    struct ItemView: Encodable {
        let id: String; let number: Int; let kind: String; let kindLabel: String; let stem: String; let inputType: String
        let choices: [ChoiceOption]
    }
    struct Body: Encodable {
        let title: String; let items: [ItemView]; let submitted: Bool; let score: String; let answered: Int; let total: Int
        let startedAt: String; let earliest: String; let deadline: String; let saveAction: String; let submitAction: String; let errors: [String: String]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let view = try await ExamService.open(id, actor: actor, app: req.application)
        let (_, d) = try await ExamService.ownRegistration(id, actor: actor, on: req.db)
        let iso = ISO8601DateFormatter()
        let body = Body(
            title: d.batch.title,
            items: view.items.map { i in
                let choices: [ChoiceOption] = i.kind == .trueFalse
                    ? [ChoiceOption(value: "T", label: req.t("exam.true"), selected: i.given == "T"), ChoiceOption(value: "F", label: req.t("exam.false"), selected: i.given == "F")]
                    : zip("ABCDEFGH", i.options).map { letter, text in ChoiceOption(value: String(letter), label: "\(letter). \(text)", selected: i.given.contains(letter)) }
                return ItemView(id: i.id, number: i.number, kind: i.kind.rawValue, kindLabel: req.t("questionKind.\(i.kind.rawValue)"), stem: i.stem,
                                inputType: i.kind == .multiple ? "checkbox" : "radio", choices: choices)
            },
            submitted: view.submitted, score: view.paper.score.map(BatchPages.formatted) ?? "",
            answered: view.items.filter { !$0.given.isEmpty }.count, total: view.items.count,
            startedAt: iso.string(from: view.clock.startedAt), earliest: iso.string(from: view.clock.earliestSubmission), deadline: iso.string(from: view.clock.deadline),
            saveAction: SiteURL.examAnswers(id).path, submitAction: SiteURL.examSubmit(id).path, errors: errors)
        return try await Page.render("exam", title: req.t("exam.titleFor", [d.batch.title]), body, req, status: status)
    }

    /// Saves one answer (the page's script posts each change; without script the whole form posts to submit).
    static func save(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content { var itemId: String?; var answer: String?; var answers: [String]? }
        let raw = try req.content.decode(Raw.self)
        try await ExamService.saveAnswer(id, AnswerInput(itemId: raw.itemId, answer: raw.answer ?? (raw.answers ?? []).joined()), actor: actor, app: req.application)
        return Response(status: .noContent)
    }

    static func submit(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        // Without script, the answers come with the form: save them first.
        if let fields = try? req.content.decode([String: [String]].self) {
            for (key, value) in fields where key.hasPrefix("q-") {
                try? await ExamService.saveAnswer(id, AnswerInput(itemId: String(key.dropFirst(2)), answer: value.joined()), actor: actor, app: req.application)
            }
        }
        return try await Page.attempt(req) {
            try await ExamService.submit(id, actor: actor, app: req.application)
            return Page.redirect(.exam(id), flash: "flash.examSubmitted", req)
        } onFailure: { errors in try await render(req, errors: errors, status: .unprocessableEntity) }
    }
}

/// Public notice (公示): anyone can read it and object, without signing in.
enum NoticePages {
    struct Line: Encodable { let name: String; let maskedID: String; let occupation: String; let level: String; let body: String }
    struct BatchView: Encodable {
        let id: String; let title: String; let body: String; let period: String; let lines: [Line]; let hasLines: Bool; let action: String; let open: Bool
    }
    struct Body: Encodable { let batches: [BatchView]; let hasBatches: Bool; let values: [String: String]; let errors: [String: String]; let errorBatch: String; let sent: Bool }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], errorBatch: String = "", status: HTTPStatus = .ok) async throws -> Response {
        let today = req.today
        let batches = try await NoticeService.current(on: req.db, today: today)
        return try await Page.render("notices", title: req.t("notices.title"), Body(
            batches: batches.map { n in
                BatchView(id: n.batch.id!.uuidString.lowercased(), title: n.batch.title, body: n.body,
                          period: req.t("programs.dates", [n.period.from.description, n.period.until.description]),
                          lines: n.lines.map { Line(name: $0.name, maskedID: $0.maskedID, occupation: $0.occupation, level: req.t("level.\($0.level.rawValue)"), body: $0.body) },
                          hasLines: !n.lines.isEmpty, action: SiteURL.noticeObjections(n.batch.id!).path, open: n.period.isOpen(on: today))
            },
            hasBatches: !batches.isEmpty, values: values, errors: errors, errorBatch: errorBatch, sent: (try? req.query.get(String.self, at: "sent")) == "1"), req, status: status)
    }

    static func object(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        let input = try req.content.decode(ObjectionInput.self)
        guard try await ObjectionThrottle.allow(req) else {
            return try await render(req, values: ["candidate": input.candidate ?? "", "text": input.text ?? ""].filter { !$0.value.isEmpty },
                                    errors: ["form": req.t("objection.tooMany")], errorBatch: id.uuidString.lowercased(), status: .tooManyRequests)
        }
        return try await Page.attempt(req) {
            _ = try await NoticeService.object(id, input, app: req.application)
            return req.redirect(to: SiteURL.noticesSent.path, redirectType: .normal)
        } onFailure: { errors in
            try await render(req, values: ["candidate": input.candidate ?? "", "text": input.text ?? "", "contact": input.contact ?? ""].filter { !$0.value.isEmpty },
                             errors: errors, errorBatch: id.uuidString.lowercased(), status: .unprocessableEntity)
        }
    }
}

/// The working-day calendar: holidays and makeup working days, kept by the platform administrator.
enum CalendarPages {
    struct Row: Encodable { let day: String; let kind: String; let name: String; let removeAction: String }
    struct Body: Encodable { let rows: [Row]; let hasRows: Bool; let action: String; let values: [String: String]; let errors: [String: String] }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let days = try await CalendarDayRecord.query(on: req.db).sort(\.$day).all()
        return try await Page.render("calendar", title: req.t("calendar.title"), Body(
            rows: days.map { Row(day: $0.day, kind: req.t("calendar.kind.\($0.kind)"), name: $0.name, removeAction: SiteURL.calendarDayRemoval($0.id!).path) },
            hasRows: !days.isEmpty, action: SiteURL.calendar.path, values: values, errors: errors), req, status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.content.decode(CalendarDayInput.self)
        return try await Page.attempt(req) {
            try await CalendarService.add(input, actor: actor, app: req.application)
            return Page.redirect(.calendar, flash: "flash.calendarSaved", req)
        } onFailure: { errors in
            try await render(req, values: ["day": input.day ?? "", "kind": input.kind ?? "", "name": input.name ?? ""].filter { !$0.value.isEmpty }, errors: errors, status: .unprocessableEntity)
        }
    }

    static func remove(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try await CalendarService.remove(try req.idParameter(), actor: actor, app: req.application)
        return Page.redirect(.calendar, flash: "flash.calendarSaved", req)
    }
}

/// Objections per client address: at most `limit` in an hour, counted in the shared throttle table.
enum ObjectionThrottle {
    static let limit = 5
    static let window: TimeInterval = 3600

    static func allow(_ req: Request) async throws -> Bool {
        let key = "objection:" + req.clientAddress
        return try await req.write { db in
            let now = req.now
            if let row = try await LoginThrottleRecord.find(key, on: db) {
                if now.timeIntervalSince(row.windowStart) >= window { row.windowStart = now; row.failures = 1 }
                else if row.failures >= limit { return false }
                else { row.failures += 1 }
                try await row.update(on: db)
            } else {
                let row = LoginThrottleRecord()
                row.id = key; row.windowStart = now; row.failures = 1
                try await row.create(on: db)
            }
            return true
        }
    }
}
