import Fluent
import Foundation
import SkillChainCore
import Vapor

/// A partial correction of an organization: its own admin (or the platform admin) changes the name, contact, address,
/// region, qualification flags, insured employees and the retention period; the credit code only the platform admin,
/// with a reason. The kind never changes (roles and rules hang on it).
struct OrganizationPatch: Content, Sendable {
    var name: String?
    var contact: String?
    var address: String?
    var regionCode: String?
    var flags: [String]?
    var insuredEmployees: Int?
    /// Days to keep personal data of people with nothing open; 0 turns the rule off.
    var retentionDays: Int?
    var creditCode: String?
    var reason: String?
}

struct OrganizationEditService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static let fields = ["name", "creditCode", "contact", "address", "regionCode", "flags", "insuredEmployees", "retentionDays"]

    static func values(_ o: OrganizationRecord) -> [String: String] {
        [
            "name": o.name, "creditCode": o.creditCode, "contact": o.contact ?? "", "address": o.address ?? "", "regionCode": o.regionCode,
            "flags": EnterpriseFlags(rawValue: o.flags).names.joined(separator: ","), "insuredEmployees": String(o.insuredEmployees),
            "retentionDays": o.retentionDays.map(String.init) ?? "",
        ]
    }

    static func authorized(_ id: UUID, actor: Actor, on db: any Database) async throws -> OrganizationRecord {
        guard let o = try await OrganizationRecord.find(id, on: db) else { throw DomainError.notFound }
        try actor.require(.editOrganization, actor.scope(owner: id))
        return o
    }

    @discardableResult
    func update(_ id: UUID, _ patch: OrganizationPatch, expected: RecordVersion.Precondition, actor: Actor) async throws
        -> OrganizationRecord
    {
        let org = try await Self.authorized(id, actor: actor, on: app.db)
        var v = Validator()
        let name = patch.name.map { _ in v.required("name", patch.name, max: 100) }
        let contact = patch.contact.map { _ in v.optional("contact", patch.contact, max: 100) ?? "" }
        let address = patch.address.map { _ in v.optional("address", patch.address, max: 200) ?? "" }
        let region = patch.regionCode.map { _ in v.regionCode("regionCode", patch.regionCode) }
        let employees = patch.insuredEmployees.map { _ in v.count("insuredEmployees", patch.insuredEmployees, in: 0...10_000_000) }
        let retention = patch.retentionDays.map { _ in v.count("retentionDays", patch.retentionDays, in: 0...36_500) }
        if let flags = patch.flags {
            if flags.contains(where: { f in !EnterpriseFlags.all.contains { $0.name == f } }) { v.add("flags", "field.invalidChoice") }
            if org.kind != OrganizationKind.enterprise.rawValue && !flags.isEmpty { v.add("flags", "organization.flags.enterpriseOnly") }
        }
        var creditCode: String?
        let reason = v.optional("reason", patch.reason, max: 500)
        if let raw = patch.creditCode {
            guard Policy.grant(actor.role, .createOrganization) == .all else { throw DomainError.forbidden }
            do { creditCode = try CreditCode(raw).value } catch { v.add("creditCode", error.rawValue) }
            if reason == nil { v.add("reason", "organization.reason.required") }
        }
        try v.check()
        let newCode = creditCode
        return try await app.write { db in
            guard let row = try await OrganizationRecord.find(id, on: db) else { throw DomainError.notFound }
            guard RecordVersion.satisfied(expected, current: row.version) else { throw StaleRecord(current: row.version) }
            let before = Self.values(row)
            if let name, name != row.name, try await OrganizationRecord.query(on: db).filter(\.$name == name).filter(\.$id != id).first() != nil {
                throw ValidationFailure([FieldError("name", "organization.name.taken")])
            }
            if let newCode, newCode != row.creditCode,
                try await OrganizationRecord.query(on: db).filter(\.$creditCode == newCode).filter(\.$id != id).first() != nil
            {
                throw ValidationFailure([FieldError("creditCode", "organization.creditCode.taken")])
            }
            if let name { row.name = name }
            if let contact { row.contact = contact.isEmpty ? nil : contact }
            if let address { row.address = address.isEmpty ? nil : address }
            if let region { row.regionCode = region }
            if let employees { row.insuredEmployees = employees }
            if let retention { row.retentionDays = retention == 0 ? nil : retention }
            if let flags = patch.flags { row.flags = EnterpriseFlags(names: flags).rawValue }
            if let newCode { row.creditCode = newCode }
            let changes = RecordHistory.changes(old: before, new: Self.values(row), order: Self.fields)
            guard !changes.isEmpty else { return row }
            row.version += 1
            try await row.update(on: db)
            var detail = ["changes": RecordHistory.encode(changes), "version": String(row.version)]
            if let reason, patch.creditCode != nil { detail["reason"] = reason }
            try await AuditLog.append(
                .init(
                    action: "organization.updated", objectType: "organization", objectID: id.uuidString.lowercased(),
                    detail: detail), actor: actor, on: db, now: app.now)
            return row
        }
    }
}
