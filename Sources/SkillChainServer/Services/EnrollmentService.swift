import Fluent
import Foundation
import SkillChainCore
import Vapor

struct EnrollmentInput: Content, Sendable {
    var personId: UUID?
    var contractStart: String?
    var contractEnd: String?
    var masterMembershipId: UUID?
    var teacherMembershipId: UUID?
    var trainingTerms: String?
}

struct EnrollmentDecisionInput: Content, Sendable {
    /// `enroll`, `decline`, `complete` or `terminate`.
    var action: String?
    var reason: String?
    var contractStart: String?
    var contractEnd: String?
}

struct MentorInput: Content, Sendable {
    var masterMembershipId: UUID?
    var teacherMembershipId: UUID?
}

struct AgreementActionInput: Content, Sendable {
    /// `send`, `approve` or `return`.
    var action: String?
    var reason: String?
    var terms: String?
}

struct ProgressInput: Content, Sendable {
    var day: String?
    var category: String?
    var hours: Int?
    var attendance: String?
    var assessment: String?
    var score: Int?
}

struct EnrollmentService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// Enrolls (lead enterprise) or applies (partner school, for its own students) a person.
    func enroll(_ programID: UUID, _ input: EnrollmentInput, actor: Actor) async throws -> EnrollmentRecord {
        let d = try await ProgramService.authorized(programID, .manageEnrollments, actor: actor, on: app.db)
        let isLead = d.program.leadOrganizationID == actor.organizationID || actor.role == .platformAdmin
        let rules = app.config.trainingRules
        var v = Validator()
        if d.status == .completed || d.status == .cancelled { throw DomainError.rule(code: "program.closed") }
        let terms = v.optional("trainingTerms", input.trainingTerms, max: 5000)
        guard let personID = input.personId else {
            v.add("personId", "field.required")
            try v.check()
            throw DomainError.notFound
        }
        let person = try await PersonRecord.find(personID, on: app.db)
        if person == nil || !(d.isMember(person!.organizationID)) || (!isLead && person!.organizationID != actor.organizationID) {
            v.add("personId", "enrollment.person.notAvailable")
        }
        if d.enrollments.contains(where: { $0.person.id == personID }) { v.add("personId", "enrollment.person.already") }
        if d.activeCount >= d.program.capacity { v.add("personId", "enrollment.capacity.full", [String(d.program.capacity)]) }
        let contractStart = v.day("contractStart", input.contractStart, required: false)
        let contractEnd = v.day("contractEnd", input.contractEnd, required: false)
        if d.kind.isApprenticeship && isLead && v.errors.isEmpty {
            for e in ProgramRules.contractProblems(start: contractStart, end: contractEnd, rules: rules) { v.add(e.field, e.code, e.args) }
        }
        if isLead {
            try await Self.checkMentors(
                d, master: input.masterMembershipId, teacher: input.teacherMembershipId, excluding: nil, rules: rules, into: &v, on: app.db)
        }
        try v.check()
        return try await app.write { db in
            // Checked again under the programme's (and the master's) lock: two requests at once must not overfill the
            // programme, enroll the person twice or give the master one apprentice too many.
            try await RowLock.lock(ProgramRecord.schema, [programID], on: db)
            try await RowLock.lock(MembershipRecord.schema, isLead ? [input.masterMembershipId].compactMap { $0 } : [], on: db)
            let fresh = try await ProgramService.load(programID, on: db)
            var again = SkillChainCore.Validator()
            if fresh.enrollments.contains(where: { $0.person.id == personID }) { again.add("personId", "enrollment.person.already") }
            if fresh.activeCount >= fresh.program.capacity { again.add("personId", "enrollment.capacity.full", [String(fresh.program.capacity)]) }
            if isLead {
                try await Self.checkMentors(
                    fresh, master: input.masterMembershipId, teacher: input.teacherMembershipId, excluding: nil, rules: rules,
                    into: &again, on: db)
            }
            try again.check()
            let e = EnrollmentRecord()
            e.programID = programID
            e.personID = personID
            e.status = (isLead ? EnrollmentStatus.enrolled : .applied).rawValue
            e.contractStart = contractStart?.description
            e.contractEnd = contractEnd?.description
            e.masterMembershipID = isLead ? input.masterMembershipId : nil
            e.teacherMembershipID = isLead ? input.teacherMembershipId : nil
            try await e.create(on: db)
            if d.kind.isEmployerLed {
                let a = AgreementRecord()
                a.programID = programID
                a.kind = AgreementKind.training.rawValue
                a.enrollmentID = e.id
                a.terms = terms ?? ""
                a.status = AgreementStatus.draft.rawValue
                try await a.create(on: db)
            }
            try await AuditLog.append(
                .init(
                    action: isLead ? "enrollment.enrolled" : "enrollment.applied", objectType: "enrollment",
                    objectID: e.id?.uuidString.lowercased(), detail: ["program": programID.uuidString.lowercased()]),
                actor: actor, on: db, now: app.now)
            return e
        }
    }

    /// The master must be a master of the lead enterprise with room (≤ 8 active apprentices by default); the teacher a
    /// teacher of a partner school.
    static func checkMentors(
        _ d: ProgramDetail, master: UUID?, teacher: UUID?, excluding enrollment: UUID?, rules: TrainingRules,
        into v: inout SkillChainCore.Validator, on db: any Database
    ) async throws {
        if let master {
            let m = try await MembershipRecord.find(master, on: db)
            if m == nil || m!.role != Role.master.rawValue || m!.organizationID != d.program.leadOrganizationID {
                v.add("masterMembershipId", "enrollment.master.invalid")
            } else {
                let active = try await EnrollmentRecord.query(on: db).filter(\.$masterMembershipID == master)
                    .filter(\.$status ~~ EnrollmentStatus.allCases.filter(\.isActive).map(\.rawValue)).all()
                    .filter { $0.id != enrollment }.count
                if active >= rules.maxApprenticesPerMaster {
                    v.add("masterMembershipId", "enrollment.master.full", [String(rules.maxApprenticesPerMaster)])
                }
            }
        }
        if let teacher {
            let t = try await MembershipRecord.find(teacher, on: db)
            if t == nil || t!.role != Role.teacher.rawValue || !d.partners.contains(where: { $0.id == t!.organizationID }) {
                v.add("teacherMembershipId", "enrollment.teacher.invalid")
            }
        }
    }

    static func enrollmentDetail(_ enrollmentID: UUID, _ action: Action, actor: Actor, on db: any Database) async throws -> (
        ProgramDetail, ProgramDetail.Enrollment
    ) {
        guard let e = try await EnrollmentRecord.find(enrollmentID, on: db) else { throw DomainError.notFound }
        let d = try await ProgramService.authorized(e.programID, action, actor: actor, on: db)
        guard let en = d.enrollments.first(where: { $0.record.id == enrollmentID }) else { throw DomainError.notFound }
        return (d, en)
    }

    func assignMentors(_ enrollmentID: UUID, _ input: MentorInput, actor: Actor) async throws {
        let (d, en) = try await Self.enrollmentDetail(enrollmentID, .manageEnrollments, actor: actor, on: app.db)
        try ProgramService.requireLead(d, actor)
        guard en.status.isActive else { throw DomainError.rule(code: "enrollment.notActive") }
        var v = Validator()
        if input.masterMembershipId == nil && input.teacherMembershipId == nil { v.add("masterMembershipId", "field.required") }
        try await Self.checkMentors(
            d, master: input.masterMembershipId, teacher: input.teacherMembershipId, excluding: enrollmentID,
            rules: app.config.trainingRules, into: &v, on: app.db)
        try v.check()
        try await app.write { db in
            let e = try await EnrollmentRecord.find(enrollmentID, on: db)!
            if let m = input.masterMembershipId { e.masterMembershipID = m }
            if let t = input.teacherMembershipId { e.teacherMembershipID = t }
            try await e.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "enrollment.mentors", objectType: "enrollment", objectID: enrollmentID.uuidString.lowercased(),
                    detail: [
                        "master": e.masterMembershipID?.uuidString.lowercased() ?? "",
                        "teacher": e.teacherMembershipID?.uuidString.lowercased() ?? "",
                    ]), actor: actor, on: db, now: app.now)
        }
    }

    func decide(_ enrollmentID: UUID, _ input: EnrollmentDecisionInput, actor: Actor) async throws {
        let (d, en) = try await Self.enrollmentDetail(enrollmentID, .manageEnrollments, actor: actor, on: app.db)
        try ProgramService.requireLead(d, actor)
        var v = Validator()
        let event = EnrollmentStatus.Event(rawValue: (input.action ?? "").trimmingCharacters(in: .whitespaces))
        if event == nil { v.add("action", (input.action ?? "").isEmpty ? "field.required" : "field.invalidChoice") }
        let reason = v.optional("reason", input.reason, max: 1000)
        if (event == .terminate || event == .decline) && reason == nil { v.add("reason", "enrollment.reason.required") }
        var start: Day?
        var end: Day?
        if event == .enroll && d.kind.isApprenticeship {
            start = v.day("contractStart", input.contractStart ?? en.record.contractStart, required: false)
            end = v.day("contractEnd", input.contractEnd ?? en.record.contractEnd, required: false)
            if v.errors.isEmpty {
                for e in ProgramRules.contractProblems(start: start, end: end, rules: app.config.trainingRules) { v.add(e.field, e.code, e.args) }
            }
        }
        if event == .complete && d.status != .inTraining { v.add("action", "enrollment.complete.notInTraining") }
        try v.check()
        guard let next = en.status.applying(event!) else { throw DomainError.rule(code: "enrollment.transition.notAllowed") }
        let contract = start.flatMap { s in end.map { (s, $0) } }
        try await app.write { db in
            let e = try await EnrollmentRecord.find(enrollmentID, on: db)!
            guard e.status == en.record.status else { throw DomainError.changedMeanwhile }
            e.status = next.rawValue
            if let reason { e.statusReason = reason }
            if let (start, end) = contract {
                e.contractStart = start.description
                e.contractEnd = end.description
            }
            try await e.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "enrollment.\(event!.rawValue)", objectType: "enrollment", objectID: enrollmentID.uuidString.lowercased(),
                    detail: ["status": next.rawValue]), actor: actor, on: db, now: app.now)
        }
    }

    // MARK: agreements

    /// Which side of `agreement` the actor is on, if any. Only the parties sign: not the platform operator.
    static func party(_ a: AgreementRecord, in d: ProgramDetail, actor: Actor) -> AgreementParty? {
        if actor.organizationID == d.program.leadOrganizationID && actor.role == .enterpriseAdmin { return .drafter }
        if a.kind == AgreementKind.cooperation.rawValue {
            return actor.role == .schoolAdmin && a.counterpartyOrganizationID == actor.organizationID ? .counterparty : nil
        }
        guard let en = d.enrollments.first(where: { $0.record.id == a.enrollmentID }) else { return nil }
        if actor.role == .learner && actor.personID == en.person.id { return .counterparty }
        // A student apprentice's school signs for its student.
        if actor.role == .schoolAdmin && en.person.organizationID == actor.organizationID { return .counterparty }
        return nil
    }

    func actOnAgreement(_ agreementID: UUID, _ input: AgreementActionInput, actor: Actor) async throws -> AgreementRecord {
        guard let a = try await AgreementRecord.find(agreementID, on: app.db) else { throw DomainError.notFound }
        let d = try await ProgramService.authorized(a.programID, .actOnAgreement, actor: actor, on: app.db)
        guard let side = Self.party(a, in: d, actor: actor) else { throw DomainError.forbidden }
        var v = Validator()
        let action = (input.action ?? "").trimmingCharacters(in: .whitespaces)
        let event: AgreementStatus.Event? =
            switch action {
            case "send": .send
            case "approve", "recordSignature": .approve
            case "return": .sendBack
            default: nil
            }
        // An apprentice without a login signs on paper; the enterprise records it (training agreements only).
        if action == "recordSignature", a.kind != AgreementKind.training.rawValue || side != .drafter {
            throw DomainError.rule(code: "agreement.recordSignature.notAllowed")
        }
        let party: AgreementParty = action == "recordSignature" ? .counterparty : side
        if event == nil { v.add("action", action.isEmpty ? "field.required" : "field.invalidChoice") }
        let reason = v.optional("reason", input.reason, max: 1000)
        let terms = v.optional("terms", input.terms, max: 5000)
        if event == .sendBack && reason == nil { v.add("reason", AgreementStatus.Problem.reasonRequired.rawValue) }
        if event == .send && (terms ?? a.terms).isEmpty { v.add("terms", "agreement.terms.required") }
        try v.check()
        let status = AgreementStatus(rawValue: a.status) ?? .draft
        let next: AgreementStatus
        do { next = try status.applying(event!, by: party, reason: reason) } catch { throw DomainError.rule(code: error.rawValue) }
        return try await app.write { db in
            guard let fresh = try await AgreementRecord.find(agreementID, on: db), fresh.status == a.status else {
                throw DomainError.changedMeanwhile
            }
            fresh.status = next.rawValue
            if event == .send, let terms { fresh.terms = terms }
            fresh.returnReason = event == .sendBack ? reason : nil
            if next == .approved { fresh.approvedAt = app.now }
            try await fresh.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "agreement.\(action)", objectType: "agreement", objectID: agreementID.uuidString.lowercased(),
                    detail: ["kind": a.kind, "status": next.rawValue, "party": action == "recordSignature" ? "paper" : party.rawValue]),
                actor: actor, on: db, now: app.now)
            if action != "recordSignature" {
                try await NotificationService(app).notify(
                    try await NotificationService.agreementDrafts(fresh, event: event!, in: d, on: db), on: db)
            }
            return fresh
        }
    }

    // MARK: progress

    func logProgress(_ enrollmentID: UUID, _ input: ProgressInput, actor: Actor, today: Day? = nil) async throws
        -> ProgressEntryRecord
    {
        let today = today ?? app.today
        let (d, en) = try await Self.enrollmentDetail(enrollmentID, .logProgress, actor: actor, on: app.db)
        let isMentor = en.master?.membershipID == actor.membershipID || en.teacher?.membershipID == actor.membershipID
        let isLeadAdmin = actor.role == .enterpriseAdmin && d.program.leadOrganizationID == actor.organizationID
        guard isMentor || isLeadAdmin || actor.role == .platformAdmin else { throw DomainError.forbidden }
        if d.status != .inTraining { throw DomainError.rule(code: "progress.notInTraining") }
        if en.status != .enrolled { throw DomainError.rule(code: "enrollment.notActive") }
        var v = Validator()
        let day = v.day("day", input.day)
        if let day, let start = Day(d.program.startDate), let end = Day(d.program.endDate), day < start || day > end || day > today {
            v.add("day", "progress.day.outsideProgram", [d.program.startDate, min(end, today).description])
        }
        let category = v.oneOf("category", input.category, HourCategory.self)
        let attendance = v.oneOf("attendance", input.attendance ?? Attendance.present.rawValue, Attendance.self)
        let hours = v.number("hours", input.hours, in: attendance == .present ? 1...12 : 0...12)
        let assessment = v.optional("assessment", input.assessment, max: 1000)
        if let s = input.score, !(0...100).contains(s) { v.add("score", "field.outOfRange", ["0", "100"]) }
        try v.check()
        return try await app.write { db in
            let p = ProgressEntryRecord()
            p.enrollmentID = enrollmentID
            p.day = day!.description
            p.category = category!.rawValue
            p.hours = hours
            p.attendance = attendance!.rawValue
            p.assessment = assessment
            p.score = input.score
            p.recordedByMembershipID = actor.membershipID
            try await p.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "progress.logged", objectType: "enrollment", objectID: enrollmentID.uuidString.lowercased(),
                    detail: ["hours": String(hours), "category": p.category, "attendance": p.attendance]), actor: actor, on: db, now: app.now)
            return p
        }
    }
}
