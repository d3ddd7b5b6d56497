import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Deactivating an assessor, proctor or supervisor of the body's registry: they leave every panel of the body's batches
/// whose exams are not yet held (those batches' own blockers then say what is missing), and cannot be assigned again
/// until reactivated. Scores already given stay; so do panels of batches already held.
struct StaffLifecycleService {
    let app: Application

    init(_ app: Application) { self.app = app }

    @discardableResult
    func setActive(_ id: UUID, active: Bool, actor: Actor) async throws -> (EvaluationStaffRecord, removedFrom: Int) {
        guard let staff = try await EvaluationStaffRecord.find(id, on: app.db) else { throw DomainError.notFound }
        try actor.require(.manageEvaluationStaff, actor.scope(owner: staff.organizationID))
        return try await app.write { db in
            guard let row = try await EvaluationStaffRecord.find(id, on: db) else { throw DomainError.notFound }
            if (row.deactivatedAt == nil) == active { throw DomainError.conflict(code: active ? "staff.alreadyActive" : "staff.alreadyInactive") }
            row.deactivatedAt = active ? nil : app.now
            try await row.update(on: db)
            var removed = 0
            if !active {
                let batches = try await EvaluationBatchRecord.query(on: db).filter(\.$organizationID == row.organizationID)
                    .filter(\.$status ~~ BatchStatus.allCases.filter(\.examsAhead).map(\.rawValue)).all().compactMap(\.id)
                let seats = try await BatchStaffRecord.query(on: db).filter(\.$batchID ~~ batches).filter(\.$personID == row.personID)
                    .filter(\.$duty == row.duty).all()
                for seat in seats {
                    try await seat.delete(on: db)
                    try await AuditLog.append(
                        .init(
                            action: "batch.staffRemoved", objectType: "batch", objectID: seat.batchID.uuidString.lowercased(),
                            detail: ["duty": seat.duty, "person": row.personID.uuidString.lowercased(), "reason": "deactivated"]),
                        actor: actor, on: db, now: app.now)
                }
                removed = seats.count
            }
            try await AuditLog.append(
                .init(
                    action: active ? "staff.reactivated" : "staff.deactivated", objectType: "evaluationStaff",
                    objectID: id.uuidString.lowercased(), detail: ["duty": row.duty, "panelsLeft": String(removed)]),
                actor: actor, on: db, now: app.now)
            return (row, removed)
        }
    }
}
