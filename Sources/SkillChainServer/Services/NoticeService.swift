import Fluent
import Foundation
import SkillChainCore
import Vapor

struct ObjectionInput: Content, Sendable {
    /// Whom the objection concerns, as shown on the notice (name and masked ID).
    var candidate: String?
    var text: String?
    /// Phone or e-mail; kept sealed, shown only to the evaluation body.
    var contact: String?
}

struct ObjectionResolutionInput: Content, Sendable {
    /// `upheld` or `dismissed`.
    var status: String?
    var resolution: String?
}

struct CalendarDayInput: Content, Sendable {
    var day: String?
    /// `holiday` or `workday`.
    var kind: String?
    var name: String?
}

/// One line of a public notice.
struct NoticeLine: Sendable {
    let name: String
    let maskedID: String
    let occupation: String
    let level: SkillLevel
    let body: String
}

/// A batch on public notice with its passed candidates.
struct NoticeBatch: Sendable {
    let batch: EvaluationBatchRecord
    let body: String
    let period: NoticePeriod
    let lines: [NoticeLine]
}

struct NoticeService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// Batches whose notice is running today (or ended but not yet final), with the candidates who passed.
    static func current(on db: any Database, today: Day) async throws -> [NoticeBatch] {
        let batches = try await EvaluationBatchRecord.query(on: db).filter(\.$status == BatchStatus.inNotice.rawValue).sort(
            \.$noticeFrom, .descending
        ).all()
        guard !batches.isEmpty else { return [] }
        let orgs = try await OrganizationRecord.query(on: db).filter(\.$id ~~ Set(batches.map(\.organizationID))).all()
        let orgName = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id!, $0.name) })
        let regs = try await RegistrationStore(db).withOutcome(.passed, inBatches: Set(batches.compactMap(\.id)))
        let people = try await PersonRecord.query(on: db).filter(\.$id ~~ Set(regs.map(\.personID))).all()
        let person = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0) })
        let byBatch = Dictionary(grouping: regs, by: \.batchID)
        return batches.compactMap { b in
            guard let from = b.noticeFrom.flatMap(Day.init), let until = b.noticeUntil.flatMap(Day.init) else { return nil }
            let occupation = OccupationCatalog.edition2022.occupation(b.occupationCode).map { "\($0.code) \($0.name)" } ?? b.occupationCode
            let lines = (byBatch[b.id!] ?? []).compactMap { r in
                person[r.personID].map { p in
                    NoticeLine(
                        name: p.name, maskedID: p.citizenIDMasked, occupation: occupation, level: SkillLevel(rawValue: b.level) ?? .level5,
                        body: orgName[b.organizationID] ?? "")
                }
            }.sorted { $0.name < $1.name }
            return NoticeBatch(batch: b, body: orgName[b.organizationID] ?? "", period: NoticePeriod(from: from, until: until), lines: lines)
        }
    }

    /// Anyone may object while a batch's notice runs; the contact is sealed like other personal data.
    func object(_ batchID: UUID, _ input: ObjectionInput, today: Day? = nil) async throws -> NoticeObjectionRecord {
        let today = today ?? app.today
        var v = Validator()
        let candidate = v.required("candidate", input.candidate, max: 100)
        let text = v.required("text", input.text, max: 2000)
        let contact = v.required("contact", input.contact, max: 100)
        try v.check()
        guard let b = try await EvaluationBatchRecord.find(batchID, on: app.db), b.status == BatchStatus.inNotice.rawValue,
            let from = b.noticeFrom.flatMap(Day.init), let until = b.noticeUntil.flatMap(Day.init)
        else { throw DomainError.notFound }
        guard NoticePeriod(from: from, until: until).isOpen(on: today) else { throw DomainError.rule(code: "objection.periodOver") }
        let sealed = try app.personalData.seal(contact)
        return try await app.write { db in
            let o = NoticeObjectionRecord()
            o.batchID = batchID
            o.candidateLabel = candidate
            o.text = text
            o.contactSealed = sealed
            o.status = ObjectionStatus.open.rawValue
            try await o.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "objection.raised", objectType: "batch", objectID: batchID.uuidString.lowercased(),
                    detail: ["objection": o.id!.uuidString.lowercased()]), actor: nil, on: db, now: app.now)
            try await NotificationService(app).notify(try await NotificationService.objectionDrafts(b, on: db), on: db)
            return o
        }
    }

    func resolve(_ id: UUID, _ input: ObjectionResolutionInput, actor: Actor) async throws {
        guard let o = try await NoticeObjectionRecord.find(id, on: app.db) else { throw DomainError.notFound }
        let d = try await BatchService.authorized(o.batchID, .manageBatch, actor: actor, on: app.db)
        var v = Validator()
        let status = v.oneOf("status", input.status, ObjectionStatus.self)
        if status == .open { v.add("status", "field.invalidChoice") }
        let resolution = v.required("resolution", input.resolution, max: 2000)
        try v.check()
        guard d.status == .inNotice else { throw DomainError.rule(code: "objection.batchNotInNotice") }
        try await app.write { db in
            guard let row = try await NoticeObjectionRecord.find(id, on: db), row.status == ObjectionStatus.open.rawValue else {
                throw DomainError.conflict(code: "objection.alreadyResolved")
            }
            row.status = status!.rawValue
            row.resolution = resolution
            row.resolvedAt = app.now
            try await row.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "objection.resolved", objectType: "batch", objectID: o.batchID.uuidString.lowercased(),
                    detail: ["objection": id.uuidString.lowercased(), "status": status!.rawValue]), actor: actor, on: db, now: app.now)
        }
    }
}

/// The working-day calendar: public holidays and the weekend days worked instead (调休), kept by the platform administrator.
struct CalendarService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// Every holiday and make-up working day on record, in date order.
    static func days(on db: any Database) async throws -> [CalendarDayRecord] { try await CalendarDayRecord.query(on: db).sort(\.$day).all() }

    static func calendar(on db: any Database) async throws -> WorkingCalendar {
        let days = try await CalendarDayRecord.query(on: db).all()
        return WorkingCalendar(
            holidays: Set(days.filter { $0.kind == "holiday" }.compactMap { Day($0.day) }),
            extraWorkdays: Set(days.filter { $0.kind == "workday" }.compactMap { Day($0.day) }))
    }

    func add(_ input: CalendarDayInput, actor: Actor) async throws {
        try actor.require(.manageCalendar, .own)
        var v = Validator()
        let day = v.day("day", input.day)
        let kind = (input.kind ?? "").trimmingCharacters(in: .whitespaces)
        if kind != "holiday" && kind != "workday" { v.add("kind", kind.isEmpty ? "field.required" : "field.invalidChoice") }
        let name = v.required("name", input.name, max: 50)
        try v.check()
        try await app.write { db in
            if try await CalendarDayRecord.query(on: db).filter(\.$day == day!.description).first() != nil {
                throw ValidationFailure([FieldError("day", "calendar.day.taken")])
            }
            let r = CalendarDayRecord()
            r.day = day!.description
            r.kind = kind
            r.name = name
            try await r.create(on: db)
            try await AuditLog.append(
                .init(action: "calendar.dayAdded", objectType: "calendar", objectID: r.day, detail: ["kind": kind]), actor: actor, on: db,
                now: app.now)
        }
    }

    func remove(_ id: UUID, actor: Actor) async throws {
        try actor.require(.manageCalendar, .own)
        try await app.write { db in
            guard let r = try await CalendarDayRecord.find(id, on: db) else { throw DomainError.notFound }
            try await r.delete(on: db)
            try await AuditLog.append(
                .init(action: "calendar.dayRemoved", objectType: "calendar", objectID: r.day, detail: ["kind": r.kind]), actor: actor, on: db,
                now: app.now)
        }
    }
}
