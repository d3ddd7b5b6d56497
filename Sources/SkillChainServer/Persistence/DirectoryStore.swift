import Fluent
import Foundation
import SkillChainCore

/// Who can be chosen in a form: organizations and people not archived (an archived record stays readable where it is
/// referenced, but is offered nowhere), by name.
struct DirectoryStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    /// Organizations not archived, by name; only those whose region code starts with `regionPrefix` when given.
    func activeOrganizations(regionPrefix: String? = nil, limit: Int? = nil) async throws -> [OrganizationRecord] {
        let query = OrganizationRecord.query(on: db).filter(\.$archivedAt == nil)
        if let regionPrefix { query.filter(\.$regionCode =~ regionPrefix) }
        if let limit { query.limit(limit) }
        return try await query.sort(\.$name).all()
    }

    /// People of these organizations not archived, by name, at most `limit`.
    func activePeople(of organizations: some Collection<UUID>, limit: Int) async throws -> [PersonRecord] {
        try await PersonRecord.query(on: db).filter(\.$organizationID ~~ Array(organizations)).filter(\.$archivedAt == nil).sort(\.$name)
            .limit(limit).all()
    }
}
