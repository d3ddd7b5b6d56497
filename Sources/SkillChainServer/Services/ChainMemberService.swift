import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Changing a chain's membership while it is a draft or returned: removing a member, or changing what it contributes.
/// Once submitted the membership is what the bureau is deciding on, so it is refused then (the lead takes the chain
/// back by asking the bureau to return it).
struct ChainMemberService {
    let app: Application

    init(_ app: Application) { self.app = app }

    struct ChangeInput: Content, Sendable {
        var contributions: [String]?
        var postsCommitted: Int?
    }

    /// The chain and the member row, if the actor leads the chain and it is still editable.
    static func editable(_ chainID: UUID, member orgID: UUID, actor: Actor, on db: any Database) async throws -> (ChainDetail, ChainDetail.Member) {
        let detail = try await ChainService.authorized(chainID, .editChain, actor: actor, on: db)
        guard detail.chain.leadOrganizationID == actor.organizationID || actor.role == .platformAdmin else { throw DomainError.forbidden }
        guard let member = detail.members.first(where: { $0.organization.id == orgID }) else { throw DomainError.notFound }
        guard detail.status.isEditable else { throw DomainError.rule(code: "chain.member.locked") }
        return (detail, member)
    }

    func remove(_ chainID: UUID, member orgID: UUID, actor: Actor) async throws {
        let (detail, member) = try await Self.editable(chainID, member: orgID, actor: actor, on: app.db)
        if orgID == detail.chain.leadOrganizationID { throw DomainError.rule(code: "chain.member.leadStays") }
        let rowID = member.record.id!
        let status = detail.chain.status
        try await app.write { db in
            // The chain's state is checked again in the transaction: a submission in between locks the membership.
            guard let chain = try await ChainRecord.find(chainID, on: db), chain.status == status else {
                throw DomainError.conflict(code: "chain.changedMeanwhile")
            }
            try await ChainMemberRecord.query(on: db).filter(\.$id == rowID).delete()
            chain.version += 1
            try await chain.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "chain.memberRemoved", objectType: "chain", objectID: chainID.uuidString.lowercased(),
                    detail: ["organization": orgID.uuidString.lowercased()]), actor: actor, on: db, now: app.now)
        }
    }

    func change(_ chainID: UUID, member orgID: UUID, _ input: ChangeInput, actor: Actor) async throws {
        let (detail, member) = try await Self.editable(chainID, member: orgID, actor: actor, on: app.db)
        var v = Validator()
        let contributions = input.contributions.map { $0.map { ChainContribution(rawValue: $0) } }
        if let contributions {
            if contributions.isEmpty { v.add("contributions", "chain.contributions.required") }
            if contributions.contains(where: { $0 == nil }) { v.add("contributions", "field.invalidChoice") }
        }
        let posts = input.postsCommitted.map { _ in v.count("postsCommitted", input.postsCommitted, in: 0...1_000_000) }
        try v.check()
        let rowID = member.record.id!
        let status = detail.chain.status
        let before = ["contributions": member.record.contributions, "postsCommitted": String(member.record.postsCommitted)]
        try await app.write { db in
            guard let chain = try await ChainRecord.find(chainID, on: db), chain.status == status,
                let row = try await ChainMemberRecord.find(rowID, on: db)
            else { throw DomainError.conflict(code: "chain.changedMeanwhile") }
            if let contributions { row.contributions = contributions.compactMap { $0?.rawValue }.joined(separator: ",") }
            if let posts { row.postsCommitted = posts }
            let changes = RecordHistory.changes(
                old: before, new: ["contributions": row.contributions, "postsCommitted": String(row.postsCommitted)],
                order: ["contributions", "postsCommitted"])
            guard !changes.isEmpty else { return }
            try await row.update(on: db)
            chain.version += 1
            try await chain.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "chain.memberChanged", objectType: "chain", objectID: chainID.uuidString.lowercased(),
                    detail: ["organization": orgID.uuidString.lowercased(), "changes": RecordHistory.encode(changes)]),
                actor: actor, on: db, now: app.now)
        }
    }
}
