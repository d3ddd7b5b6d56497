import Fluent
import Foundation
import SkillChainCore
import Vapor

struct FilingScopeInput: Content, Sendable {
    var occupationCode: String?
    var levels: [String]?
}

struct FilingInput: Content, Sendable {
    var institutionType: String?
    var institutionCode: String?
    var siteSerial: String?
    var validFrom: String?
    var validUntil: String?
    var scopes: [FilingScopeInput]?
}

struct FilingDecisionInput: Content, Sendable {
    /// `approve`, `return`, `suspend`, `reinstate` or `revoke`.
    var decision: String?
    var reason: String?
}

struct FilingResponse: Content {
    struct Scope: Content {
        let occupationCode: String
        let occupationName: String?
        let levels: [String]
    }
    let id: UUID
    let organizationId: UUID
    let organizationName: String
    let institutionType: String
    let institutionCode: String
    let provinceCode: String
    let siteSerial: String
    let certificatePrefix: String
    let regionCode: String
    let validFrom: String
    let validUntil: String
    let status: String
    let reason: String?
    let canOpenBatches: Bool
    let scopes: [Scope]

    init(_ d: FilingDetail, today: Day) {
        let f = d.filing
        id = f.id!
        organizationId = f.organizationID
        organizationName = d.organization.name
        institutionType = f.institutionType
        institutionCode = f.institutionCode
        provinceCode = f.provinceCode
        siteSerial = f.siteSerial
        certificatePrefix = d.identity.certificatePrefix
        regionCode = f.regionCode
        validFrom = f.validFrom
        validUntil = f.validUntil
        status = f.status
        reason = f.reason
        canOpenBatches = d.canOpenBatches(on: today)
        scopes = d.scopes.map {
            Scope(occupationCode: $0.code, occupationName: OccupationCatalog.edition2022.occupation($0.code)?.name, levels: $0.levels.map(\.rawValue))
        }
    }
}

struct FilingDetail: Sendable {
    let filing: EvaluationFilingRecord
    let organization: OrganizationRecord
    /// Occupations with the levels filed for each, in code order.
    let scopes: [(code: String, levels: [SkillLevel])]

    var status: FilingStatus { FilingStatus(rawValue: filing.status) ?? .draft }
    var identity: FilingIdentity {
        FilingIdentity(
            type: InstitutionType(rawValue: filing.institutionType) ?? .Y, institutionCode: filing.institutionCode,
            provinceCode: filing.provinceCode, siteSerial: filing.siteSerial)
    }
    func canOpenBatches(on day: Day) -> Bool {
        guard let from = Day(filing.validFrom), let until = Day(filing.validUntil) else { return false }
        return FilingRules.canOpenBatches(status: status, validFrom: from, validUntil: until, on: day)
    }
    func scope(for actor: Actor) -> Scope { actor.scope(owner: filing.organizationID, region: filing.regionCode) }
}

struct FilingService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// How many filings the organization has made (any status).
    static func count(of organization: UUID, on db: any Database) async throws -> Int {
        try await EvaluationFilingRecord.query(on: db).filter(\.$organizationID == organization).count()
    }

    static func load(_ id: UUID, on db: any Database) async throws -> FilingDetail {
        guard let f = try await EvaluationFilingRecord.find(id, on: db), let org = try await OrganizationRecord.find(f.organizationID, on: db) else {
            throw DomainError.notFound
        }
        let rows = try await FilingScopeRecord.query(on: db).filter(\.$filingID == id).all()
        let grouped = Dictionary(grouping: rows, by: \.occupationCode)
        return FilingDetail(
            filing: f, organization: org,
            scopes: grouped.keys.sorted().map { code in
                (code, grouped[code]!.compactMap { SkillLevel(rawValue: $0.level) }.sorted())
            })
    }

    static func authorized(_ id: UUID, _ action: Action, actor: Actor, on db: any Database) async throws -> FilingDetail {
        let d = try await Self.load(id, on: db)
        try actor.require(action, d.scope(for: actor))
        return d
    }

    static func query(actor: Actor, on db: any Database) -> QueryBuilder<EvaluationFilingRecord> {
        let q = EvaluationFilingRecord.query(on: db)
        switch Policy.grant(actor.role, .listFilings) {
        case .all: break
        case .region:
            q.group(.or) {
                $0.filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: actor.organizationRegion)).filter(
                    \.$organizationID == actor.organizationID)
            }
        case .own: q.filter(\.$organizationID == actor.organizationID)
        case .none: q.filter(\.$id == .nothing)
        }
        return q
    }

    /// The acting school or enterprise files (as a draft) with its codes, validity and scope.
    func create(_ input: FilingInput, actor: Actor) async throws -> EvaluationFilingRecord {
        var v = Validator()
        let type = v.oneOf("institutionType", input.institutionType, InstitutionType.self)
        if let type, !type.allowed(for: actor.organizationKind) { v.add("institutionType", "filing.type.notForKind") }
        let code = (input.institutionCode ?? "").trimmingCharacters(in: .whitespaces)
        let serial = (input.siteSerial ?? "").trimmingCharacters(in: .whitespaces)
        for e in FilingIdentity.problems(institutionCode: code, siteSerial: serial) { v.add(e.field, e.code, e.args) }
        let from = v.day("validFrom", input.validFrom)
        let until = v.day("validUntil", input.validUntil)
        if let from, let until { for e in FilingRules.validityProblems(from: from, until: until) { v.add(e.field, e.code, e.args) } }
        var scopes: [(Occupation, [SkillLevel])] = []
        for (i, s) in (input.scopes ?? []).enumerated() {
            let occupation = v.occupation("scopes[\(i)].occupationCode", s.occupationCode)
            let levels = (s.levels ?? []).map { SkillLevel(rawValue: $0) }
            if levels.isEmpty { v.add("scopes[\(i)].levels", "field.required") }
            if levels.contains(where: { $0?.certificateCode == nil }) { v.add("scopes[\(i)].levels", "field.invalidChoice") }
            if let occupation { scopes.append((occupation, Array(Set(levels.compactMap { $0 })).sorted())) }
        }
        if scopes.isEmpty && v.errors.isEmpty { v.add("scopes", "filing.scope.required") }
        if Set(scopes.map(\.0.code)).count != scopes.count { v.add("scopes", "filing.scope.duplicate") }
        try v.check()
        let filed = scopes
        return try await app.write { db in
            if try await EvaluationFilingRecord.query(on: db).filter(\.$organizationID == actor.organizationID).first() != nil {
                throw ValidationFailure([FieldError("institutionType", "filing.already")])
            }
            let province = String(actor.organizationRegion.prefix(2))
            if try await EvaluationFilingRecord.query(on: db).filter(\.$institutionType == type!.rawValue).filter(\.$institutionCode == code)
                .filter(\.$provinceCode == province).filter(\.$siteSerial == serial).first() != nil
            {
                throw ValidationFailure([FieldError("siteSerial", "filing.siteSerial.taken")])
            }
            let f = EvaluationFilingRecord()
            f.organizationID = actor.organizationID
            f.institutionType = type!.rawValue
            f.institutionCode = code
            f.provinceCode = province
            f.siteSerial = serial
            f.regionCode = actor.organizationRegion
            f.validFrom = from!.description
            f.validUntil = until!.description
            f.status = FilingStatus.draft.rawValue
            try await f.create(on: db)
            for (occupation, levels) in filed {
                for level in levels {
                    let s = FilingScopeRecord()
                    s.filingID = f.id!
                    s.occupationEdition = occupation.edition
                    s.occupationCode = occupation.code
                    s.level = level.rawValue
                    try await s.create(on: db)
                }
            }
            try await AuditLog.append(
                .init(
                    action: "filing.created", objectType: "filing", objectID: f.id?.uuidString.lowercased(),
                    detail: ["type": f.institutionType, "occupations": String(filed.count)]), actor: actor, on: db, now: app.now)
            return f
        }
    }

    func submit(_ id: UUID, actor: Actor) async throws {
        let d = try await Self.authorized(id, .editFiling, actor: actor, on: app.db)
        try await transition(d, .submit, reason: nil, actor: actor)
    }

    func decide(_ id: UUID, _ input: FilingDecisionInput, actor: Actor) async throws {
        let d = try await Self.authorized(id, .decideFiling, actor: actor, on: app.db)
        var v = Validator()
        let raw = (input.decision ?? "").trimmingCharacters(in: .whitespaces)
        let event: FilingStatus.Event? =
            switch raw {
            case "approve": .approve
            case "return": .sendBack
            case "suspend": .suspend
            case "reinstate": .reinstate
            case "revoke": .revoke
            default: nil
            }
        if event == nil { v.add("decision", raw.isEmpty ? "field.required" : "field.invalidChoice") }
        let reason = v.optional("reason", input.reason, max: 1000)
        if let event, FilingStatus.needsReason(event), reason == nil { v.add("reason", FilingStatus.Problem.reasonRequired.rawValue) }
        try v.check()
        try await transition(d, event!, reason: reason, actor: actor)
    }

    private func transition(_ d: FilingDetail, _ event: FilingStatus.Event, reason: String?, actor: Actor) async throws {
        let next: FilingStatus
        do { next = try d.status.applying(event, reason: reason) } catch { throw DomainError.rule(code: error.rawValue) }
        let id = d.filing.id!
        try await app.write { db in
            guard let f = try await EvaluationFilingRecord.find(id, on: db), f.status == d.filing.status else {
                throw DomainError.changedMeanwhile
            }
            f.status = next.rawValue
            f.reason = FilingStatus.needsReason(event) ? reason : (event == .submit ? nil : f.reason)
            if FilingStatus.isGovernment(event) { f.decidedAt = app.now }
            try await f.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "filing.\(event.rawValue)", objectType: "filing", objectID: id.uuidString.lowercased(),
                    detail: ["status": next.rawValue]), actor: actor, on: db, now: app.now)
            try await NotificationService(app).notify(try await NotificationService.filingDrafts(d, event: event, on: db), on: db)
        }
    }
}
