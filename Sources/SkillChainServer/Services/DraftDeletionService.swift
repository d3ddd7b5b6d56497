import Fluent
import Foundation
import SkillChainCore
import Vapor

/// A draft nothing refers to may be deleted outright (everything else is archived or corrected): a chain that was
/// never submitted, a position no programme, invitation or placement points at. The deletion is audited.
struct DraftDeletionService {
    let app: Application

    init(_ app: Application) { self.app = app }

    func chain(_ id: UUID, actor: Actor) async throws {
        let detail = try await ChainService.authorized(id, .editChain, actor: actor, on: app.db)
        guard detail.chain.leadOrganizationID == actor.organizationID || actor.role == .platformAdmin else { throw DomainError.forbidden }
        try await app.write { db in
            guard let chain = try await ChainRecord.find(id, on: db) else { throw DomainError.notFound }
            // Only a draft that never went to the bureau: a returned chain has a decision on record.
            guard chain.status == ChainStatus.draft.rawValue, chain.submittedAt == nil else { throw DomainError.rule(code: "draft.notDeletable") }
            try await ChainChangeRequestRecord.query(on: db).filter(\.$chainID == id).delete()
            try await ChainMemberRecord.query(on: db).filter(\.$chainID == id).delete()
            try await chain.delete(on: db)
            try await AuditLog.append(
                .init(action: "chain.deleted", objectType: "chain", objectID: id.uuidString.lowercased()), actor: actor, on: db, now: app.now)
        }
    }

    func position(_ id: UUID, actor: Actor) async throws {
        guard let p = try await PositionRecord.find(id, on: app.db) else { throw DomainError.notFound }
        try actor.require(.editPosition, actor.scope(owner: p.organizationID))
        try await app.write { db in
            try await RowLock.lock(PositionRecord.schema, [id], on: db)
            let links = try await ProgramPositionRecord.query(on: db).filter(\.$positionID == id).count()
            let invitations = try await InvitationRecord.query(on: db).filter(\.$positionID == id).count()
            let placements = try await PlacementRecord.query(on: db).filter(\.$positionID == id).count()
            if links + invitations + placements > 0 { throw DomainError.rule(code: "draft.referenced") }
            try await PositionRecord.query(on: db).filter(\.$id == id).delete()
            try await AuditLog.append(
                .init(action: "position.deleted", objectType: "position", objectID: id.uuidString.lowercased()), actor: actor, on: db, now: app.now)
        }
    }
}
