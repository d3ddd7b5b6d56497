import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Everything the platform holds about the signed-in person (PIPL art. 45), by organization: their account, each
/// organization's record of them (in full: it is their own data), and what hangs off those records.
struct PersonalDataExport: Content {
    struct Membership: Content {
        let organization: String
        let role: String
        let active: Bool
    }
    struct Account: Content {
        let username: String
        let displayName: String
        let createdAt: Date?
        let memberships: [Membership]
    }
    struct Enrollment: Content {
        let program: String
        let status: String
        let contractStart: String?
        let contractEnd: String?
    }
    struct Registration: Content {
        let batchId: UUID
        let eligibility: String
        let theoryScore: Double?
        let practicalScore: Double?
        let reviewScore: Double?
        let outcome: String?
    }
    struct Invitation: Content {
        let position: String
        let status: String
        let createdAt: Date?
    }
    struct Placement: Content {
        let occupationCode: String
        let startDate: String
        let monthlyWage: Int
    }
    struct Pay: Content {
        let month: String
        let monthlyPay: Int
        let post: String
    }
    struct Correction: Content {
        let id: UUID
        let field: String
        let status: String
        let decisionReason: String?
        let createdAt: Date
        let decidedAt: Date?
    }
    struct HeldRecord: Content {
        let organizationId: UUID
        let organization: String
        let personId: UUID
        let name: String
        let citizenId: String
        let sex: String
        let birthDate: String
        let phone: String
        let education: String
        let category: String
        let createdAt: Date?
        let enrollments: [Enrollment]
        let registrations: [Registration]
        let invitations: [Invitation]
        let placements: [Placement]
        let payRecords: [Pay]
        let corrections: [Correction]
    }
    struct Certificate: Content {
        let number: String
        let occupationCode: String
        let occupationName: String
        let level: String
        let issueDate: String
        let status: String
        let body: String
    }
    struct Consent: Content {
        let consentedAt: Date?
        let withdrawnAt: Date?
    }

    let generatedAt: Date
    let account: Account
    let records: [HeldRecord]
    let certificates: [Certificate]
    let talentConsents: [Consent]
}

struct CorrectionRequestInput: Content, Sendable {
    var personId: UUID?
    var field: String?
    var value: String?
    var explanation: String?
}

struct CorrectionDecisionInput: Content, Sendable {
    /// `accept` (the record is edited to the requested value) or `refuse` (a reason is required).
    var decision: String?
    var reason: String?
}

struct PersonalDataService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// The person records that are the actor: the one linked to their login and every organization's record with the
    /// same ID number (found by blind index).
    static func ownRecords(_ actor: Actor, on db: any Database) async throws -> [PersonRecord] {
        try await PersonalDataStore(db).ownRecords(personID: actor.personID)
    }

    func export(_ actor: Actor, now: Date? = nil) async throws -> PersonalDataExport {
        let now = now ?? app.now
        guard let h = try await PersonalDataStore(app.db).holdings(userID: actor.userID, personID: actor.personID) else {
            throw DomainError.notFound
        }
        let cipher = app.personalData
        return PersonalDataExport(
            generatedAt: now,
            account: .init(
                username: h.user.username, displayName: h.user.displayName, createdAt: h.user.createdAt,
                memberships: h.memberships.map {
                    .init(organization: h.organizations[$0.organizationID] ?? "", role: $0.role, active: $0.deactivatedAt == nil)
                }),
            records: h.people.map { p in
                let pid = p.id!
                return .init(
                    organizationId: p.organizationID, organization: h.organizations[p.organizationID] ?? "", personId: pid,
                    name: p.name, citizenId: (try? cipher.open(p.citizenIDSealed)) ?? p.citizenIDMasked, sex: p.sex, birthDate: p.birthDate,
                    phone: (try? cipher.open(p.phoneSealed)) ?? p.phoneMasked, education: p.education, category: p.category, createdAt: p.createdAt,
                    enrollments: h.enrollments.filter { $0.personID == pid }.map {
                        .init(
                            program: h.programs[$0.programID] ?? "", status: $0.status, contractStart: $0.contractStart, contractEnd: $0.contractEnd)
                    },
                    registrations: h.registrations.filter { $0.personID == pid }.map {
                        .init(
                            batchId: $0.batchID, eligibility: $0.eligibility, theoryScore: $0.theoryScore, practicalScore: $0.practicalScore,
                            reviewScore: $0.reviewScore, outcome: $0.outcome)
                    },
                    invitations: h.invitations.filter { $0.personID == pid }.map {
                        .init(position: h.positions[$0.positionID] ?? "", status: $0.status, createdAt: $0.createdAt)
                    },
                    placements: h.placements.filter { $0.personID == pid }.map {
                        .init(occupationCode: $0.occupationCode, startDate: $0.startDate, monthlyWage: $0.monthlyWage)
                    },
                    payRecords: h.pay.filter { $0.organizationID == p.organizationID }.map {
                        .init(month: $0.month, monthlyPay: $0.monthlyPay, post: $0.post)
                    },
                    corrections: h.corrections.filter { $0.personID == pid }.map {
                        .init(
                            id: $0.id!, field: $0.field, status: $0.status, decisionReason: $0.decisionReason, createdAt: $0.createdAt,
                            decidedAt: $0.decidedAt)
                    })
            },
            certificates: h.certificates.map {
                .init(
                    number: $0.number, occupationCode: $0.occupationCode, occupationName: $0.occupationName, level: $0.level, issueDate: $0.issueDate,
                    status: CertificateService.status($0, today: app.today).rawValue, body: h.bodies[$0.organizationID] ?? "")
            },
            talentConsents: h.consents.map { .init(consentedAt: $0.consentedAt, withdrawnAt: $0.withdrawnAt) })
    }

    // MARK: Corrections

    static let correctableFields = ["name", "phone", "education", "category", "citizenId"]

    /// The person asks the holding organization to correct one field of its record of them; the value is sealed.
    func requestCorrection(_ input: CorrectionRequestInput, actor: Actor) async throws -> CorrectionRequestRecord {
        let mine = try await Self.ownRecords(actor, on: app.db)
        guard let pid = input.personId, let person = mine.first(where: { $0.id == pid }) else { throw DomainError.notFound }
        var v = Validator()
        let field = (input.field ?? "").trimmingCharacters(in: .whitespaces)
        if !Self.correctableFields.contains(field) { v.add("field", field.isEmpty ? "field.required" : "field.invalidChoice") }
        let value = v.required("value", input.value, max: 100)
        let explanation = v.optional("explanation", input.explanation, max: 500)
        try v.check()
        let sealed = try app.personalData.seal(value)
        return try await app.write { db in
            if try await PersonalDataStore(db).openCorrection(personID: pid, field: field) != nil {
                throw ValidationFailure([FieldError("field", "correction.alreadyOpen")])
            }
            let r = CorrectionRequestRecord()
            r.personID = pid
            r.organizationID = person.organizationID
            r.requestedBy = actor.userID
            r.field = field
            r.requestedValueSealed = sealed
            r.explanation = explanation
            r.status = CorrectionStatus.open.rawValue
            r.createdAt = app.now
            try await r.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "correction.requested", objectType: "person", objectID: pid.uuidString.lowercased(),
                    detail: ["field": field, "request": r.id!.uuidString.lowercased()]), actor: actor, on: db, now: app.now)
            return r
        }
    }

    /// The holding organization's admin accepts (the record is edited to the value, in the same transaction, audited as
    /// an edit) or refuses with a reason.
    func decide(_ id: UUID, _ input: CorrectionDecisionInput, actor: Actor) async throws -> CorrectionRequestRecord {
        guard let r = try await CorrectionRequestRecord.find(id, on: app.db) else { throw DomainError.notFound }
        try actor.require(.editPerson, actor.scope(owner: r.organizationID))
        var v = Validator()
        let decision = v.oneOf("decision", input.decision, CorrectionDecision.self)
        let reason = v.optional("reason", input.reason, max: 500)
        if decision == .refuse && reason == nil { v.add("reason", "correction.reason.required") }
        try v.check()
        guard r.status == CorrectionStatus.open.rawValue else { throw DomainError.conflict(code: "correction.alreadyDecided") }
        if decision == .accept {
            let value = try app.personalData.open(r.requestedValueSealed)
            var patch = PersonPatch()
            switch r.field {
            case "name": patch.name = value
            case "phone": patch.phone = value
            case "education": patch.education = value
            case "category": patch.category = value
            default:
                patch.citizenId = value
                patch.reason = reason ?? "本人申请更正"
            }
            try await PersonEditService(app).update(r.personID, patch, expected: .none, actor: actor)
        }
        return try await app.write { db in
            guard let row = try await CorrectionRequestRecord.find(id, on: db), row.status == CorrectionStatus.open.rawValue else {
                throw DomainError.conflict(code: "correction.alreadyDecided")
            }
            row.status = (decision == .accept ? CorrectionStatus.accepted : .refused).rawValue
            row.decisionReason = reason
            row.decidedBy = actor.userID
            row.decidedAt = app.now
            try await row.update(on: db)
            try await AuditLog.append(
                .init(
                    action: decision == .accept ? "correction.accepted" : "correction.refused", objectType: "person",
                    objectID: row.personID.uuidString.lowercased(), detail: ["field": row.field, "request": id.uuidString.lowercased()]),
                actor: actor, on: db, now: app.now)
            return row
        }
    }
}
