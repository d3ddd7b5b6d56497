import Fluent
import Foundation
import SkillChainCore
import Vapor

struct ChainInput: Content, Sendable {
    var name: String?
    var industry: String?
    var regionCode: String?
    var postsCommitted: Int?
}

struct ChainMemberInput: Content, Sendable {
    var organizationId: UUID?
    var contributions: [String]?
    var postsCommitted: Int?
}

struct ChainDecisionInput: Content, Sendable {
    var decision: String?
    var reason: String?
}

/// A chain with its members and organizations loaded: what pages and the API show.
struct ChainDetail: Sendable {
    struct Member: Sendable {
        let record: ChainMemberRecord
        let organization: OrganizationRecord
        var contributions: [ChainContribution] {
            record.contributions.split(separator: ",").compactMap { ChainContribution(rawValue: String($0)) }
        }
    }

    let chain: ChainRecord
    let lead: OrganizationRecord
    let members: [Member]
    var status: ChainStatus { ChainStatus(rawValue: chain.status) ?? .draft }

    var facts: ChainFacts {
        ChainFacts(
            memberKinds: members.compactMap { OrganizationKind(rawValue: $0.organization.kind) },
            postsOffered: members.reduce(0) { $0 + $1.record.postsCommitted },
            leadIsQualified: ChainRules.leadQualifies(EnterpriseFlags(rawValue: lead.flags)))
    }

    func checks(_ thresholds: ChainThresholds) -> [ChainCheck] { ChainRules.checks(facts, thresholds: thresholds) }

    /// Own = the acting organization leads or belongs to the chain.
    func scope(for actor: Actor) -> Scope {
        if members.contains(where: { $0.organization.id == actor.organizationID }) { return .own }
        return actor.scope(owner: chain.leadOrganizationID, region: chain.regionCode)
    }
}

struct ChainResponse: Content {
    struct Member: Content {
        let organizationId: UUID
        let organizationName: String
        let kind: String
        let contributions: [String]
        let postsCommitted: Int
    }

    let id: UUID
    let name: String
    let industry: String
    let regionCode: String
    let leadOrganizationId: UUID
    let status: String
    let returnReason: String?
    let members: [Member]
    let checks: [ChainCheck]

    /// A row of the chain list (`ChainStore`), without model objects.
    init(_ c: ChainStore.ChainRow, members rows: [ChainStore.MemberRow], thresholds: ChainThresholds) {
        id = c.id
        name = c.name
        industry = c.industry
        regionCode = c.region_code
        leadOrganizationId = c.lead_organization_id
        status = c.status
        returnReason = c.return_reason
        members = rows.map {
            Member(
                organizationId: $0.organization_id, organizationName: $0.name, kind: $0.kind,
                contributions: $0.contributions.split(separator: ",").filter { ChainContribution(rawValue: String($0)) != nil }.map(String.init),
                postsCommitted: $0.posts_committed)
        }
        let lead = rows.first { $0.organization_id == c.lead_organization_id }
        checks = ChainRules.checks(
            ChainFacts(
                memberKinds: rows.compactMap { OrganizationKind(rawValue: $0.kind) },
                postsOffered: rows.reduce(0) { $0 + $1.posts_committed },
                leadIsQualified: ChainRules.leadQualifies(EnterpriseFlags(rawValue: lead?.flags ?? 0))),
            thresholds: thresholds)
    }

    init(_ d: ChainDetail, thresholds: ChainThresholds) {
        id = d.chain.id!
        name = d.chain.name
        industry = d.chain.industry
        regionCode = d.chain.regionCode
        leadOrganizationId = d.chain.leadOrganizationID
        status = d.chain.status
        returnReason = d.chain.returnReason
        members = d.members.map {
            Member(
                organizationId: $0.organization.id!, organizationName: $0.organization.name, kind: $0.organization.kind,
                contributions: $0.contributions.map(\.rawValue), postsCommitted: $0.record.postsCommitted)
        }
        checks = d.checks(thresholds)
    }
}

extension ChainCheck: Content {}

struct ChainService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static func load(_ id: UUID, on db: any Database) async throws -> ChainDetail {
        guard let chain = try await ChainRecord.find(id, on: db) else { throw DomainError.notFound }
        let memberRows = try await ChainMemberRecord.query(on: db).filter(\.$chainID == id).sort(\.$createdAt).all()
        let orgIDs = Set(memberRows.map(\.organizationID) + [chain.leadOrganizationID])
        let orgs = try await OrganizationRecord.query(on: db).filter(\.$id ~~ orgIDs).all()
        let byID = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id!, $0) })
        guard let lead = byID[chain.leadOrganizationID] else { throw DomainError.notFound }
        return ChainDetail(
            chain: chain, lead: lead,
            members: memberRows.compactMap { m in byID[m.organizationID].map { .init(record: m, organization: $0) } })
    }

    /// Loads a chain the actor may see for `action`, or answers 404.
    static func authorized(_ id: UUID, _ action: Action, actor: Actor, on db: any Database) async throws -> ChainDetail {
        let detail = try await Self.load(id, on: db)
        try actor.require(action, detail.scope(for: actor))
        return detail
    }

    func create(_ input: ChainInput, actor: Actor) async throws -> ChainRecord {
        var v = Validator()
        let name = v.required("name", input.name, max: 100)
        let industry = v.required("industry", input.industry, max: 100)
        let region = v.regionCode("regionCode", input.regionCode)
        let posts = v.count("postsCommitted", input.postsCommitted, in: 0...1_000_000)
        if actor.organizationKind != .enterprise { v.add("name", "chain.lead.mustBeEnterprise") }
        try v.check()
        return try await app.write { db in
            let chain = ChainRecord()
            chain.version = 1
            chain.name = name
            chain.industry = industry
            chain.regionCode = region
            chain.leadOrganizationID = actor.organizationID
            chain.status = ChainStatus.draft.rawValue
            try await chain.create(on: db)
            let lead = ChainMemberRecord()
            lead.chainID = chain.id!
            lead.organizationID = actor.organizationID
            lead.contributions = ChainContribution.typical(for: .enterprise).map(\.rawValue).joined(separator: ",")
            lead.postsCommitted = posts
            try await lead.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "chain.created", objectType: "chain", objectID: chain.id?.uuidString.lowercased(),
                    detail: ["region": region]), actor: actor, on: db, now: app.now)
            return chain
        }
    }

    func addMember(_ chainID: UUID, _ input: ChainMemberInput, actor: Actor) async throws {
        let detail = try await Self.authorized(chainID, .editChain, actor: actor, on: app.db)
        guard detail.chain.leadOrganizationID == actor.organizationID || actor.role == .platformAdmin else { throw DomainError.forbidden }
        do { _ = try detail.status.applying(.edit) } catch { throw DomainError.rule(code: error.rawValue) }
        var v = Validator()
        let contributions = (input.contributions ?? []).map { ChainContribution(rawValue: $0) }
        if input.organizationId == nil { v.add("organizationId", "field.required") }
        if contributions.isEmpty { v.add("contributions", "chain.contributions.required") }
        if contributions.contains(where: { $0 == nil }) { v.add("contributions", "field.invalidChoice") }
        let posts = v.count("postsCommitted", input.postsCommitted, in: 0...1_000_000)
        if let org = input.organizationId, detail.members.contains(where: { $0.organization.id == org }) {
            v.add("organizationId", "chain.member.already")
        }
        try v.check()
        try await app.write { db in
            guard let org = try await OrganizationRecord.find(input.organizationId!, on: db) else {
                throw ValidationFailure([FieldError("organizationId", "organization.unknown")])
            }
            let m = ChainMemberRecord()
            m.chainID = chainID
            m.organizationID = org.id!
            m.contributions = contributions.compactMap { $0?.rawValue }.joined(separator: ",")
            m.postsCommitted = posts
            try await m.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "chain.memberAdded", objectType: "chain", objectID: chainID.uuidString.lowercased(),
                    detail: ["organization": org.id!.uuidString.lowercased()]), actor: actor, on: db, now: app.now)
        }
    }

    func submit(_ chainID: UUID, actor: Actor) async throws {
        let detail = try await Self.authorized(chainID, .submitChain, actor: actor, on: app.db)
        guard detail.chain.leadOrganizationID == actor.organizationID || actor.role == .platformAdmin else { throw DomainError.forbidden }
        let next: ChainStatus
        do { next = try detail.status.applying(.submit) } catch { throw DomainError.rule(code: error.rawValue) }
        let checks = detail.checks(app.config.chainThresholds)
        try await app.write { db in
            try await ChainRecord.query(on: db).filter(\.$id == chainID).filter(\.$status == detail.chain.status)
                .set(\.$status, to: next.rawValue).set(\.$submittedAt, to: app.now).set(\.$returnReason, to: nil).update()
            try await AuditLog.append(
                .init(
                    action: "chain.submitted", objectType: "chain", objectID: chainID.uuidString.lowercased(),
                    detail: ["checksPassed": String(checks.filter(\.passed).count), "checks": String(checks.count)]),
                actor: actor, on: db, now: app.now)
            try await NotificationService(app).notify(try await NotificationService.chainDrafts(detail.chain, event: .submit, on: db), on: db)
        }
    }

    func decide(_ chainID: UUID, _ input: ChainDecisionInput, actor: Actor) async throws {
        let detail = try await Self.authorized(chainID, .decideChain, actor: actor, on: app.db)
        var v = Validator()
        let decision = (input.decision ?? "").trimmingCharacters(in: .whitespaces)
        let event: ChainStatus.Event? =
            switch decision {
            case "approve": .approve
            case "return": .sendBack
            default: nil
            }
        if event == nil { v.add("decision", decision.isEmpty ? "field.required" : "field.invalidChoice") }
        let reason = v.optional("reason", input.reason, max: 1000)
        if event == .sendBack && reason == nil { v.add("reason", ChainStatus.Problem.reasonRequired.rawValue) }
        try v.check()
        let next: ChainStatus
        do { next = try detail.status.applying(event!) } catch { throw DomainError.rule(code: error.rawValue) }
        try await app.write { db in
            let chain = try await ChainRecord.find(chainID, on: db)!
            guard chain.status == ChainStatus.submitted.rawValue else { throw DomainError.rule(code: ChainStatus.Problem.notAllowedInState.rawValue) }
            chain.status = next.rawValue
            chain.returnReason = event == .sendBack ? reason : nil
            chain.decidedAt = app.now
            chain.decidedByOrganizationID = actor.organizationID
            try await chain.update(on: db)
            try await AuditLog.append(
                .init(
                    action: next == .approved ? "chain.approved" : "chain.returned", objectType: "chain",
                    objectID: chainID.uuidString.lowercased(), detail: ["status": next.rawValue]), actor: actor, on: db, now: app.now)
            try await NotificationService(app).notify(try await NotificationService.chainDrafts(chain, event: event!, on: db), on: db)
        }
    }

    /// Chains the actor may list: all (admin), those in the region (government), or those joined.
    static func visibleIDs(actor: Actor, on db: any Database) async throws -> [UUID]? {
        switch Policy.grant(actor.role, .listChains) {
        case .all: return nil
        case .region:
            let chains = try await ChainRecord.query(on: db).all()
            let joined = try await ChainMemberRecord.query(on: db).filter(\.$organizationID == actor.organizationID).all().map(\.chainID)
            return chains.filter { RegionCatalog.shared.contains(actor.organizationRegion, $0.regionCode) }.compactMap(\.id) + joined
        case .own:
            return try await ChainMemberRecord.query(on: db).filter(\.$organizationID == actor.organizationID).all().map(\.chainID)
        case .none: return []
        }
    }
}
