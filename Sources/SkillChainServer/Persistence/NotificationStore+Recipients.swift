import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// Who receives a hand-over: an organization's admins, the officers of a region, the accounts of the people in a batch.
extension NotificationStore {
    /// The active admins of an organization (enterprise, school or platform admins, whichever it has).
    func admins(of organization: UUID) async throws -> [UUID] {
        try await users(of: organization, roles: Set(Role.allCases.filter(\.isOrganizationAdmin)))
    }

    /// The active officers of every government department whose region contains `region`.
    func officers(covering region: String) async throws -> [UUID] {
        let officers = try await MembershipRecord.query(on: db).filter(\.$role == Role.governmentOfficer.rawValue)
            .filter(\.$deactivatedAt == nil).all()
        let departments = try await OrganizationRecord.query(on: db).filter(\.$id ~~ Set(officers.map(\.organizationID))).all()
        let covering = Set(departments.filter { RegionCatalog.shared.contains($0.regionCode, region) }.compactMap(\.id))
        return officers.filter { covering.contains($0.organizationID) }.map(\.userID).sorted { $0.uuidString < $1.uuidString }
    }

    /// The active accounts of the people registered in a batch (with one of `eligibility`), by the blind index of each
    /// person's ID: a candidate may hold an account under another of their person records.
    func candidates(of batch: UUID, eligibility: [EligibilityStatus]) async throws -> [(user: UUID, citizenIDIndex: String)] {
        guard let sql = db as? any SQLDatabase else { return [] }
        let rows = try await sql.raw(
            """
            SELECT DISTINCT u.id AS user_id, p.citizen_id_index AS idx FROM registrations r
            JOIN people p ON p.id = r.person_id
            JOIN people same ON same.citizen_id_index = p.citizen_id_index
            JOIN users u ON u.person_id = same.id AND u.is_active = \(bind: true)
            WHERE r.batch_id = \(bind: batch) AND r.eligibility IN (\(binds: eligibility.map(\.rawValue)))
            ORDER BY u.id
            """
        ).all()
        return try rows.map { (try $0.decode(column: "user_id", as: UUID.self), try $0.decode(column: "idx", as: String.self)) }
    }

    /// The active accounts of a person (any of their person records).
    func users(of person: UUID) async throws -> [UUID] {
        guard let p = try await PersonRecord.find(person, on: db) else { return [] }
        return try await users(holding: p.citizenIDIndex)
    }

    /// The drafts of which no notification of the same kind, recipient, link and arguments exists (a daily check tells
    /// each thing once).
    func notYetWritten(_ drafts: [NotificationDraft]) async throws -> [NotificationDraft] {
        guard !drafts.isEmpty else { return [] }
        let kinds = Set(drafts.map(\.kind.rawValue))
        let existing = try await NotificationRecord.query(on: db).filter(\.$kind ~~ kinds).filter(\.$userID ~~ Set(drafts.map(\.recipient))).all()
        let seen = Set(existing.map { "\($0.kind)|\($0.userID)|\($0.link)|\($0.args)" })
        return drafts.filter { d in
            let args = String(decoding: (try? JSONEncoder().encode(d.args)) ?? Data(), as: UTF8.self)
            return !seen.contains("\(d.kind.rawValue)|\(d.recipient)|\(d.link)|\(args)")
        }
    }
}
