import Fluent
import Foundation
import SkillChainCore
import Vapor

struct SkillBaseInput: Content, Sendable {
    var kind: String?
    var name: String?
    var host: UUID?
    var tier: String?
    var approvalYear: Int?
    var fundingGranted: Int?
}
struct SkillBaseActivityInput: Content, Sendable {
    var fundingSpent: Int?
    var activity: String?
    var programs: [UUID]?
    var masters: [UUID]?
}
struct SkillBaseResponse: Content {
    let id: UUID
    let kind: String
    let name: String
    let hostOrganizationId: UUID
    let hostName: String
    let regionCode: String
    let tier: String
    let approvalYear: Int
    let fundingGranted: Int
    let fundingSpent: Int
    let activity: String
    let notices: [String]
    let programs: [UUID]
    let masters: [UUID]
    let masterNames: [String]
    /// What it delivered, counted from records: people enrolled in its programs, those who completed, and those of
    /// them holding a valid certificate in the program's occupation.
    let trainees: Int
    let completed: Int
    let certified: Int
}

struct CompetitionInput: Content, Sendable {
    var name: String?
    var tier: String?
    var occupationCode: String?
    var heldOn: String?
    var entrants: Int?
}
struct CompetitionResultInput: Content, Sendable {
    var name: String?
    var citizenId: String?
    var rank: Int?
    var student: Bool?
}
struct CompetitionResultsInput: Content, Sendable { var results: [CompetitionResultInput]? }
struct CompetitionResponse: Content {
    let id: UUID
    let name: String
    let tier: String
    let organizerOrganizationId: UUID
    let organizerName: String
    let regionCode: String
    let occupationCode: String
    let occupationName: String
    let year: Int
    let heldOn: String
    let entrants: Int
    let status: String
    let results: Int
}
struct CompetitionResultResponse: Content {
    let id: UUID
    let person: UUID?
    let name: String
    let citizenIdMasked: String
    let rank: Int
    let student: Bool
    /// The level this placing lets the person be evaluated for, by the configured promotion rule and what they hold.
    let recognisedLevel: String?
    /// Set when the organizer withdrew the result after publication; it then counts for nothing.
    let withdrawnAt: Date?
    let withdrawalReason: String?
}
struct ResultWithdrawalInput: Content { let reason: String? }

/// The registry of bases, studios and industrial colleges, and skill competitions (issue 6). The bureau keeps the
/// registry; hosts report their activity (funding spent, the programs and masters they host). Competitions are held
/// by enterprises and schools (their own), chains (by the lead) or the bureau (city and above); their published
/// results feed eligibility as the contest route (Core's `ContestPromotion`).
struct RegistryService {
    let app: Application

    init(_ app: Application) { self.app = app }

    // MARK: Bases

    func createBase(_ input: SkillBaseInput, actor: Actor, today: Day? = nil) async throws -> SkillBaseRecord {
        let today = today ?? app.today
        try actor.require(.manageRegistry, actor.scope(owner: actor.organizationID))
        var v = Validator()
        let kind = v.oneOf("kind", input.kind, SkillBaseKind.self)
        let tier = v.oneOf("tier", input.tier, HonourTier.self)
        let name = v.required("name", input.name, max: 100)
        let year = v.requiredCount("approvalYear", input.approvalYear, in: 1990...2100)
        let granted = v.requiredCount("fundingGranted", input.fundingGranted, in: 0...1_000_000_000)
        if input.host == nil { v.add("host", "field.required") }
        try v.check()
        guard let host = try await OrganizationRecord.find(input.host!, on: app.db),
            actor.can(.manageRegistry, actor.scope(owner: host.id!, region: host.regionCode))
        else {
            throw ValidationFailure([FieldError("host", "registry.hostOutOfRegion")])
        }
        if let k = OrganizationKind(rawValue: host.kind), !kind!.allowsHost(k) { v.add("host", "registry.hostKind.\(kind!.rawValue)") }
        for p in SkillBaseRules.problems(
            .init(kind: kind!, tier: tier!, approvalYear: year, fundingGranted: granted, fundingSpent: 0), thisYear: today.year)
        {
            v.add(p.field, p.code)
        }
        try v.check()
        let r = SkillBaseRecord()
        r.kind = kind!.rawValue
        r.name = name
        r.hostOrganizationID = host.id!
        r.regionCode = host.regionCode
        r.tier = tier!.rawValue
        r.approvalYear = year
        r.fundingGranted = granted
        r.fundingSpent = 0
        r.activity = ""
        r.createdByOrganizationID = actor.organizationID
        return try await app.write { db in
            if try await SkillBaseRecord.query(on: db).filter(\.$hostOrganizationID == host.id!).filter(\.$kind == r.kind).filter(\.$name == name)
                .first() != nil
            {
                throw ValidationFailure([FieldError("name", "registry.duplicate")])
            }
            try await r.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "registry.baseCreated", objectType: "skillBase", objectID: r.id!.uuidString.lowercased(),
                    detail: ["kind": r.kind, "tier": r.tier, "granted": String(granted)]), actor: actor, on: db, now: app.now)
            return r
        }
    }

    /// The bureau sees its region's bases, a host its own; everyone else none.
    static func bases(actor: Actor, on db: any Database) async throws -> [SkillBaseRecord] {
        let q = SkillBaseRecord.query(on: db).sort(\.$approvalYear, .descending).sort(\.$name)
        if actor.role == .platformAdmin { return try await q.all() }
        if actor.can(.listRegistry, .inRegion) {
            let prefix = RegionCatalog.shared.prefix(of: actor.organizationRegion)
            return try await q.filter(\.$regionCode =~ prefix).all()
        }
        guard actor.can(.listRegistry, .own) else { return [] }
        return try await q.filter(\.$hostOrganizationID == actor.organizationID).all()
    }

    static func base(_ id: UUID, actor: Actor, on db: any Database) async throws -> SkillBaseRecord {
        guard let b = try await Self.bases(actor: actor, on: db).first(where: { $0.id == id }) else { throw DomainError.notFound }
        return b
    }

    /// The host reports its activity: funding spent so far, its programs and masters.
    func updateActivity(_ id: UUID, _ input: SkillBaseActivityInput, actor: Actor, today: Day? = nil) async throws
        -> SkillBaseRecord
    {
        let today = today ?? app.today
        let b = try await Self.base(id, actor: actor, on: app.db)
        try actor.require(.updateBaseActivity, actor.scope(owner: b.hostOrganizationID))
        var v = Validator()
        let spent = v.requiredCount("fundingSpent", input.fundingSpent, in: 0...1_000_000_000)
        let activity = v.optional("activity", input.activity, max: 2000) ?? ""
        let programs = Set(input.programs ?? [])
        let masters = Set(input.masters ?? [])
        if programs.count > 200 { v.add("programs", "field.outOfRange", ["0", "200"]) }
        if masters.count > 200 { v.add("masters", "field.outOfRange", ["0", "200"]) }
        try v.check()
        let kind = SkillBaseKind(rawValue: b.kind) ?? .trainingBase
        let tier = HonourTier(rawValue: b.tier) ?? .city
        for p in SkillBaseRules.problems(
            .init(kind: kind, tier: tier, approvalYear: b.approvalYear, fundingGranted: b.fundingGranted, fundingSpent: spent),
            thisYear: today.year)
        { v.add(p.field, p.code) }
        // Only the host's own programs (led or partnered) and its own people.
        let ownPrograms = try await Self.ownProgramIDs(b.hostOrganizationID, on: app.db)
        if !programs.isSubset(of: ownPrograms) { v.add("programs", "registry.programNotHosted") }
        if !masters.isEmpty {
            let found = try await PersonRecord.query(on: app.db).filter(\.$id ~~ masters).filter(\.$organizationID == b.hostOrganizationID).count()
            if found != masters.count { v.add("masters", "registry.masterNotHosted") }
        }
        if kind.needsMaster && masters.isEmpty { v.add("masters", "registry.studioNeedsMaster") }
        try v.check()
        return try await app.write { db in
            guard let row = try await SkillBaseRecord.find(id, on: db) else { throw DomainError.notFound }
            row.fundingSpent = spent
            row.activity = activity
            try await row.update(on: db)
            try await SkillBaseLinkRecord.query(on: db).filter(\.$baseID == id).delete()
            for (kind, targets) in [(SkillBaseLinkRecord.Kind.program, programs), (.master, masters)] {
                for t in targets.sorted(by: { $0.uuidString < $1.uuidString }) {
                    let l = SkillBaseLinkRecord()
                    l.baseID = id
                    l.kind = kind.rawValue
                    l.targetID = t
                    try await l.create(on: db)
                }
            }
            try await AuditLog.append(
                .init(
                    action: "registry.activityReported", objectType: "skillBase", objectID: id.uuidString.lowercased(),
                    detail: ["spent": String(spent), "programs": String(programs.count), "masters": String(masters.count)]), actor: actor, on: db,
                now: app.now)
            return row
        }
    }

    static func ownProgramIDs(_ org: UUID, on db: any Database) async throws -> Set<UUID> {
        let led = try await ProgramRecord.query(on: db).filter(\.$leadOrganizationID == org).all().compactMap(\.id)
        let partnered = try await ProgramPartnerRecord.query(on: db).filter(\.$organizationID == org).all().map(\.programID)
        return Set(led).union(partnered)
    }

    static func baseResponses(_ rows: [SkillBaseRecord], on db: any Database, today: Day) async throws -> [SkillBaseResponse] {
        guard !rows.isEmpty else { return [] }
        let ids = rows.compactMap(\.id)
        let links = try await SkillBaseLinkRecord.query(on: db).filter(\.$baseID ~~ ids).all()
        let hosts = Dictionary(
            uniqueKeysWithValues: try await OrganizationRecord.query(on: db).filter(\.$id ~~ Set(rows.map(\.hostOrganizationID))).all().map {
                ($0.id!, $0.name)
            })
        let masterIDs = Set(links.filter { $0.kind == SkillBaseLinkRecord.Kind.master.rawValue }.map(\.targetID))
        let names = Dictionary(uniqueKeysWithValues: try await PersonRecord.query(on: db).filter(\.$id ~~ masterIDs).all().map { ($0.id!, $0.name) })
        let delivered = try await RegistryStore(db).delivered(links.filter { $0.kind == SkillBaseLinkRecord.Kind.program.rawValue }, today: today)
        return rows.map { b in
            let own = links.filter { $0.baseID == b.id }
            let facts = SkillBaseFacts(
                kind: SkillBaseKind(rawValue: b.kind) ?? .trainingBase, tier: HonourTier(rawValue: b.tier) ?? .city,
                approvalYear: b.approvalYear, fundingGranted: b.fundingGranted, fundingSpent: b.fundingSpent)
            let d = delivered[b.id!] ?? (0, 0, 0)
            let masters = own.filter { $0.kind == SkillBaseLinkRecord.Kind.master.rawValue }.map(\.targetID)
            return SkillBaseResponse(
                id: b.id!, kind: b.kind, name: b.name, hostOrganizationId: b.hostOrganizationID, hostName: hosts[b.hostOrganizationID] ?? "",
                regionCode: b.regionCode, tier: b.tier, approvalYear: b.approvalYear, fundingGranted: b.fundingGranted,
                fundingSpent: b.fundingSpent, activity: b.activity, notices: SkillBaseRules.notices(facts),
                programs: own.filter { $0.kind == SkillBaseLinkRecord.Kind.program.rawValue }.map(\.targetID), masters: masters,
                masterNames: masters.compactMap { names[$0] },
                trainees: d.0, completed: d.1, certified: d.2)
        }
    }

    // MARK: Competitions
}
