import Fluent
import Foundation
import SkillChainCore
import Vapor

struct ChainChangeInput: Content, Sendable {
    /// `add`, `remove` or `change`.
    var kind: String?
    var organizationId: UUID?
    var contributions: [String]?
    var postsCommitted: Int?
    /// Why the membership should change (required).
    var reason: String?
}

struct ChainChangeResponse: Content {
    let id: UUID
    let chainId: UUID
    let organizationId: UUID
    let organizationName: String
    let kind: String
    let contributions: [String]
    let postsCommitted: Int?
    let explanation: String
    let status: String
    let decisionReason: String?
}

/// Changing an approved chain's membership: the lead requests (Core `ChainChangeRules`), the region's bureau approves
/// (the change is applied in the same transaction) or returns it with a reason. Each step is audited on the chain.
struct ChainChangeService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static func response(_ r: ChainChangeRequestRecord, name: String) -> ChainChangeResponse {
        ChainChangeResponse(
            id: r.id!, chainId: r.chainID, organizationId: r.organizationID, organizationName: name, kind: r.kind,
            contributions: r.contributions.split(separator: ",").map(String.init), postsCommitted: r.postsCommitted,
            explanation: r.explanation, status: r.status, decisionReason: r.decisionReason)
    }

    static func list(_ chainID: UUID, actor: Actor, on db: any Database) async throws -> [ChainChangeResponse] {
        _ = try await ChainService.authorized(chainID, .viewChain, actor: actor, on: db)
        let rows = try await ChainChangeRequestRecord.query(on: db).filter(\.$chainID == chainID).sort(\.$createdAt, .descending).all()
        let names = Dictionary(
            uniqueKeysWithValues: try await OrganizationRecord.query(on: db).filter(\.$id ~~ Set(rows.map(\.organizationID))).all()
                .map { ($0.id!, $0.name) })
        return rows.map { Self.response($0, name: names[$0.organizationID] ?? "") }
    }

    func request(_ chainID: UUID, _ input: ChainChangeInput, actor: Actor) async throws -> ChainChangeRequestRecord {
        let detail = try await ChainService.authorized(chainID, .editChain, actor: actor, on: app.db)
        guard detail.chain.leadOrganizationID == actor.organizationID || actor.role == .platformAdmin else { throw DomainError.forbidden }
        var v = Validator()
        let kind = v.oneOf("kind", input.kind, ChainChangeKind.self)
        if input.organizationId == nil { v.add("organizationId", "field.required") }
        let contributions = (input.contributions ?? []).map { ChainContribution(rawValue: $0) }
        if kind != .remove {
            if contributions.isEmpty { v.add("contributions", "chain.contributions.required") }
            if contributions.contains(where: { $0 == nil }) { v.add("contributions", "field.invalidChoice") }
        }
        let posts = input.postsCommitted.map { _ in v.count("postsCommitted", input.postsCommitted, in: 0...1_000_000) }
        let reason = v.required("reason", input.reason, max: 1000)
        try v.check()
        let orgID = input.organizationId!
        guard try await OrganizationRecord.find(orgID, on: app.db) != nil else {
            throw ValidationFailure([FieldError("organizationId", "organization.unknown")])
        }
        return try await app.write { db in
            let fresh = try await ChainService.load(chainID, on: db)
            let pending =
                try await ChainChangeRequestRecord.query(on: db).filter(\.$chainID == chainID).filter(\.$organizationID == orgID)
                .filter(\.$status == ChainChangeStatus.pending.rawValue).first() != nil
            let problems = ChainChangeRules.problems(
                chain: fresh.status, kind: kind!, isMember: fresh.members.contains { $0.organization.id == orgID },
                isLead: orgID == fresh.chain.leadOrganizationID, hasPending: pending)
            if !problems.isEmpty { throw ValidationFailure(problems) }
            let r = ChainChangeRequestRecord()
            r.chainID = chainID
            r.organizationID = orgID
            r.kind = kind!.rawValue
            r.contributions = contributions.compactMap { $0?.rawValue }.joined(separator: ",")
            r.postsCommitted = posts
            r.explanation = reason
            r.status = ChainChangeStatus.pending.rawValue
            r.requestedBy = actor.userID
            r.createdAt = app.now
            try await r.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "chain.changeRequested", objectType: "chain", objectID: chainID.uuidString.lowercased(),
                    detail: ["kind": r.kind, "organization": orgID.uuidString.lowercased(), "request": r.id!.uuidString.lowercased()]),
                actor: actor, on: db, now: app.now)
            return r
        }
    }

    struct DecisionInput: Content, Sendable {
        var decision: String?
        var reason: String?
    }

    func decide(_ id: UUID, _ input: DecisionInput, actor: Actor) async throws -> ChainChangeRequestRecord {
        guard let r = try await ChainChangeRequestRecord.find(id, on: app.db) else { throw DomainError.notFound }
        _ = try await ChainService.authorized(r.chainID, .decideChain, actor: actor, on: app.db)
        var v = Validator()
        let decision = v.oneOf("decision", input.decision, ChainChangeDecision.self)
        let reason = v.optional("reason", input.reason, max: 1000)
        if decision == .return && reason == nil { v.add("reason", ChainStatus.Problem.reasonRequired.rawValue) }
        try v.check()
        return try await app.write { db in
            guard let row = try await ChainChangeRequestRecord.find(id, on: db), row.status == ChainChangeStatus.pending.rawValue,
                let chain = try await ChainRecord.find(row.chainID, on: db), chain.status == ChainStatus.approved.rawValue
            else { throw DomainError.conflict(code: "chainChange.decided") }
            if decision == .approve {
                let member = try await ChainMemberRecord.query(on: db).filter(\.$chainID == row.chainID).filter(
                    \.$organizationID == row.organizationID
                ).first()
                switch ChainChangeKind(rawValue: row.kind) ?? .change {
                case .add:
                    guard member == nil else { throw DomainError.conflict(code: "chain.member.already") }
                    let m = ChainMemberRecord()
                    m.chainID = row.chainID
                    m.organizationID = row.organizationID
                    m.contributions = row.contributions
                    m.postsCommitted = row.postsCommitted ?? 0
                    try await m.create(on: db)
                case .remove:
                    try await member?.delete(on: db)
                case .change:
                    guard let member else { throw DomainError.conflict(code: "chainChange.notMember") }
                    member.contributions = row.contributions
                    if let posts = row.postsCommitted { member.postsCommitted = posts }
                    try await member.update(on: db)
                }
                chain.version += 1
                try await chain.update(on: db)
            }
            row.status = (decision == .approve ? ChainChangeStatus.approved : .returned).rawValue
            row.decisionReason = reason
            row.decidedBy = actor.userID
            row.decidedAt = app.now
            try await row.update(on: db)
            try await AuditLog.append(
                .init(
                    action: decision == .approve ? "chain.changeApproved" : "chain.changeReturned", objectType: "chain",
                    objectID: row.chainID.uuidString.lowercased(),
                    detail: ["kind": row.kind, "organization": row.organizationID.uuidString.lowercased(), "request": id.uuidString.lowercased()]),
                actor: actor, on: db, now: app.now)
            return row
        }
    }
}
