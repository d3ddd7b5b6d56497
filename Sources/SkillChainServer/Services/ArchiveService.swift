import Fluent
import Foundation
import SkillChainCore
import Vapor

struct ArchiveInput: Content, Sendable { var reason: String? }

/// Records others refer to are never deleted: they are archived (hidden from lists by default, shown with a filter,
/// restorable). Archiving an organization stops its logins from the next request; its people and records stay.
struct ArchiveService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// The platform admin archives or restores an organization (with a reason when archiving).
    @discardableResult
    func organization(_ id: UUID, archived: Bool, _ input: ArchiveInput, actor: Actor) async throws -> OrganizationRecord {
        guard Policy.grant(actor.role, .createOrganization) == .all else { throw DomainError.forbidden }
        var v = Validator()
        let reason = v.optional("reason", input.reason, max: 500)
        if archived && reason == nil { v.add("reason", "archive.reason.required") }
        try v.check()
        if archived && id == actor.organizationID { throw DomainError.rule(code: "archive.ownOrganization") }
        return try await app.write { db in
            guard let org = try await OrganizationRecord.find(id, on: db) else { throw DomainError.notFound }
            if (org.archivedAt != nil) == archived { throw DomainError.conflict(code: archived ? "archive.already" : "archive.notArchived") }
            org.archivedAt = archived ? app.now : nil
            org.version += 1
            try await org.update(on: db)
            if archived {
                // Its people's sign-ins end now (they would be refused from the next request anyway).
                for m in try await MembershipRecord.query(on: db).filter(\.$organizationID == id).all() {
                    try await AccountLifecycleService.endAccess(userID: m.userID, membershipID: m.id!, now: app.now, on: db)
                }
            }
            var detail = ["version": String(org.version)]
            if let reason { detail["reason"] = reason }
            try await AuditLog.append(
                .init(
                    action: archived ? "organization.archived" : "organization.restored", objectType: "organization",
                    objectID: id.uuidString.lowercased(), detail: detail), actor: actor, on: db, now: app.now)
            return org
        }
    }

    /// The holding organization's admin archives or restores a person (hidden from the people list by default).
    @discardableResult
    func person(_ id: UUID, archived: Bool, actor: Actor) async throws -> PersonRecord {
        _ = try await PersonEditService.authorized(id, actor: actor, on: app.db)
        return try await app.write { db in
            guard let p = try await PersonRecord.find(id, on: db) else { throw DomainError.notFound }
            if (p.archivedAt != nil) == archived { throw DomainError.conflict(code: archived ? "archive.already" : "archive.notArchived") }
            p.archivedAt = archived ? app.now : nil
            p.version += 1
            try await p.update(on: db)
            try await AuditLog.append(
                .init(
                    action: archived ? "person.archived" : "person.restored", objectType: "person",
                    objectID: id.uuidString.lowercased(), detail: ["version": String(p.version)]), actor: actor, on: db, now: app.now)
            return p
        }
    }
}
