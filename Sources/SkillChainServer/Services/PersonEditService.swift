import Fluent
import Foundation
import SkillChainCore
import Vapor

/// A partial update of a person: only the fields given change. The citizen ID number changes only with a reason, by the
/// holding organization's admin; sex and birth date follow from it (GB 11643), so they change with it and only with it.
struct PersonPatch: Content, Sendable {
    var name: String?
    var phone: String?
    var education: String?
    var category: String?
    var citizenId: String?
    /// Why the ID number is corrected (required with `citizenId`), kept in the audit entry.
    var reason: String?
}

/// Thrown when an edit names a version the record has moved past: 412 over the API, the changes shown on a page.
struct StaleRecord: Error { let current: Int }

struct PersonEditService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static let fields = ["name", "citizenId", "sex", "birthDate", "phone", "education", "category"]
    static let masking: [String: RecordHistory.Masking] = ["name": .name, "citizenId": .citizenID, "phone": .phone]

    /// The person's current values, opened, keyed as in `fields` (for diffs and for the edit form).
    func values(_ p: PersonRecord) -> [String: String] {
        [
            "name": p.name, "citizenId": (try? app.personalData.open(p.citizenIDSealed)) ?? "", "sex": p.sex, "birthDate": p.birthDate,
            "phone": (try? app.personalData.open(p.phoneSealed)) ?? "", "education": p.education, "category": p.category,
        ]
    }

    static func authorized(_ id: UUID, actor: Actor, on db: any Database) async throws -> PersonRecord {
        guard let p = try await PersonRecord.find(id, on: db) else { throw DomainError.notFound }
        try actor.require(.viewPerson, actor.scope(owner: p.organizationID))
        try actor.require(.editPerson, actor.scope(owner: p.organizationID))
        return p
    }

    /// Validates and applies `patch` in one transaction with its audit entry (changed fields old → new, masked). Nothing
    /// changes on a validation failure or when `expected` names an older version. An edit that changes nothing is not
    /// recorded.
    @discardableResult
    func update(
        _ id: UUID, _ patch: PersonPatch, expected: RecordVersion.Precondition, actor: Actor, now: Date? = nil
    ) async throws -> PersonRecord {
        let now = now ?? app.now
        let person = try await Self.authorized(id, actor: actor, on: app.db)
        var v = Validator()
        let name = patch.name.map { _ in v.required("name", patch.name, max: 50) }
        var phone: String?
        if let raw = patch.phone {
            do { phone = try PhoneNumber.normalise(raw) } catch { v.add("phone", raw.isEmpty ? "field.required" : error.rawValue) }
        }
        let education = patch.education.map { _ in v.oneOf("education", patch.education, Education.self) } ?? nil
        let category = patch.category.map { _ in v.oneOf("category", patch.category, PersonCategory.self) } ?? nil
        var citizenID: CitizenID?
        let reason = v.optional("reason", patch.reason, max: 500)
        if let raw = patch.citizenId {
            do { citizenID = try CitizenID(raw, today: now) } catch { v.add("citizenId", error.rawValue) }
            if reason == nil { v.add("reason", "person.reason.required") }
            if !actor.can(.revealCitizenID, actor.scope(owner: person.organizationID)) { throw DomainError.forbidden }
        }
        try v.check()
        let cipher = app.personalData
        let sealedPhone = try phone.map { try cipher.seal($0) }
        let sealedID = try citizenID.map { try cipher.seal($0.value) }
        let (newPhone, newID) = (phone, citizenID)
        return try await app.write { db in
            guard let p = try await PersonRecord.find(id, on: db) else { throw DomainError.notFound }
            guard RecordVersion.satisfied(expected, current: p.version) else { throw StaleRecord(current: p.version) }
            let before = values(p)
            if let name { p.name = name }
            if let newPhone, let sealedPhone, newPhone != before["phone"] {
                p.phoneSealed = sealedPhone
                p.phoneMasked = PhoneNumber.mask(newPhone)
            }
            if let education { p.education = education.rawValue }
            if let category { p.category = category.rawValue }
            if let newID, let sealedID, newID.value != before["citizenId"] {
                let index = cipher.blindIndex(newID.value)
                if try await PersonRecord.query(on: db).filter(\.$organizationID == p.organizationID).filter(\.$citizenIDIndex == index)
                    .filter(\.$id != id).first() != nil
                {
                    throw ValidationFailure([FieldError("citizenId", "person.citizenId.taken")])
                }
                p.citizenIDSealed = sealedID
                p.citizenIDIndex = index
                p.citizenIDMasked = newID.masked
                p.sex = newID.sex.rawValue
                p.birthDate = newID.birthDate
            }
            var after = before
            after.merge(["name": p.name, "sex": p.sex, "birthDate": p.birthDate, "education": p.education, "category": p.category]) { $1 }
            if let newPhone { after["phone"] = newPhone }
            if let newID { after["citizenId"] = newID.value }
            let changes = RecordHistory.changes(old: before, new: after, order: Self.fields, masking: Self.masking)
            guard !changes.isEmpty else { return p }
            p.version += 1
            try await p.update(on: db)
            var detail = ["changes": RecordHistory.encode(changes), "version": String(p.version)]
            // The log keeps names masked; the full old and new name are kept sealed beside them, so the record's page can
            // show those who may see the person what the name was (the page shows the name in full anyway).
            if before["name"] != after["name"] {
                detail["namesSealed"] = try cipher.seal(
                    RecordHistory.encode([FieldChange(field: "name", old: before["name"] ?? "", new: after["name"] ?? "")]))
            }
            if let reason { detail["reason"] = reason }
            try await AuditLog.append(
                .init(action: "person.updated", objectType: "person", objectID: id.uuidString.lowercased(), detail: detail),
                actor: actor, on: db, now: now)
            return p
        }
    }
}

/// A record's history for its page: every audit entry about it, newest first, with who did it and what changed.
enum RecordHistoryService {
    struct Entry: Encodable {
        let at: String
        let who: String
        let action: String
        let changes: [Change]
        let reason: String?
        struct Change: Encodable {
            let field: String
            let old: String
            let new: String
        }
    }

    static func entries(
        objectType: String, objectID: UUID, req: Request, fieldLabel: (String) -> String,
        value: (String, String) -> String = { $1 }
    ) async throws -> [Entry] {
        let rows = try await AuditEventRecord.query(on: req.db).filter(\.$objectType == objectType)
            .filter(\.$objectID == objectID.uuidString.lowercased()).sort(\.$sequence, .descending).limit(200).all()
        let userIDs = Set(rows.compactMap { $0.actorUserID.flatMap(UUID.init(uuidString:)) })
        let users = try await UserRecord.query(on: req.db).filter(\.$id ~~ userIDs).all()
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id!.uuidString.lowercased(), $0.displayName) })
        return rows.map { r in
            let detail = (try? JSONSerialization.jsonObject(with: Data(r.detail.utf8)) as? [String: String]) ?? [:]
            let unmasked = detail["namesSealed"].flatMap { try? req.application.personalData.open($0) }.map(RecordHistory.decode) ?? []
            let changes = RecordHistory.decode(detail["changes"] ?? "[]").map { c in
                let shown = unmasked.first { $0.field == c.field } ?? c
                return Entry.Change(field: fieldLabel(c.field), old: value(c.field, shown.old), new: value(c.field, shown.new))
            }
            return Entry(
                at: Page.time(Date(timeIntervalSince1970: Double(r.occurredAtMillis) / 1000)),
                who: r.actorUserID.flatMap { names[$0] } ?? req.t("history.system"),
                action: req.t("history.action.\(r.action)"), changes: changes, reason: detail["reason"])
        }
    }
}
