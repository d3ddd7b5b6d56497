import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Correcting a position (`PATCH /api/v1/positions/{id}`): only the fields given change, Core `PositionEdit` says which
/// may, the headcount is checked against the placements under the position's lock, and the changed fields go to the
/// audit log old → new with the new version.
struct PositionEditService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static func values(_ p: PositionRecord) -> [String: String] {
        [
            "title": p.title, "occupationCode": p.occupationCode, "requiredLevel": p.requiredLevel, "headcount": String(p.headcount),
            "regionCode": p.regionCode, "wageMin": String(p.wageMin), "wageMax": String(p.wageMax), "frontLine": String(p.frontLine),
            "description": p.description,
        ]
    }

    @discardableResult
    func update(_ id: UUID, _ input: PositionInput, expected: RecordVersion.Precondition, actor: Actor) async throws
        -> PositionRecord
    {
        guard let p = try await PositionRecord.find(id, on: app.db) else { throw DomainError.notFound }
        try actor.require(.editPosition, actor.scope(owner: p.organizationID))
        var v = Validator()
        let title = input.title.map { _ in v.required("title", input.title, max: 100) }
        let occupation = input.occupationCode.map { _ in v.occupation("occupationCode", input.occupationCode) } ?? nil
        let level = input.requiredLevel.map { _ in v.oneOf("requiredLevel", input.requiredLevel, SkillLevel.self) } ?? nil
        let headcount = input.headcount.map { _ in v.number("headcount", input.headcount, in: 1...100_000) }
        let region = input.regionCode.map { _ in v.regionCode("regionCode", input.regionCode) }
        let wageMin = input.wageMin.map { _ in v.number("wageMin", input.wageMin, in: 0...1_000_000) }
        let wageMax = input.wageMax.map { _ in v.number("wageMax", input.wageMax, in: 0...1_000_000) }
        if (wageMax ?? p.wageMax) < (wageMin ?? p.wageMin) { v.add("wageMax", "position.wage.order") }
        let description = input.description.map { _ in v.optional("description", input.description, max: 2000) ?? "" }
        try v.check()
        return try await app.write { db in
            try await RowLock.lock(PositionRecord.schema, [id], on: db)
            guard let row = try await PositionRecord.find(id, on: db) else { throw DomainError.notFound }
            guard RecordVersion.satisfied(expected, current: row.version) else { throw StaleRecord(current: row.version) }
            let before = Self.values(row)
            if let title { row.title = title }
            if let occupation {
                row.occupationCode = occupation.code
                row.occupationEdition = occupation.edition
            }
            if let level { row.requiredLevel = level.rawValue }
            if let headcount { row.headcount = headcount }
            if let region { row.regionCode = region }
            if let wageMin { row.wageMin = wageMin }
            if let wageMax { row.wageMax = wageMax }
            if let frontLine = input.frontLine { row.frontLine = frontLine }
            if let description { row.description = description }
            let changes = RecordHistory.changes(old: before, new: Self.values(row), order: PositionEdit.fields)
            guard !changes.isEmpty else { return row }
            let placements = try await PlacementRecord.query(on: db).filter(\.$positionID == id).count()
            let problems = PositionEdit.problems(
                status: PositionStatus(rawValue: row.status) ?? .open, changing: Set(changes.map(\.field)),
                headcount: headcount, placements: placements)
            if !problems.isEmpty { throw ValidationFailure(problems) }
            row.version += 1
            try await row.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "position.updated", objectType: "position", objectID: id.uuidString.lowercased(),
                    detail: ["changes": RecordHistory.encode(changes), "version": String(row.version)]), actor: actor, on: db, now: app.now)
            return row
        }
    }
}
