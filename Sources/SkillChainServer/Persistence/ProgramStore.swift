import Fluent
import Foundation
import SkillChainCore

/// The training programme aggregate's reads and its status write: a programme with its lead, partner schools,
/// positions, agreements and enrollments (with mentors and the hours that count); which programmes an actor sees;
/// the organizations and positions a new programme names; the compare-and-set of its status.
struct ProgramStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    func detail(_ id: UUID) async throws -> ProgramDetail {
        guard let program = try await ProgramRecord.find(id, on: db) else { throw DomainError.notFound }
        let partnerIDs = try await ProgramPartnerRecord.query(on: db).filter(\.$programID == id).sort(\.$createdAt).all().map(\.organizationID)
        let orgs = try await OrganizationRecord.query(on: db).filter(\.$id ~~ (partnerIDs + [program.leadOrganizationID])).all()
        let orgByID = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id!, $0) })
        guard let lead = orgByID[program.leadOrganizationID] else { throw DomainError.notFound }
        let positionIDs = try await ProgramPositionRecord.query(on: db).filter(\.$programID == id).all().map(\.positionID)
        let positions = positionIDs.isEmpty ? [] : try await PositionRecord.query(on: db).filter(\.$id ~~ positionIDs).sort(\.$title).all()
        let agreements = try await AgreementRecord.query(on: db).filter(\.$programID == id).sort(\.$createdAt).all()
        let enrollmentRows = try await EnrollmentRecord.query(on: db).filter(\.$programID == id).sort(\.$createdAt).all()
        let people = enrollmentRows.isEmpty ? [] : try await PersonRecord.query(on: db).filter(\.$id ~~ enrollmentRows.map(\.personID)).all()
        let personByID = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0) })
        let mentorIDs = Set(enrollmentRows.flatMap { [$0.masterMembershipID, $0.teacherMembershipID].compactMap { $0 } })
        let mentors = try await mentorRefs(Array(mentorIDs))
        var hours: [UUID: [HourCategory: Int]] = [:]
        if !enrollmentRows.isEmpty {
            // Only hours attended count.
            for e in try await ProgressEntryRecord.query(on: db).filter(\.$enrollmentID ~~ enrollmentRows.map { $0.id! }).all() {
                guard let c = HourCategory(rawValue: e.category), e.attendance == Attendance.present.rawValue else { continue }
                hours[e.enrollmentID, default: [:]][c, default: 0] += e.hours
            }
        }
        let trainingByEnrollment = Dictionary(agreements.compactMap { a in a.enrollmentID.map { ($0, a) } }, uniquingKeysWith: { a, _ in a })
        return ProgramDetail(
            program: program, lead: lead, partners: partnerIDs.compactMap { orgByID[$0] }, positions: positions, agreements: agreements,
            enrollments: enrollmentRows.compactMap { e in
                guard let person = personByID[e.personID] else { return nil }
                return .init(
                    record: e, person: person, master: e.masterMembershipID.flatMap { mentors[$0] },
                    teacher: e.teacherMembershipID.flatMap { mentors[$0] }, hours: hours[e.id!] ?? [:], agreement: trainingByEnrollment[e.id!])
            })
    }

    /// The mentors behind memberships: who they are and for which organization they act.
    func mentorRefs(_ ids: [UUID]) async throws -> [UUID: ProgramDetail.MentorRef] {
        guard !ids.isEmpty else { return [:] }
        let memberships = try await MembershipRecord.query(on: db).filter(\.$id ~~ ids).all()
        let users = try await UserRecord.query(on: db).filter(\.$id ~~ memberships.map(\.userID)).all()
        let userByID = Dictionary(uniqueKeysWithValues: users.map { ($0.id!, $0) })
        return Dictionary(
            uniqueKeysWithValues: memberships.compactMap { m in
                userByID[m.userID].map {
                    (m.id!, ProgramDetail.MentorRef(membershipID: m.id!, userID: m.userID, name: $0.displayName, organizationID: m.organizationID))
                }
            })
    }

    /// Programmes the actor may list (nil = all): a learner their own, a master or teacher those they mentor in, an
    /// organization those it leads or partners in, an officer also those of the region.
    func visibleIDs(actor: Actor) async throws -> [UUID]? {
        let grant = Policy.grant(actor.role, .listPrograms)
        if grant == .all { return nil }
        if grant == .none { return [] }
        if actor.role == .learner {
            guard let pid = actor.personID else { return [] }
            return try await EnrollmentRecord.query(on: db).filter(\.$personID == pid).all().map(\.programID)
        }
        if actor.role == .master || actor.role == .teacher {
            return try await EnrollmentRecord.query(on: db).group(.or) {
                $0.filter(\.$masterMembershipID == actor.membershipID).filter(\.$teacherMembershipID == actor.membershipID)
            }.all().map(\.programID)
        }
        let led = try await ProgramRecord.query(on: db).filter(\.$leadOrganizationID == actor.organizationID).all().compactMap(\.id)
        let partnered = try await ProgramPartnerRecord.query(on: db).filter(\.$organizationID == actor.organizationID).all().map(\.programID)
        var ids = led + partnered
        if grant == .region {
            let prefix = RegionCatalog.shared.prefix(of: actor.organizationRegion)
            ids += try await ProgramRecord.query(on: db).filter(\.$regionCode =~ prefix).all().compactMap(\.id)
        }
        return ids
    }

    func organizations(_ ids: [UUID]) async throws -> [OrganizationRecord] {
        ids.isEmpty ? [] : try await OrganizationRecord.query(on: db).filter(\.$id ~~ ids).all()
    }

    func positions(_ ids: [UUID]) async throws -> [PositionRecord] {
        ids.isEmpty ? [] : try await PositionRecord.query(on: db).filter(\.$id ~~ ids).all()
    }

    /// Sets the status (and its reason) only if it is still `expected`; false when someone changed it meanwhile.
    func changeStatus(_ id: UUID, from expected: String, to next: ProgramStatus, reason: String?) async throws -> Bool {
        guard try await ProgramRecord.query(on: db).filter(\.$id == id).filter(\.$status == expected).count() == 1 else { return false }
        try await ProgramRecord.query(on: db).filter(\.$id == id).filter(\.$status == expected).set(\.$status, to: next.rawValue)
            .set(\.$statusReason, to: reason).update()
        return true
    }

    /// Programmes among `ids` (all when nil) of a kind and status, for a caller that pages them.
    func list(ids: [UUID]?, kind: String?, status: String?) -> QueryBuilder<ProgramRecord> {
        let q = ProgramRecord.query(on: db)
        if let ids { q.filter(\.$id ~~ ids) }
        if let kind { q.filter(\.$kind == kind) }
        if let status { q.filter(\.$status == status) }
        return q
    }

    /// An apprentice's logged progress, for a caller that pages or sorts it.
    func progress(_ enrollment: UUID) -> QueryBuilder<ProgressEntryRecord> {
        ProgressEntryRecord.query(on: db).filter(\.$enrollmentID == enrollment)
    }

    /// The subsidy claims made for an apprentice, by training year.
    func subsidyClaims(_ enrollment: UUID) async throws -> [SubsidyClaimRecord] {
        try await SubsidyClaimRecord.query(on: db).filter(\.$enrollmentID == enrollment).sort(\.$yearIndex).all()
    }

    /// The programmes with these ids, by name.
    func named(_ ids: some Sequence<UUID>) async throws -> [ProgramRecord] {
        try await ProgramRecord.query(on: db).filter(\.$id ~~ Set(ids)).sort(\.$name).all()
    }

    /// Memberships with `role` in these organizations (the masters or teachers a programme may assign).
    func memberships(_ role: Role, in organizations: some Sequence<UUID>) -> QueryBuilder<MembershipRecord> {
        MembershipRecord.query(on: db).filter(\.$organizationID ~~ Set(organizations)).filter(\.$role == role.rawValue)
    }

    /// The enterprise's open positions, by title: those a new programme may train for.
    func openPositions(of organization: UUID) async throws -> [PositionRecord] {
        try await PositionRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$status == PositionStatus.open.rawValue)
            .sort(\.$title).all()
    }
}
