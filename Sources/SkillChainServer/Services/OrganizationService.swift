import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Input for creating an organization, from a form or the API (strings, validated here).
struct OrganizationInput: Content, Sendable {
    var name: String?
    var kind: String?
    var creditCode: String?
    var regionCode: String?
    var flags: [String]?
    var insuredEmployees: Int?
}

struct OrganizationResponse: Content {
    let id: UUID
    let name: String
    let kind: String
    let creditCode: String
    let regionCode: String
    let regionName: String
    let flags: [String]
    let insuredEmployees: Int
    /// Archived organizations are hidden from lists unless asked for (`archived=true`) and their logins are stopped.
    let archived: Bool
    let contact: String?
    let address: String?
    /// Days personal data of people with nothing open is kept (null: off).
    let retentionDays: Int?
    let version: Int

    init(_ r: OrganizationRecord) {
        id = r.id!
        name = r.name
        kind = r.kind
        creditCode = r.creditCode
        regionCode = r.regionCode
        regionName = RegionCatalog.shared.fullName(r.regionCode) ?? r.regionCode
        flags = EnterpriseFlags(rawValue: r.flags).names
        insuredEmployees = r.insuredEmployees
        archived = r.archivedAt != nil
        contact = r.contact
        address = r.address
        retentionDays = r.retentionDays
        version = r.version
    }
}

struct OrganizationService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static func validate(_ input: OrganizationInput) throws -> OrganizationRecord {
        var v = Validator()
        let name = v.required("name", input.name, max: 100)
        let kind = v.oneOf("kind", input.kind, OrganizationKind.self)
        var code = ""
        do { code = try CreditCode(input.creditCode ?? "").value } catch { v.add("creditCode", error.rawValue) }
        let region = v.regionCode("regionCode", input.regionCode)
        let employees = v.count("insuredEmployees", input.insuredEmployees, in: 0...10_000_000)
        let unknownFlags = (input.flags ?? []).filter { f in !EnterpriseFlags.all.contains { $0.name == f } }
        if !unknownFlags.isEmpty { v.add("flags", "field.invalidChoice") }
        if kind != .enterprise && !(input.flags ?? []).isEmpty { v.add("flags", "organization.flags.enterpriseOnly") }
        try v.check()
        let r = OrganizationRecord()
        r.version = 1
        r.name = name
        r.kind = kind!.rawValue
        r.creditCode = code
        r.regionCode = region
        r.flags = EnterpriseFlags(names: input.flags ?? []).rawValue
        r.insuredEmployees = employees
        return r
    }

    func create(_ input: OrganizationInput, actor: Actor?) async throws -> OrganizationRecord {
        let record = try Self.validate(input)
        return try await app.write { db in
            if try await OrganizationRecord.query(on: db).filter(\.$creditCode == record.creditCode).first() != nil {
                throw ValidationFailure([FieldError("creditCode", "organization.creditCode.taken")])
            }
            if try await OrganizationRecord.query(on: db).filter(\.$name == record.name).first() != nil {
                throw ValidationFailure([FieldError("name", "organization.name.taken")])
            }
            try await record.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "organization.created", objectType: "organization",
                    objectID: record.id?.uuidString.lowercased(),
                    detail: ["kind": record.kind, "region": record.regionCode]), actor: actor, on: db, now: app.now)
            return record
        }
    }

    struct Filter: Sendable {
        var q: String?
        var kind: String?
        var region: String?
        /// Archived organizations instead of the active ones.
        var archived = false
    }

    static func query(_ f: Filter, on db: any Database) -> QueryBuilder<OrganizationRecord> {
        let query = OrganizationRecord.query(on: db)
        if let q = f.q?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            query.group(.or) { $0.filter(\.$name ~~ q).filter(\.$creditCode == q.uppercased()) }
        }
        if let k = f.kind, !k.isEmpty { query.filter(\.$kind == k) }
        if let r = f.region, !r.isEmpty { query.filter(\.$regionCode == r) }
        if f.archived { query.filter(\.$archivedAt != nil) } else { query.filter(\.$archivedAt == nil) }
        return query
    }
}
