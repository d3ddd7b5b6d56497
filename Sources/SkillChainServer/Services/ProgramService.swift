import Fluent
import Foundation
import SkillChainCore
import Vapor

struct ProgramInput: Content, Sendable {
    var kind: String?
    var name: String?
    var occupationCode: String?
    var targetLevel: String?
    var startDate: String?
    var endDate: String?
    var capacity: Int?
    var hoursGeneral: Int?
    var hoursBasics: Int?
    var hoursOperational: Int?
    var subsidyPerYear: Int?
    var partnerIds: [UUID]?
    var positionIds: [UUID]?
    var cooperationTerms: String?
}

struct ProgramStatusInput: Content, Sendable {
    /// `start`, `complete` or `cancel`.
    var action: String?
    var reason: String?
}

/// A program with everything its pages and the API show, loaded in a fixed number of queries.
struct ProgramDetail: Sendable {
    struct Enrollment: Sendable {
        let record: EnrollmentRecord
        let person: PersonRecord
        let master: MentorRef?
        let teacher: MentorRef?
        let hours: [HourCategory: Int]
        let agreement: AgreementRecord?
        var status: EnrollmentStatus { EnrollmentStatus(rawValue: record.status) ?? .applied }
        var totalHours: Int { hours.values.reduce(0, +) }
    }

    struct MentorRef: Sendable {
        let membershipID: UUID
        let userID: UUID
        let name: String
        let organizationID: UUID
    }

    let program: ProgramRecord
    let lead: OrganizationRecord
    let partners: [OrganizationRecord]
    let positions: [PositionRecord]
    let agreements: [AgreementRecord]
    let enrollments: [Enrollment]

    var kind: ProgramKind { ProgramKind(rawValue: program.kind) ?? .postTraining }
    var status: ProgramStatus { ProgramStatus(rawValue: program.status) ?? .planning }
    var targetLevel: SkillLevel { SkillLevel(rawValue: program.targetLevel) ?? .level4 }
    var hoursPlan: HoursPlan {
        HoursPlan(generalQualities: program.hoursGeneral, professionalBasics: program.hoursBasics, operationalSkills: program.hoursOperational)
    }
    var cooperationAgreements: [AgreementRecord] { agreements.filter { $0.kind == AgreementKind.cooperation.rawValue } }
    var activeCount: Int { enrollments.filter { $0.status.isActive }.count }

    /// The lead, government and the platform see every cooperation agreement; a partner only its own.
    func cooperationAgreements(visibleTo actor: Actor) -> [AgreementRecord] {
        let seesAll = actor.organizationID == program.leadOrganizationID || actor.role == .governmentOfficer || actor.role == .platformAdmin
        return cooperationAgreements.filter { seesAll || $0.counterpartyOrganizationID == actor.organizationID }
    }

    func isMember(_ organizationID: UUID) -> Bool {
        program.leadOrganizationID == organizationID || partners.contains { $0.id == organizationID }
    }

    /// Own = the acting organization leads or partners in it, or the learner is enrolled in it.
    func scope(for actor: Actor) -> Scope {
        if isMember(actor.organizationID) && actor.role != .learner { return .own }
        if actor.role == .learner, let pid = actor.personID, enrollments.contains(where: { $0.person.id == pid }) { return .own }
        return actor.scope(owner: program.leadOrganizationID, region: program.regionCode) == .inRegion ? .inRegion : .other
    }

    /// Why training cannot start yet (empty = it can), as localization keys.
    func startBlockers() -> [String] {
        var out: [String] = []
        if !cooperationAgreements.allSatisfy({ $0.status == AgreementStatus.approved.rawValue }) { out.append("program.blocker.cooperation") }
        let enrolled = enrollments.filter { $0.status == .enrolled }
        if enrolled.isEmpty { out.append("program.blocker.noLearners") }
        if kind.isEmployerLed {
            if enrolled.contains(where: { $0.agreement?.status != AgreementStatus.approved.rawValue }) { out.append("program.blocker.training") }
            if enrolled.contains(where: { $0.master == nil || ($0.teacher == nil && !partners.isEmpty) }) { out.append("program.blocker.mentors") }
        }
        return out
    }
}

struct ProgramService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static func load(_ id: UUID, on db: any Database) async throws -> ProgramDetail { try await ProgramStore(db).detail(id) }

    static func mentorRefs(_ ids: [UUID], on db: any Database) async throws -> [UUID: ProgramDetail.MentorRef] {
        try await ProgramStore(db).mentorRefs(ids)
    }

    static func authorized(_ id: UUID, _ action: Action, actor: Actor, on db: any Database) async throws -> ProgramDetail {
        let detail = try await Self.load(id, on: db)
        try actor.require(action, detail.scope(for: actor))
        // Reading applies the list's scope too: a master or teacher reads only the programmes they mentor in, a learner
        // only their own, whatever their organization's role in the programme.
        if action == .viewProgram || action == .listPrograms, let visible = try await Self.visibleIDs(actor: actor, on: db), !visible.contains(id) {
            throw DomainError.notFound
        }
        return detail
    }

    /// Programs the actor may list (nil = all).
    static func visibleIDs(actor: Actor, on db: any Database) async throws -> [UUID]? { try await ProgramStore(db).visibleIDs(actor: actor) }

    static let defaultCooperationTerms = "program.defaultCooperationTerms"

    func create(_ input: ProgramInput, actor: Actor) async throws -> ProgramRecord {
        var v = Validator()
        let kind = v.oneOf("kind", input.kind, ProgramKind.self)
        let name = v.required("name", input.name, max: 100)
        let occupation = v.occupation("occupationCode", input.occupationCode)
        let level = v.oneOf("targetLevel", input.targetLevel, SkillLevel.self)
        let start = v.day("startDate", input.startDate)
        let end = v.day("endDate", input.endDate)
        let capacity = v.number("capacity", input.capacity, in: 1...10_000)
        let general = v.number("hoursGeneral", input.hoursGeneral, in: 0...10_000)
        let basics = v.number("hoursBasics", input.hoursBasics, in: 0...10_000)
        let operational = v.number("hoursOperational", input.hoursOperational, in: 0...10_000)
        let subsidy = v.count("subsidyPerYear", input.subsidyPerYear, in: 0...100_000)
        let terms = v.optional("cooperationTerms", input.cooperationTerms, max: 5000)
        let partnerIDs = Array(Set(input.partnerIds ?? []))
        let positionIDs = Array(Set(input.positionIds ?? []))
        if actor.organizationKind != .enterprise { v.add("name", "program.lead.mustBeEnterprise") }
        if let kind, let start, let end, let level, v.errors.isEmpty {
            let hours = HoursPlan(generalQualities: general, professionalBasics: basics, operationalSkills: operational)
            for e in ProgramRules.problems(
                .init(kind: kind, start: start, end: end, capacity: capacity, hours: hours, targetLevel: level),
                rules: app.config.trainingRules)
            {
                let field =
                    ["generalQualities": "hoursGeneral", "professionalBasics": "hoursBasics", "operationalSkills": "hoursOperational"][e.field]
                    ?? e.field
                v.add(field, e.code, e.args)
            }
        }
        if kind == .postTraining && partnerIDs.isEmpty { v.add("partnerIds", "program.partner.required") }
        try v.check()
        let store = ProgramStore(app.db)
        let partners = try await store.organizations(partnerIDs)
        if partners.count != partnerIDs.count { v.add("partnerIds", "organization.unknown") }
        if partners.contains(where: { !(OrganizationKind(rawValue: $0.kind)?.isEducation ?? false) }) {
            v.add("partnerIds", "program.partner.mustBeSchool")
        }
        let positions = try await store.positions(positionIDs)
        if positions.count != positionIDs.count || positions.contains(where: { $0.organizationID != actor.organizationID }) {
            v.add("positionIds", "program.position.notOwn")
        }
        try v.check()
        return try await app.write { db in
            let p = ProgramRecord()
            p.version = 1
            p.kind = kind!.rawValue
            p.name = name
            p.leadOrganizationID = actor.organizationID
            p.regionCode = actor.organizationRegion
            p.occupationEdition = occupation!.edition
            p.occupationCode = occupation!.code
            p.targetLevel = level!.rawValue
            p.startDate = start!.description
            p.endDate = end!.description
            p.capacity = capacity
            p.hoursGeneral = general
            p.hoursBasics = basics
            p.hoursOperational = operational
            p.subsidyPerYear = subsidy
            p.status = ProgramStatus.planning.rawValue
            try await p.create(on: db)
            for org in partners {
                try await Self.addPartnerRows(program: p.id!, organization: org.id!, terms: terms, on: db)
            }
            for pos in positions {
                let link = ProgramPositionRecord()
                link.programID = p.id!
                link.positionID = pos.id!
                try await link.create(on: db)
            }
            try await AuditLog.append(
                .init(
                    action: "program.created", objectType: "program", objectID: p.id?.uuidString.lowercased(),
                    detail: ["kind": p.kind, "partners": String(partners.count)]), actor: actor, on: db, now: app.now)
            return p
        }
    }

    private static func addPartnerRows(program: UUID, organization: UUID, terms: String?, on db: any Database) async throws {
        let partner = ProgramPartnerRecord()
        partner.programID = program
        partner.organizationID = organization
        try await partner.create(on: db)
        let a = AgreementRecord()
        a.programID = program
        a.kind = AgreementKind.cooperation.rawValue
        a.counterpartyOrganizationID = organization
        a.terms = terms ?? ""
        a.status = AgreementStatus.draft.rawValue
        try await a.create(on: db)
    }

    struct PartnerInput: Content, Sendable {
        var organizationId: UUID?
        var terms: String?
    }

    func addPartner(_ id: UUID, _ input: PartnerInput, actor: Actor) async throws {
        let d = try await Self.authorized(id, .editProgram, actor: actor, on: app.db)
        try Self.requireLead(d, actor)
        var v = Validator()
        let terms = v.optional("terms", input.terms, max: 5000)
        if d.status != .planning { throw DomainError.rule(code: "program.notPlanning") }
        guard let orgID = input.organizationId else {
            v.add("organizationId", "field.required")
            try v.check()
            return
        }
        if d.partners.contains(where: { $0.id == orgID }) { v.add("organizationId", "program.partner.already") }
        try v.check()
        try await app.write { db in
            guard let org = try await OrganizationRecord.find(orgID, on: db) else {
                throw ValidationFailure([FieldError("organizationId", "organization.unknown")])
            }
            guard OrganizationKind(rawValue: org.kind)?.isEducation == true else {
                throw ValidationFailure([FieldError("organizationId", "program.partner.mustBeSchool")])
            }
            try await Self.addPartnerRows(program: id, organization: orgID, terms: terms, on: db)
            try await AuditLog.append(
                .init(
                    action: "program.partnerAdded", objectType: "program", objectID: id.uuidString.lowercased(),
                    detail: ["organization": orgID.uuidString.lowercased()]), actor: actor, on: db, now: app.now)
        }
    }

    static func requireLead(_ d: ProgramDetail, _ actor: Actor) throws {
        guard d.program.leadOrganizationID == actor.organizationID || actor.role == .platformAdmin else { throw DomainError.forbidden }
    }

    func changeStatus(_ id: UUID, _ input: ProgramStatusInput, actor: Actor) async throws {
        let d = try await Self.authorized(id, .editProgram, actor: actor, on: app.db)
        try Self.requireLead(d, actor)
        var v = Validator()
        let action = (input.action ?? "").trimmingCharacters(in: .whitespaces)
        let reason = v.optional("reason", input.reason, max: 1000)
        let next: ProgramStatus
        switch (action, d.status) {
        case ("start", .planning):
            let blockers = d.startBlockers()
            if !blockers.isEmpty { throw DomainError.rule(code: blockers[0]) }
            next = .inTraining
        case ("complete", .inTraining):
            if d.enrollments.contains(where: { $0.status.isActive }) { throw DomainError.rule(code: "program.complete.learnersActive") }
            next = .completed
        case ("cancel", .planning), ("cancel", .inTraining):
            if reason == nil { v.add("reason", "program.cancel.reasonRequired") }
            next = .cancelled
        case ("start", _), ("complete", _), ("cancel", _):
            throw DomainError.rule(code: "program.transition.notAllowed")
        default:
            v.add("action", action.isEmpty ? "field.required" : "field.invalidChoice")
            next = d.status
        }
        try v.check()
        try await app.write { db in
            guard try await ProgramStore(db).changeStatus(id, from: d.program.status, to: next, reason: reason) else {
                throw DomainError.changedMeanwhile
            }
            try await AuditLog.append(
                .init(
                    action: "program.\(action)", objectType: "program", objectID: id.uuidString.lowercased(),
                    detail: ["status": next.rawValue]), actor: actor, on: db, now: app.now)
        }
    }
}

/// Attendance of a progress-log entry; only `present` hours count.
enum Attendance: String, Sendable, Codable, CaseIterable { case present, absent, excused }
