import Fluent
import Foundation
import SkillChainCore

/// The evaluation batch aggregate's reads: a batch with its body, filing and staff; which batches an actor sees; the
/// body's register of assessors, proctors and supervisors and who sits on a batch; the registrations and objections a
/// transition weighs; and the records a recusal check compares (declared relatives, the judges' own trainees).
struct BatchStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    /// The batch with its body, filing and assigned staff (with their names).
    func detail(_ id: UUID) async throws -> BatchDetail {
        guard let b = try await EvaluationBatchRecord.find(id, on: db), let org = try await OrganizationRecord.find(b.organizationID, on: db),
            let f = try await EvaluationFilingRecord.find(b.filingID, on: db)
        else { throw DomainError.notFound }
        let staff = try await BatchStaffRecord.query(on: db).filter(\.$batchID == id).all()
        let people = try await PersonRecord.query(on: db).filter(\.$id ~~ Set(staff.map(\.personID))).all()
        return BatchDetail(
            batch: b, organization: org, filing: f, assignments: staff,
            names: Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.name) }))
    }

    /// The batches `actor` may list: all, its region's and its own, its own, or (assessors and supervisors) only those
    /// it sits on.
    func visible(to actor: Actor) async throws -> QueryBuilder<EvaluationBatchRecord> {
        let q = EvaluationBatchRecord.query(on: db)
        switch Policy.grant(actor.role, .listBatches) {
        case .all: break
        case .region:
            q.group(.or) {
                $0.filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: actor.organizationRegion)).filter(
                    \.$organizationID == actor.organizationID)
            }
        case .own:
            q.filter(\.$organizationID == actor.organizationID)
            if [.assessor, .supervisor].contains(actor.role) {
                let sitting = try await BatchStaffRecord.query(on: db).filter(\.$personID == (actor.personID ?? .nothing)).all().map(\.batchID)
                q.filter(\.$id ~~ Set(sitting))
            }
        case .none: q.filter(\.$id == .nothing)
        }
        return q
    }

    func filing(of organization: UUID) async throws -> EvaluationFilingRecord? {
        try await EvaluationFilingRecord.query(on: db).filter(\.$organizationID == organization).first()
    }

    // MARK: Staff

    /// The body's register entry for a person in a duty and occupation, if there is one.
    func registered(organization: UUID, person: UUID, duty: Duty, occupation: String) async throws -> EvaluationStaffRecord? {
        try await EvaluationStaffRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$personID == person)
            .filter(\.$duty == duty.rawValue).filter(\.$occupationCode == occupation).first()
    }

    /// A person's active register entries in a duty (any occupation).
    func activeRegister(organization: UUID, person: UUID, duty: Duty) async throws -> [EvaluationStaffRecord] {
        try await EvaluationStaffRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$personID == person)
            .filter(\.$duty == duty.rawValue).filter(\.$deactivatedAt == nil).all()
    }

    func hasSupervisor(batch: UUID) async throws -> Bool {
        try await BatchStaffRecord.query(on: db).filter(\.$batchID == batch).filter(\.$duty == Duty.supervisor.rawValue).first() != nil
    }

    func sits(batch: UUID, person: UUID) async throws -> Bool {
        try await BatchStaffRecord.query(on: db).filter(\.$batchID == batch).filter(\.$personID == person).first() != nil
    }

    // MARK: What a transition weighs

    func registrations(of batch: UUID) async throws -> [RegistrationRecord] {
        try await RegistrationRecord.query(on: db).filter(\.$batchID == batch).all()
    }

    func openObjections(of batch: UUID) async throws -> Int {
        try await NoticeObjectionRecord.query(on: db).filter(\.$batchID == batch).filter(\.$status == ObjectionStatus.open.rawValue).count()
    }

    // MARK: Recusal

    /// What deciding recusals compares, for the assessors of a body: their person records, register entries and declared
    /// relatives, and the enrollments they taught as master or teacher under any of their accounts (with the learners').
    struct RecusalRecords {
        var judges: [PersonRecord] = []
        var staff: [EvaluationStaffRecord] = []
        var relatives: [DeclaredRelativeRecord] = []
        /// Every person record of the same humans as the judges (matched by citizen ID blind index).
        var samePeople: [PersonRecord] = []
        var users: [UserRecord] = []
        var memberships: [MembershipRecord] = []
        var taught: [EnrollmentRecord] = []
        var learners: [PersonRecord] = []
    }

    func recusalRecords(assessors: [UUID], organization: UUID) async throws -> RecusalRecords {
        var r = RecusalRecords()
        r.judges = try await PersonRecord.query(on: db).filter(\.$id ~~ Set(assessors)).all()
        r.staff = try await EvaluationStaffRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$personID ~~ Set(assessors))
            .all()
        r.relatives = try await DeclaredRelativeRecord.query(on: db).filter(\.$staffID ~~ Set(r.staff.compactMap(\.id))).all()
        r.samePeople = try await PersonRecord.query(on: db).filter(\.$citizenIDIndex ~~ Set(r.judges.map(\.citizenIDIndex))).all()
        r.users = try await UserRecord.query(on: db).filter(\.$personID ~~ Set(r.samePeople.compactMap(\.id))).all()
        r.memberships = try await MembershipRecord.query(on: db).filter(\.$userID ~~ Set(r.users.compactMap(\.id))).all()
        let membershipIDs = Set(r.memberships.compactMap(\.id))
        r.taught = try await EnrollmentRecord.query(on: db).group(.or) {
            $0.filter(\.$masterMembershipID ~~ membershipIDs).filter(\.$teacherMembershipID ~~ membershipIDs)
        }.all()
        r.learners = try await PersonRecord.query(on: db).filter(\.$id ~~ Set(r.taught.map(\.personID))).all()
        return r
    }

    /// The practical scores an assessor gave to these registrations.
    func practicalScores(by assessor: UUID, of registrations: some Sequence<UUID>) async throws -> [PracticalScoreRecord] {
        try await PracticalScoreRecord.query(on: db).filter(\.$assessorPersonID == assessor).filter(\.$registrationID ~~ Set(registrations)).all()
    }

    /// The objections to a batch's public notice, oldest first.
    func objections(_ batch: UUID) async throws -> [NoticeObjectionRecord] {
        try await NoticeObjectionRecord.query(on: db).filter(\.$batchID == batch).sort(\.$createdAt).all()
    }

    /// The body's register of evaluation staff (one row per person and duty), in the order they were registered.
    func staffRegister(of organization: UUID) async throws -> [EvaluationStaffRecord] {
        try await EvaluationStaffRecord.query(on: db).filter(\.$organizationID == organization).sort(\.$createdAt).all()
    }

    /// The relatives declared by these staff rows.
    func declaredRelatives(of staff: some Sequence<UUID>) async throws -> [DeclaredRelativeRecord] {
        try await DeclaredRelativeRecord.query(on: db).filter(\.$staffID ~~ Set(staff)).all()
    }
}
