import Fluent
import Foundation
import SkillChainCore

/// What waits for whom on the home page: the rows each role is asked to act on (agreements to answer or revise,
/// apprentices to log hours for, corrections and chain changes to decide) and the counts beside them.
struct HomeTaskStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    /// Every organization on the platform.
    func organizationCount() async throws -> Int { try await OrganizationRecord.query(on: db).count() }

    /// The organization's people not archived.
    func activePeople(of organization: UUID) async throws -> Int {
        try await PersonRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$archivedAt == nil).count()
    }

    /// The chains with these ids (all when nil).
    func chains(_ ids: [UUID]?) async throws -> [ChainRecord] {
        let query = ChainRecord.query(on: db)
        if let ids { query.filter(\.$id ~~ ids) }
        return try await query.all()
    }

    /// Changes to these chains waiting for the bureau, oldest first (at most 20).
    func pendingChainChanges(_ chains: [UUID]) async throws -> [ChainChangeRequestRecord] {
        try await ChainChangeRequestRecord.query(on: db).filter(\.$chainID ~~ chains).filter(\.$status == ChainChangeStatus.pending.rawValue)
            .sort(\.$createdAt).limit(20).all()
    }

    /// Correction requests open at the organization holding the record, oldest first (at most 20), with the person's name.
    func openCorrections(at organization: UUID) async throws -> [(CorrectionRequestRecord, String)] {
        let open = try await CorrectionRequestRecord.query(on: db).filter(\.$organizationID == organization)
            .filter(\.$status == CorrectionStatus.open.rawValue).sort(\.$createdAt).limit(20).all()
        let names = try await PersonRecord.names(open.map(\.personID), \.name, on: db)
        return open.map { ($0, names[$0.personID] ?? "") }
    }

    /// The programmes the organization leads.
    func programs(ledBy organization: UUID) async throws -> [ProgramRecord] {
        try await ProgramRecord.query(on: db).filter(\.$leadOrganizationID == organization).all()
    }

    /// Agreements of these programmes returned for revision.
    func returnedAgreements(of programs: [UUID]) async throws -> [AgreementRecord] {
        try await AgreementRecord.query(on: db).filter(\.$programID ~~ programs).filter(\.$status == AgreementStatus.returned.rawValue).all()
    }

    /// Agreements waiting for the organization's answer as the counterparty, with the programme's name.
    func agreementsAwaiting(counterparty organization: UUID) async throws -> [(AgreementRecord, String)] {
        let waiting = try await AgreementRecord.query(on: db).filter(\.$counterpartyOrganizationID == organization)
            .filter(\.$status == AgreementStatus.awaitingCounterparty.rawValue).all()
        let names = try await ProgramRecord.names(waiting.map(\.programID), \.name, on: db)
        return waiting.map { ($0, names[$0.programID] ?? "") }
    }

    /// Apprenticeship (training) agreements waiting for an answer whose apprentice is a student of the school, with the
    /// student's name: the school signs for its student.
    func trainingAgreementsAwaiting(school: UUID) async throws -> [(AgreementRecord, String)] {
        let training = try await AgreementRecord.query(on: db).filter(\.$kind == AgreementKind.training.rawValue)
            .filter(\.$status == AgreementStatus.awaitingCounterparty.rawValue).all()
        let enrollments = try await EnrollmentRecord.query(on: db).filter(\.$id ~~ training.compactMap(\.enrollmentID)).all()
        let students = try await PersonRecord.query(on: db).filter(\.$id ~~ enrollments.map(\.personID)).filter(\.$organizationID == school).all()
        let studentName = Dictionary(uniqueKeysWithValues: students.map { ($0.id!, $0.name) })
        let studentOf = Dictionary(uniqueKeysWithValues: enrollments.compactMap { e in studentName[e.personID].map { (e.id!, $0) } })
        return training.compactMap { a in a.enrollmentID.flatMap { studentOf[$0] }.map { (a, $0) } }
    }

    /// Apprentices in training whom the membership mentors (as master or teacher), with their names.
    func apprentices(of membership: UUID) async throws -> [(EnrollmentRecord, String)] {
        let mine = try await EnrollmentRecord.query(on: db).group(.or) {
            $0.filter(\.$masterMembershipID == membership).filter(\.$teacherMembershipID == membership)
        }.filter(\.$status == EnrollmentStatus.enrolled.rawValue).all()
        let names = try await PersonRecord.names(mine.map(\.personID), \.name, on: db)
        return mine.map { ($0, names[$0.personID] ?? "") }
    }

    /// The person's enrollments with the programme's name, and the apprenticeship agreements among them waiting for the
    /// person's answer.
    func learning(_ person: UUID) async throws -> (enrollments: [(EnrollmentRecord, String)], awaiting: [AgreementRecord]) {
        let mine = try await EnrollmentRecord.query(on: db).filter(\.$personID == person).all()
        let names = try await ProgramRecord.names(mine.map(\.programID), \.name, on: db)
        let awaiting = try await AgreementRecord.query(on: db).filter(\.$enrollmentID ~~ mine.compactMap(\.id))
            .filter(\.$status == AgreementStatus.awaitingCounterparty.rawValue).all()
        return (mine.map { ($0, names[$0.programID] ?? "") }, awaiting)
    }
}
