import Fluent
import Foundation
import SkillChainCore
import Vapor

/// A partial correction of a training programme; Core `ProgramEdit` says what may change in its state, Core
/// `ProgramRules` checks the plan as it would be, and the capacity is checked against the enrolled under the
/// programme's lock. The changed fields go to the audit log old → new with the reason.
struct ProgramPatch: Content, Sendable {
    var name: String?
    var occupationCode: String?
    var targetLevel: String?
    var startDate: String?
    var endDate: String?
    var capacity: Int?
    var hoursGeneral: Int?
    var hoursBasics: Int?
    var hoursOperational: Int?
    var subsidyPerYear: Int?
    /// Required for any change once training has started.
    var reason: String?
}

struct ProgramEditService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static func values(_ p: ProgramRecord) -> [String: String] {
        [
            "name": p.name, "occupationCode": p.occupationCode, "targetLevel": p.targetLevel, "startDate": p.startDate, "endDate": p.endDate,
            "capacity": String(p.capacity), "hoursGeneral": String(p.hoursGeneral), "hoursBasics": String(p.hoursBasics),
            "hoursOperational": String(p.hoursOperational), "subsidyPerYear": String(p.subsidyPerYear),
        ]
    }

    @discardableResult
    func update(_ id: UUID, _ patch: ProgramPatch, expected: RecordVersion.Precondition, actor: Actor) async throws
        -> ProgramRecord
    {
        let d = try await ProgramService.authorized(id, .editProgram, actor: actor, on: app.db)
        guard d.program.leadOrganizationID == actor.organizationID || actor.role == .platformAdmin else { throw DomainError.forbidden }
        var v = Validator()
        let name = patch.name.map { _ in v.required("name", patch.name, max: 100) }
        let occupation = patch.occupationCode.map { _ in v.occupation("occupationCode", patch.occupationCode) } ?? nil
        let level = patch.targetLevel.map { _ in v.oneOf("targetLevel", patch.targetLevel, SkillLevel.self) } ?? nil
        let start = patch.startDate.map { _ in v.day("startDate", patch.startDate) } ?? nil
        let end = patch.endDate.map { _ in v.day("endDate", patch.endDate) } ?? nil
        let capacity = patch.capacity.map { _ in v.number("capacity", patch.capacity, in: 1...10_000) }
        let general = patch.hoursGeneral.map { _ in v.number("hoursGeneral", patch.hoursGeneral, in: 0...10_000) }
        let basics = patch.hoursBasics.map { _ in v.number("hoursBasics", patch.hoursBasics, in: 0...10_000) }
        let operational = patch.hoursOperational.map { _ in v.number("hoursOperational", patch.hoursOperational, in: 0...10_000) }
        let subsidy = patch.subsidyPerYear.map { _ in v.count("subsidyPerYear", patch.subsidyPerYear, in: 0...100_000) }
        let reason = v.optional("reason", patch.reason, max: 500)
        try v.check()
        let rules = app.config.trainingRules
        return try await app.write { db in
            try await RowLock.lock(ProgramRecord.schema, [id], on: db)
            guard let row = try await ProgramRecord.find(id, on: db) else { throw DomainError.notFound }
            guard RecordVersion.satisfied(expected, current: row.version) else { throw StaleRecord(current: row.version) }
            let before = Self.values(row)
            if let name { row.name = name }
            if let occupation {
                row.occupationCode = occupation.code
                row.occupationEdition = occupation.edition
            }
            if let level { row.targetLevel = level.rawValue }
            if let start { row.startDate = start.description }
            if let end { row.endDate = end.description }
            if let capacity { row.capacity = capacity }
            if let general { row.hoursGeneral = general }
            if let basics { row.hoursBasics = basics }
            if let operational { row.hoursOperational = operational }
            if let subsidy { row.subsidyPerYear = subsidy }
            let changes = RecordHistory.changes(old: before, new: Self.values(row), order: ProgramEdit.fields)
            guard !changes.isEmpty else { return row }
            let fresh = try await ProgramService.load(id, on: db)
            var problems = ProgramEdit.problems(
                status: ProgramStatus(rawValue: row.status) ?? .planning, changing: Set(changes.map(\.field)),
                reasonGiven: reason != nil, capacity: capacity, activeEnrollments: fresh.activeCount)
            // The plan as it would be must still be a valid plan (durations, hours mix, class size).
            if let kind = ProgramKind(rawValue: row.kind), let s = Day(row.startDate), let e = Day(row.endDate),
                let l = SkillLevel(rawValue: row.targetLevel)
            {
                let hours = HoursPlan(
                    generalQualities: row.hoursGeneral, professionalBasics: row.hoursBasics, operationalSkills: row.hoursOperational)
                for p in ProgramRules.problems(
                    .init(kind: kind, start: s, end: e, capacity: row.capacity, hours: hours, targetLevel: l), rules: rules)
                {
                    let field =
                        ["generalQualities": "hoursGeneral", "professionalBasics": "hoursBasics", "operationalSkills": "hoursOperational"][p.field]
                        ?? p.field
                    problems.append(FieldError(field, p.code, p.args))
                }
            }
            if !problems.isEmpty { throw ValidationFailure(problems) }
            row.version += 1
            try await row.update(on: db)
            var detail = ["changes": RecordHistory.encode(changes), "version": String(row.version)]
            if let reason { detail["reason"] = reason }
            try await AuditLog.append(
                .init(action: "program.updated", objectType: "program", objectID: id.uuidString.lowercased(), detail: detail),
                actor: actor, on: db, now: app.now)
            return row
        }
    }
}
