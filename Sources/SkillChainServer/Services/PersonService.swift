import Fluent
import Foundation
import SkillChainCore
import Vapor

struct PersonInput: Content, Sendable {
    var name: String?
    var citizenId: String?
    var phone: String?
    var education: String?
    var category: String?
    var organizationId: UUID?
}

struct PersonResponse: Content {
    let id: UUID
    let organizationId: UUID
    let name: String
    /// Masked unless the caller may see the full number.
    let citizenId: String
    let sex: String
    let birthDate: String
    let phone: String
    let education: String
    let category: String
    /// Bumped by every edit; the `ETag` of the single-record answer.
    let version: Int
    /// Archived people are hidden from lists unless asked for (`archived=true`).
    let archived: Bool

    init(_ r: PersonRecord, fullCitizenID: String? = nil, fullPhone: String? = nil) {
        id = r.id!
        organizationId = r.organizationID
        name = r.name
        citizenId = fullCitizenID ?? r.citizenIDMasked
        sex = r.sex
        birthDate = r.birthDate
        phone = fullPhone ?? r.phoneMasked
        education = r.education
        category = r.category
        version = r.version
        archived = r.archivedAt != nil
    }
}

struct PersonService {
    let app: Application

    init(_ app: Application) { self.app = app }

    func create(_ input: PersonInput, organizationID: UUID, actor: Actor?, now: Date? = nil) async throws -> PersonRecord {
        let now = now ?? app.now
        var v = Validator()
        let name = v.required("name", input.name, max: 50)
        var id: CitizenID?
        do { id = try CitizenID(input.citizenId ?? "", today: now) } catch { v.add("citizenId", error.rawValue) }
        var phone = ""
        if (input.phone ?? "").isEmpty {
            v.add("phone", "field.required")
        } else {
            do { phone = try PhoneNumber.normalise(input.phone ?? "") } catch { v.add("phone", error.rawValue) }
        }
        let education = v.oneOf("education", input.education, Education.self)
        let category = v.oneOf("category", input.category, PersonCategory.self)
        try v.check()

        let cipher = app.personalData
        let r = PersonRecord()
        r.version = 1
        r.organizationID = organizationID
        r.name = name
        r.citizenIDSealed = try cipher.seal(id!.value)
        r.citizenIDIndex = cipher.blindIndex(id!.value)
        r.citizenIDMasked = id!.masked
        r.sex = id!.sex.rawValue
        r.birthDate = id!.birthDate
        r.phoneSealed = try cipher.seal(phone)
        r.phoneMasked = PhoneNumber.mask(phone)
        r.education = education!.rawValue
        r.category = category!.rawValue
        return try await app.write { db in
            guard try await OrganizationRecord.find(organizationID, on: db) != nil else {
                throw ValidationFailure([FieldError("organizationId", "organization.unknown")])
            }
            if try await PersonRecord.query(on: db).filter(\.$organizationID == organizationID)
                .filter(\.$citizenIDIndex == r.citizenIDIndex).first() != nil
            {
                throw ValidationFailure([FieldError("citizenId", "person.citizenId.taken")])
            }
            try await r.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "person.created", objectType: "person", objectID: r.id?.uuidString.lowercased(),
                    detail: ["organization": organizationID.uuidString.lowercased()]), actor: actor, on: db, now: app.now)
            return r
        }
    }

    struct Filter: Sendable {
        var q: String?
        var category: String?
        /// Archived people instead of the active ones.
        var archived = false
    }

    /// People of one organization (nil = every organization, for the platform admin). A query that is a
    /// valid citizen ID finds the person by blind index; anything else matches the name.
    func query(_ f: Filter, organizationID: UUID?, on db: any Database) -> QueryBuilder<PersonRecord> {
        let query = PersonRecord.query(on: db)
        if let org = organizationID { query.filter(\.$organizationID == org) }
        if let q = f.q?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            if let id = try? CitizenID(q) {
                query.filter(\.$citizenIDIndex == app.personalData.blindIndex(id.value))
            } else {
                query.filter(\.$name ~~ q)
            }
        }
        if let c = f.category, !c.isEmpty { query.filter(\.$category == c) }
        if f.archived { query.filter(\.$archivedAt != nil) } else { query.filter(\.$archivedAt == nil) }
        return query
    }
}
