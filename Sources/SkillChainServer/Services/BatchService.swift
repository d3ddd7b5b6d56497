import Crypto
import Fluent
import Foundation
import SkillChainCore
import Vapor

struct BatchInput: Content, Sendable {
    var title: String?
    var occupationCode: String?
    var level: String?
    var method: String?
    var site: String?
    var theoryDay: String?
    var practicalDay: String?
    var theoryMinutes: Int?
    var theoryMinimumMinutes: Int?
    var questionCount: Int?
}

struct TransitionInput: Content, Sendable {
    /// A `BatchStatus.Event` raw value.
    var event: String?
    var reason: String?
}

struct StaffInput: Content, Sendable {
    var personId: UUID?
    var duty: String?
    var occupationCode: String?
    var level: String?
    var department: String?
    /// Citizen ID numbers of declared relatives (kept only as blind indexes).
    var relatives: [String]?
}

struct AssignmentInput: Content, Sendable {
    var personId: UUID?
    var duty: String?
    var room: String?
}

/// A batch with what its pages and API show.
struct BatchDetail: Sendable {
    let batch: EvaluationBatchRecord
    let organization: OrganizationRecord
    let filing: EvaluationFilingRecord
    let assignments: [BatchStaffRecord]
    /// Names of assigned people, by person id.
    let names: [UUID: String]

    var status: BatchStatus { BatchStatus(rawValue: batch.status) ?? .planned }
    var level: SkillLevel { SkillLevel(rawValue: batch.level) ?? .level5 }
    var occupation: Occupation? { OccupationCatalog.edition2022.occupation(batch.occupationCode) }
    var standard: OccupationalStandard {
        occupation.map { StandardLibrary.standard(for: $0) } ?? .defaultTemplate(occupationCode: batch.occupationCode, edition: "2022")
    }
    func people(_ duty: Duty) -> [BatchStaffRecord] { assignments.filter { $0.duty == duty.rawValue } }
    var supervisorID: UUID? { people(.supervisor).first?.personID }
    func sits(_ personID: UUID?) -> Bool { personID.map { p in assignments.contains { $0.personID == p } } ?? false }
    func scope(for actor: Actor) -> Scope { actor.scope(owner: batch.organizationID, region: batch.regionCode) }
    var identity: FilingIdentity {
        FilingIdentity(
            type: InstitutionType(rawValue: filing.institutionType) ?? .Y, institutionCode: filing.institutionCode,
            provinceCode: filing.provinceCode, siteSerial: filing.siteSerial)
    }
}

struct BatchService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static func load(_ id: UUID, on db: any Database) async throws -> BatchDetail { try await BatchStore(db).detail(id) }

    /// The batch if the actor may take `action` on it. Assessors and supervisors reach only batches they sit on.
    static func authorized(_ id: UUID, _ action: Action, actor: Actor, on db: any Database) async throws -> BatchDetail {
        let d = try await Self.load(id, on: db)
        try actor.require(action, d.scope(for: actor))
        if [.assessor, .supervisor].contains(actor.role), !d.sits(actor.personID) { throw DomainError.notFound }
        return d
    }

    static func query(actor: Actor, on db: any Database) async throws -> QueryBuilder<EvaluationBatchRecord> {
        try await BatchStore(db).visible(to: actor)
    }

    static func filing(of organization: UUID, on db: any Database) async throws -> FilingDetail? {
        guard let f = try await BatchStore(db).filing(of: organization) else { return nil }
        return try await FilingService.load(f.id!, on: db)
    }

    /// Opens a batch (planned) for an occupation and level in the body's approved filing.
    func create(_ input: BatchInput, actor: Actor, today: Day? = nil) async throws -> EvaluationBatchRecord {
        let today = today ?? app.today
        try actor.require(.createBatch, .own)
        var v = Validator()
        let title = v.required("title", input.title, max: 100)
        let occupation = v.occupation("occupationCode", input.occupationCode)
        let level = v.oneOf("level", input.level, SkillLevel.self)
        let method = v.oneOf("method", input.method, EvaluationMethod.self)
        let site = v.required("site", input.site, max: 200)
        let theoryDay = v.day("theoryDay", input.theoryDay)
        let practicalDay = v.day("practicalDay", input.practicalDay)
        if let theoryDay, theoryDay < today { v.add("theoryDay", "batch.day.past") }
        if let practicalDay, practicalDay < today { v.add("practicalDay", "batch.day.past") }
        let questions = v.number("questionCount", input.questionCount, in: 5...200)
        let filing = try await Self.filing(of: actor.organizationID, on: app.db)
        if let occupation, let level {
            if level.certificateCode == nil { v.add("level", "field.invalidChoice") }
            if let filing, !filing.scopes.contains(where: { $0.code == occupation.code && $0.levels.contains(level) }) {
                v.add("level", "batch.scope.notFiled")
            }
            let standard = StandardLibrary.standard(for: occupation)
            let minimum = standard.durations[level]?.theory ?? 90
            let minutes = v.number("theoryMinutes", input.theoryMinutes, in: 1...600)
            let floor = v.number("theoryMinimumMinutes", input.theoryMinimumMinutes, in: 0...600)
            if input.theoryMinutes != nil, input.theoryMinimumMinutes != nil {
                for e in ExamClock.problems(minimum: floor, duration: minutes, standardMinimum: minimum) { v.add(e.field, e.code, e.args) }
            }
        }
        guard let filing else { throw DomainError.rule(code: "batch.filing.missing") }
        if !filing.canOpenBatches(on: today) { throw DomainError.rule(code: "batch.filing.notActive") }
        try v.check()
        let f = filing.filing
        return try await app.write { db in
            let b = EvaluationBatchRecord()
            b.organizationID = actor.organizationID
            b.filingID = f.id!
            b.regionCode = f.regionCode
            b.title = title
            b.occupationCode = occupation!.code
            b.level = level!.rawValue
            b.method = method!.rawValue
            b.status = BatchStatus.planned.rawValue
            b.site = site
            b.theoryDay = theoryDay!.description
            b.practicalDay = practicalDay!.description
            b.theoryMinutes = input.theoryMinutes!
            b.theoryMinimumMinutes = input.theoryMinimumMinutes!
            b.questionCount = questions
            try await b.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "batch.created", objectType: "batch", objectID: b.id!.uuidString.lowercased(),
                    detail: ["occupation": b.occupationCode, "level": b.level, "method": b.method]), actor: actor, on: db, now: app.now)
            return b
        }
    }

    // MARK: People who judge

    /// Adds a person of the body to its registry of assessors, proctors or supervisors.
    func addStaff(_ input: StaffInput, actor: Actor) async throws -> EvaluationStaffRecord {
        try actor.require(.manageEvaluationStaff, .own)
        var v = Validator()
        let duty = v.oneOf("duty", input.duty, Duty.self)
        if input.personId == nil { v.add("personId", "field.required") }
        var occupationCode = ""
        var level = ""
        if duty == .assessor {
            occupationCode = v.occupation("occupationCode", input.occupationCode)?.code ?? ""
            level = v.oneOf("level", input.level, SkillLevel.self)?.rawValue ?? ""
        }
        let department = v.optional("department", input.department, max: 100) ?? ""
        var indexes: [String] = []
        for (i, raw) in (input.relatives ?? []).enumerated() where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            do { indexes.append(app.personalData.blindIndex(try CitizenID(raw, today: app.today).value)) } catch {
                v.add("relatives", "staff.relative.invalid", [String(i + 1)])
            }
        }
        try v.check()
        let personID = input.personId!
        let cipher = indexes
        let (code, held) = (occupationCode, level)
        return try await app.write { db in
            guard let person = try await PersonRecord.find(personID, on: db), person.organizationID == actor.organizationID else {
                throw ValidationFailure([FieldError("personId", "staff.person.notOurs")])
            }
            if try await BatchStore(db).registered(organization: actor.organizationID, person: personID, duty: duty!, occupation: code) != nil {
                throw ValidationFailure([FieldError("personId", "staff.already")])
            }
            let s = EvaluationStaffRecord()
            s.organizationID = actor.organizationID
            s.personID = personID
            s.duty = duty!.rawValue
            s.occupationCode = code
            s.level = held
            s.department = department
            try await s.create(on: db)
            for index in Set(cipher) {
                let r = DeclaredRelativeRecord()
                r.staffID = s.id!
                r.citizenIDIndex = index
                try await r.create(on: db)
            }
            try await AuditLog.append(
                .init(
                    action: "staff.added", objectType: "evaluationStaff", objectID: s.id!.uuidString.lowercased(),
                    detail: ["duty": s.duty, "occupation": code, "level": held, "relatives": String(Set(cipher).count)]),
                actor: actor, on: db, now: app.now)
            return s
        }
    }

    /// Puts a registered assessor, proctor or the supervisor on a batch (before exams are held).
    func assign(_ batchID: UUID, _ input: AssignmentInput, actor: Actor) async throws {
        let d = try await Self.authorized(batchID, .manageBatch, actor: actor, on: app.db)
        var v = Validator()
        let duty = v.oneOf("duty", input.duty, Duty.self)
        if input.personId == nil { v.add("personId", "field.required") }
        let room = v.optional("room", input.room, max: 50) ?? ""
        if duty == .proctor && room.isEmpty { v.add("room", "field.required") }
        try v.check()
        guard d.status.panelOpen else { throw DomainError.rule(code: "batch.staff.locked") }
        let personID = input.personId!
        let rules = app.config.evaluationRules
        try await app.write { db in
            let store = BatchStore(db)
            let registry = try await store.activeRegister(organization: d.batch.organizationID, person: personID, duty: duty!)
            if registry.isEmpty { throw ValidationFailure([FieldError("personId", "batch.staff.notRegistered")]) }
            if duty == .assessor {
                let held = registry.filter { $0.occupationCode == d.batch.occupationCode }.compactMap { SkillLevel(rawValue: $0.level) }
                if held.isEmpty { throw ValidationFailure([FieldError("personId", "batch.assessor.otherOccupation")]) }
                if !held.contains(where: { AssessorRules.mayAssess(heldLevel: $0, assessed: d.level, levelsAbove: rules.assessorLevelsAbove) }) {
                    throw ValidationFailure([FieldError("personId", "batch.assessor.levelTooLow")])
                }
            }
            if duty == .supervisor, try await store.hasSupervisor(batch: batchID) {
                throw ValidationFailure([FieldError("personId", "batch.supervisor.already")])
            }
            if try await store.sits(batch: batchID, person: personID) {
                throw ValidationFailure([FieldError("personId", "batch.staff.already")])
            }
            let a = BatchStaffRecord()
            a.batchID = batchID
            a.personID = personID
            a.duty = duty!.rawValue
            a.room = room
            try await a.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "batch.staffAssigned", objectType: "batch", objectID: batchID.uuidString.lowercased(),
                    detail: ["duty": a.duty, "person": personID.uuidString.lowercased(), "room": room]), actor: actor, on: db, now: app.now)
        }
    }

    // MARK: Recusal

    /// Who may judge whom: for every assessor and candidate, the reasons they must stand aside.
    struct RecusalTable: Sendable {
        /// (assessor person, registration) → reasons; absent = may judge.
        var reasons: [UUID: [UUID: [RecusalReason]]] = [:]
        func reasons(_ assessor: UUID, _ registration: UUID) -> [RecusalReason] { reasons[assessor]?[registration] ?? [] }
        func panel(for registration: UUID, assessors: [UUID]) -> [UUID] { assessors.filter { reasons($0, registration).isEmpty } }
    }

    static func recusals(_ d: BatchDetail, registrations: [RegistrationRecord], rules: EvaluationRules, on db: any Database) async throws
        -> RecusalTable
    {
        let assessors = d.people(.assessor).map(\.personID)
        guard !assessors.isEmpty, !registrations.isEmpty else { return RecusalTable() }
        let records = try await BatchStore(db).recusalRecords(assessors: assessors, organization: d.batch.organizationID)
        let (judges, staff, users, memberships) = (records.judges, records.staff, records.users, records.memberships)
        // A person is the same human wherever they have a record: compare by citizen ID blind index.
        var keys: [String: UUID] = [:]
        func key(_ index: String) -> UUID {
            if let k = keys[index] { return k }
            let k = UUID.derived(from: SHA256.hash(data: Data(index.utf8)))
            keys[index] = k
            return k
        }
        let relativesByPerson = Dictionary(grouping: records.relatives, by: { r in staff.first { $0.id == r.staffID }!.personID })
        let department = Dictionary(staff.map { ($0.personID, $0.department) }, uniquingKeysWith: { a, b in a.isEmpty ? b : a })
        // Mentees: learners of enrollments where the judge's user accounts are the master or teacher.
        let taught = records.taught
        let learnerIndex = Dictionary(uniqueKeysWithValues: records.learners.map { ($0.id!, $0.citizenIDIndex) })
        let indexOfPerson = Dictionary(uniqueKeysWithValues: records.samePeople.map { ($0.id!, $0.citizenIDIndex) })
        let userIndex = Dictionary(uniqueKeysWithValues: users.compactMap { u in u.personID.flatMap { indexOfPerson[$0] }.map { (u.id!, $0) } })
        let membershipIndex = Dictionary(uniqueKeysWithValues: memberships.compactMap { m in userIndex[m.userID].map { (m.id!, $0) } })
        var menteesByJudgeIndex: [String: Set<UUID>] = [:]
        for e in taught {
            guard let learner = learnerIndex[e.personID] else { continue }
            for m in [e.masterMembershipID, e.teacherMembershipID].compactMap({ $0 }) {
                if let judge = membershipIndex[m] { menteesByJudgeIndex[judge, default: []].insert(key(learner)) }
            }
        }
        var table = RecusalTable()
        for j in judges {
            let judgeRelatives = Set((relativesByPerson[j.id!] ?? []).map { key($0.citizenIDIndex) })
            for r in registrations {
                let facts = RecusalFacts(
                    judgePersonID: key(j.citizenIDIndex), candidatePersonID: key(r.citizenIDIndex),
                    mentees: menteesByJudgeIndex[j.citizenIDIndex] ?? [], relatives: judgeRelatives,
                    judgeOrganization: j.organizationID, judgeDepartment: department[j.id!],
                    candidateOrganization: r.employerID, candidateDepartment: r.department)
                let reasons = Recusal.reasons(facts, rules: rules)
                if !reasons.isEmpty { table.reasons[j.id!, default: [:]][r.id!] = reasons }
            }
        }
        return table
    }

    // MARK: Workflow

    static func facts(_ d: BatchDetail, rules: EvaluationRules, on db: any Database, today: Day) async throws -> BatchStatus.Facts {
        let store = BatchStore(db)
        let regs = try await store.registrations(of: d.batch.id!)
        var f = BatchStatus.Facts()
        f.registrations = regs.count
        f.pendingEligibility = regs.filter { $0.eligibility == EligibilityStatus.pending.rawValue }.count
        let eligible = regs.filter { $0.eligibility == EligibilityStatus.eligible.rawValue }
        f.eligible = eligible.count
        let subjects = PassRule.subjects(for: d.level)
        f.unscored = eligible.filter { r in subjects.contains { r.score($0) == nil } }.count
        f.awaitingReconciliation = eligible.filter(\.needsReconciliation).count
        f.hasSupervisor = d.supervisorID != nil
        f.staffingProblems = try await Self.staffingProblems(d, eligible: eligible, rules: rules, on: db)
        if let from = d.batch.noticeFrom.flatMap(Day.init), let until = d.batch.noticeUntil.flatMap(Day.init) {
            f.noticeEnded = NoticePeriod(from: from, until: until).hasEnded(on: today)
        }
        f.openObjections = try await store.openObjections(of: d.batch.id!)
        return f
    }

    /// Panel and room staffing, including candidates left with too few assessors after recusal.
    static func staffingProblems(_ d: BatchDetail, eligible: [RegistrationRecord], rules: EvaluationRules, on db: any Database) async throws
        -> [String]
    {
        let assessors = d.people(.assessor).map(\.personID)
        var out = Staffing.assessorProblems(assessors: assessors.count, candidates: eligible.count, rules: rules)
        let rooms = Dictionary(grouping: d.people(.proctor), by: \.room)
        if rooms.isEmpty { out.append("room.proctors.tooFew") }
        for (_, proctors) in rooms {
            out += Staffing.proctorProblems(
                proctors: proctors.count, candidatesInRoom: Int((Double(eligible.count) / Double(rooms.count)).rounded(.up)), rules: rules)
        }
        if !eligible.isEmpty, assessors.count >= rules.minimumAssessors {
            let table = try await Self.recusals(d, registrations: eligible, rules: rules, on: db)
            if eligible.contains(where: { table.panel(for: $0.id!, assessors: assessors).count < rules.minimumAssessors }) {
                out.append("panel.recusal.tooFew")
            }
        }
        return Array(NSOrderedSet(array: out)) as? [String] ?? out
    }
}
