import Fluent
import Foundation
import SkillChainCore
import Vapor

struct BatchResponse: Content {
    struct Assignment: Content {
        let personId: UUID
        let name: String
        let duty: String
        let room: String
    }
    let id: UUID
    let organizationId: UUID
    let organizationName: String
    let title: String
    let occupationCode: String
    let level: String
    let method: String
    let status: String
    let reason: String?
    let site: String
    let theoryDay: String
    let practicalDay: String
    let theoryMinutes: Int
    let theoryMinimumMinutes: Int
    let questionCount: Int
    let noticeFrom: String?
    let noticeUntil: String?
    let subjects: [String]
    let staff: [Assignment]

    init(_ d: BatchDetail) {
        let b = d.batch
        id = b.id!
        organizationId = b.organizationID
        organizationName = d.organization.name
        title = b.title
        occupationCode = b.occupationCode
        level = b.level
        method = b.method
        status = b.status
        reason = b.reason
        site = b.site
        theoryDay = b.theoryDay
        practicalDay = b.practicalDay
        theoryMinutes = b.theoryMinutes
        theoryMinimumMinutes = b.theoryMinimumMinutes
        questionCount = b.questionCount
        noticeFrom = b.noticeFrom
        noticeUntil = b.noticeUntil
        subjects = PassRule.subjects(for: d.level).map(\.rawValue)
        staff = d.assignments.map { Assignment(personId: $0.personID, name: d.names[$0.personID] ?? "", duty: $0.duty, room: $0.room) }
    }
}

struct RegistrationResponse: Content {
    struct Shortfall: Content {
        let code: String
        let args: [String]
        let message: String
    }
    let id: UUID
    let batchId: UUID
    let personId: UUID
    let name: String
    /// Masked; omitted for assessors.
    let citizenIdMasked: String?
    let clauseId: String
    let engineEligible: Bool
    let shortfalls: [Shortfall]
    let eligibility: String
    let overrideReason: String?
    let theoryScore: Double?
    let practicalScore: Double?
    let reviewScore: Double?
    let needsReconciliation: Bool
    let outcome: String?
}

struct QuestionItemResponse: Content {
    let id: UUID
    let occupationCode: String
    let level: String
    let kind: String
    let area: String
    let tags: [String]
    let stem: String
    let options: [String]
    let answer: String
    /// The earlier version this one replaces (a question already on a paper is revised, not changed).
    let replacesId: UUID?
    init(_ r: QuestionItemRecord) {
        let i = ExamService.item(r)
        id = r.id!
        occupationCode = r.occupationCode
        level = r.level
        kind = i.kind.rawValue
        area = i.area
        tags = i.tags
        stem = i.stem
        options = i.options
        answer = i.answer
        replacesId = r.replacesID
    }
}

struct StaffResponse: Content {
    let id: UUID
    let personId: UUID
    let duty: String
    let occupationCode: String
    let level: String
    let department: String
    let active: Bool
    init(_ r: EvaluationStaffRecord) {
        id = r.id!
        personId = r.personID
        duty = r.duty
        occupationCode = r.occupationCode
        level = r.level
        department = r.department
        active = r.deactivatedAt == nil
    }
}

struct NoticeResponse: Content {
    struct Line: Content {
        let name: String
        let citizenIdMasked: String
        let occupation: String
        let level: String
        let body: String
    }
    let batchId: UUID
    let title: String
    let body: String
    let from: String
    let until: String
    let open: Bool
    let passed: [Line]
}

struct ReviewAllResponse: Content { let reviewed: Int }
struct ObjectionResponse: Content {
    let id: UUID
    let status: String
}

enum EvaluationAPI {
    static func listBatches(_ req: Request) async throws -> APIPage<BatchResponse> {
        let actor = try req.requireActor()
        let cursor = try CursorRequest(req)
        let rows = try await cursor.apply(try await BatchService.query(actor: actor, on: req.db)).all()
        var items: [BatchResponse] = []
        for r in rows.prefix(cursor.limit) { items.append(BatchResponse(try await BatchService.load(r.id!, on: req.db))) }
        return APIPage(items: items, nextCursor: rows.count > cursor.limit ? items.last?.id.uuidString.lowercased() : nil)
    }

    static func createBatch(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let b = try await BatchService(req.application).create(try req.content.decode(BatchInput.self), actor: actor)
        return try ResourceAPI.created(BatchResponse(try await BatchService.load(b.id!, on: req.db)))
    }

    static func getBatch(_ req: Request) async throws -> BatchResponse {
        BatchResponse(try await BatchService.authorized(try req.idParameter(), .viewBatch, actor: try req.requireActor(), on: req.db))
    }

    static func transition(_ req: Request) async throws -> BatchResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await BatchService(req.application).transition(id, try req.content.decode(TransitionInput.self), actor: actor)
        return BatchResponse(try await BatchService.load(id, on: req.db))
    }

    static func assign(_ req: Request) async throws -> BatchResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await BatchService(req.application).assign(id, try req.content.decode(AssignmentInput.self), actor: actor)
        return BatchResponse(try await BatchService.load(id, on: req.db))
    }

    static func addStaff(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return try ResourceAPI.created(
            StaffResponse(try await BatchService(req.application).addStaff(try req.content.decode(StaffInput.self), actor: actor)))
    }

    /// The registry entry off every panel not yet held; its scores stay.
    static func deactivateStaff(_ req: Request) async throws -> StaffResponse {
        StaffResponse(
            try await StaffLifecycleService(req.application).setActive(try req.idParameter(), active: false, actor: try req.requireActor()).0)
    }

    static func reactivateStaff(_ req: Request) async throws -> StaffResponse {
        StaffResponse(
            try await StaffLifecycleService(req.application).setActive(try req.idParameter(), active: true, actor: try req.requireActor()).0)
    }

    static func response(_ r: RegistrationRecord, person: PersonRecord?, actor: Actor, _ req: Request) -> RegistrationResponse {
        RegistrationResponse(
            id: r.id!, batchId: r.batchID, personId: r.personID, name: person?.name ?? "",
            citizenIdMasked: actor.role == .assessor ? nil : person?.citizenIDMasked, clauseId: r.clauseID, engineEligible: r.engineEligible,
            shortfalls: RegistrationService.shortfalls(r).map { .init(code: $0.code, args: $0.args, message: req.t($0.code, $0.args)) },
            eligibility: r.eligibility, overrideReason: r.overrideReason, theoryScore: r.theoryScore, practicalScore: r.practicalScore,
            reviewScore: r.reviewScore, needsReconciliation: r.needsReconciliation, outcome: r.outcome)
    }

    /// Registrations of a batch. An assessor gets only the eligible candidates they may judge, without ID numbers.
    static func listRegistrations(_ req: Request) async throws -> APIPage<RegistrationResponse> {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let d = try await BatchService.authorized(id, .viewBatch, actor: actor, on: req.db)
        let cursor = try CursorRequest(req)
        var rows = try await cursor.apply(RegistrationStore(req.db).queryOfBatch(id)).all()
        let more = rows.count > cursor.limit
        rows = Array(rows.prefix(cursor.limit))
        if actor.role == .assessor {
            let table = try await BatchService.recusals(d, registrations: rows, rules: req.application.config.evaluationRules, on: req.db)
            rows = rows.filter { $0.eligibility == EligibilityStatus.eligible.rawValue && table.reasons(actor.personID ?? .nothing, $0.id!).isEmpty }
        }
        let person = try await PersonRecord.byID(rows.map(\.personID), on: req.db)
        let items = rows.map { response($0, person: person[$0.personID], actor: actor, req) }
        return APIPage(items: items, nextCursor: more ? items.last?.id.uuidString.lowercased() : nil)
    }

    static func one(_ id: UUID, actor: Actor, _ req: Request) async throws -> RegistrationResponse {
        guard let r = try await RegistrationRecord.find(id, on: req.db) else { throw DomainError.notFound }
        return response(r, person: try await PersonRecord.find(r.personID, on: req.db), actor: actor, req)
    }

    static func register(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let r = try await RegistrationService(req.application).register(
            try req.idParameter(), try req.content.decode(RegistrationInput.self), actor: actor)
        return try ResourceAPI.created(try await one(r.id!, actor: actor, req))
    }

    static func reviewAll(_ req: Request) async throws -> ReviewAllResponse {
        ReviewAllResponse(
            reviewed: try await RegistrationService(req.application).reviewAll(try req.idParameter(), actor: try req.requireActor()))
    }

    static func review(_ req: Request) async throws -> RegistrationResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await RegistrationService(req.application).review(id, try req.content.decode(EligibilityDecisionInput.self), actor: actor)
        return try await one(id, actor: actor, req)
    }

    static func score(_ req: Request) async throws -> RegistrationResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(ScoreInput.self)
        if actor.role == .assessor {
            try await RegistrationService(req.application).score(id, input, actor: actor)
        } else {
            try await RegistrationService(req.application).enterTheory(id, input, actor: actor)
        }
        return try await one(id, actor: actor, req)
    }

    static func correct(_ req: Request) async throws -> RegistrationResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await RegistrationService(req.application).correct(id, try req.content.decode(ScoreInput.self), actor: actor)
        return try await one(id, actor: actor, req)
    }

    static func addQuestion(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return try ResourceAPI.created(
            QuestionItemResponse(try await ExamService(req.application).addItem(try req.content.decode(QuestionInput.self), actor: actor)))
    }

    /// Edits a question never drawn on a paper; one already drawn is retired and a new version answered (201).
    static func editQuestion(_ req: Request) async throws -> Response {
        let result = try await QuestionEditService(req.application).edit(
            try req.idParameter(), try req.content.decode(QuestionInput.self), actor: try req.requireActor())
        let response = Response(status: result.revised ? .created : .ok)
        try response.content.encode(QuestionItemResponse(result.item))
        return response
    }

    static func notices(_ req: Request) async throws -> [NoticeResponse] {
        let today = req.today
        return try await NoticeService.current(on: req.db, today: today).map { n in
            NoticeResponse(
                batchId: n.batch.id!, title: n.batch.title, body: n.body, from: n.period.from.description, until: n.period.until.description,
                open: n.period.isOpen(on: today),
                passed: n.lines.map {
                    .init(name: $0.name, citizenIdMasked: $0.maskedID, occupation: $0.occupation, level: $0.level.rawValue, body: $0.body)
                })
        }
    }

    static func resolveObjection(_ req: Request) async throws -> ObjectionResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await NoticeService(req.application).resolve(id, try req.content.decode(ObjectionResolutionInput.self), actor: actor)
        guard let o = try await NoticeObjectionRecord.find(id, on: req.db) else { throw DomainError.notFound }
        return ObjectionResponse(id: id, status: o.status)
    }
}
