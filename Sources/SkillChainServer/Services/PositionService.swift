import Fluent
import Foundation
import SkillChainCore
import Vapor

struct PositionInput: Content, Sendable {
    var title: String?
    var occupationCode: String?
    var requiredLevel: String?
    var headcount: Int?
    var regionCode: String?
    var wageMin: Int?
    var wageMax: Int?
    var frontLine: Bool?
    var description: String?
}

struct PositionStatusInput: Content, Sendable {
    var status: String?
}

struct PositionResponse: Content {
    let id: UUID
    let organizationId: UUID
    let title: String
    let occupationEdition: String
    let occupationCode: String
    let occupationName: String?
    let requiredLevel: String
    let headcount: Int
    let regionCode: String
    let wageMin: Int
    let wageMax: Int
    let frontLine: Bool
    let description: String
    let status: String
    let version: Int

    init(_ r: PositionRecord) {
        id = r.id!
        organizationId = r.organizationID
        title = r.title
        occupationEdition = r.occupationEdition
        occupationCode = r.occupationCode
        occupationName = OccupationCatalog.edition2022.occupation(r.occupationCode)?.name
        requiredLevel = r.requiredLevel
        headcount = r.headcount
        regionCode = r.regionCode
        wageMin = r.wageMin
        wageMax = r.wageMax
        frontLine = r.frontLine
        description = r.description
        status = r.status
        version = r.version
    }
}

extension SkillChainCore.Validator {
    /// An occupation code of the shipped catalogue edition.
    mutating func occupation(_ field: String, _ value: String?) -> Occupation? {
        let code = (value ?? "").trimmingCharacters(in: .whitespaces)
        if code.isEmpty {
            add(field, "field.required")
            return nil
        }
        guard let o = OccupationCatalog.edition2022.occupation(code) else {
            add(field, "occupation.unknown")
            return nil
        }
        return o
    }

    /// A whole number that must be given and lie within `range`.
    mutating func number(_ field: String, _ value: Int?, in range: ClosedRange<Int>) -> Int {
        guard let n = value else {
            add(field, "field.required")
            return range.lowerBound
        }
        if !range.contains(n) { add(field, "field.outOfRange", [String(range.lowerBound), String(range.upperBound)]) }
        return n
    }

    /// A `YYYY-MM-DD` calendar day.
    mutating func day(_ field: String, _ value: String?, required: Bool = true) -> Day? {
        let text = (value ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            if required { add(field, "field.required") }
            return nil
        }
        guard let d = Day(text) else {
            add(field, "field.date")
            return nil
        }
        return d
    }
}

struct PositionService {
    let app: Application

    init(_ app: Application) { self.app = app }

    func create(_ input: PositionInput, actor: Actor) async throws -> PositionRecord {
        var v = Validator()
        let title = v.required("title", input.title, max: 100)
        let occupation = v.occupation("occupationCode", input.occupationCode)
        let level = v.oneOf("requiredLevel", input.requiredLevel, SkillLevel.self)
        let headcount = v.number("headcount", input.headcount, in: 1...100_000)
        let region = v.regionCode("regionCode", input.regionCode)
        let wageMin = v.number("wageMin", input.wageMin, in: 0...1_000_000)
        let wageMax = v.number("wageMax", input.wageMax, in: 0...1_000_000)
        if input.wageMin != nil, input.wageMax != nil, wageMax < wageMin { v.add("wageMax", "position.wage.order") }
        let description = v.optional("description", input.description, max: 2000) ?? ""
        if actor.organizationKind != .enterprise { v.add("title", "position.owner.mustBeEnterprise") }
        try v.check()
        return try await app.write { db in
            let p = PositionRecord()
            p.version = 1
            p.organizationID = actor.organizationID
            p.title = title
            p.occupationEdition = occupation!.edition
            p.occupationCode = occupation!.code
            p.requiredLevel = level!.rawValue
            p.headcount = headcount
            p.regionCode = region
            p.wageMin = wageMin
            p.wageMax = wageMax
            p.frontLine = input.frontLine ?? false
            p.description = description
            p.status = PositionStatus.open.rawValue
            try await p.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "position.created", objectType: "position", objectID: p.id?.uuidString.lowercased(),
                    detail: ["occupation": p.occupationCode, "headcount": String(headcount)]), actor: actor, on: db, now: app.now)
            return p
        }
    }

    func setStatus(_ id: UUID, _ input: PositionStatusInput, actor: Actor) async throws -> PositionRecord {
        guard let p = try await PositionRecord.find(id, on: app.db) else { throw DomainError.notFound }
        try actor.require(.editPosition, actor.scope(owner: p.organizationID))
        var v = Validator()
        let status = v.oneOf("status", input.status, PositionStatus.self)
        try v.check()
        return try await app.write { db in
            guard let p = try await PositionRecord.find(id, on: db) else { throw DomainError.notFound }
            let old = p.status
            p.status = status!.rawValue
            try await p.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "position.status", objectType: "position", objectID: id.uuidString.lowercased(),
                    detail: ["from": old, "to": p.status]), actor: actor, on: db, now: app.now)
            return p
        }
    }

    struct Filter: Sendable {
        var q: String?
        var occupation: String?
        var level: String?
        var region: String?
        var status: String?
        var organization: UUID?
        var frontLine: Bool?
    }

    static func query(_ f: Filter, on db: any Database) -> QueryBuilder<PositionRecord> {
        let q = PositionRecord.query(on: db)
        if let text = f.q?.trimmingCharacters(in: .whitespaces), !text.isEmpty { q.filter(\.$title ~~ text) }
        if let o = f.occupation, !o.isEmpty { q.filter(\.$occupationCode ~~ o) }
        if let l = f.level, !l.isEmpty { q.filter(\.$requiredLevel == l) }
        if let r = f.region, !r.isEmpty { q.filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: r)) }
        if let s = f.status, !s.isEmpty { q.filter(\.$status == s) }
        if let org = f.organization { q.filter(\.$organizationID == org) }
        if let fl = f.frontLine { q.filter(\.$frontLine == fl) }
        return q
    }

    /// Open posts offered by each organization (headcount of open positions).
    static func openPosts(of organizations: [UUID], on db: any Database) async throws -> [UUID: Int] {
        guard !organizations.isEmpty else { return [:] }
        let rows = try await PositionRecord.query(on: db).filter(\.$organizationID ~~ organizations)
            .filter(\.$status == PositionStatus.open.rawValue).all()
        return rows.reduce(into: [:]) { $0[$1.organizationID, default: 0] += $1.headcount }
    }
}
