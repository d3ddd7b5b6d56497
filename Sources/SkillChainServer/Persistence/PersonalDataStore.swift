import Fluent
import Foundation
import SkillChainCore

/// The reads behind a person's own data (PIPL art. 45): which person records are them (every organization's record
/// with their ID number, by blind index) and everything that hangs off those records and their account.
struct PersonalDataStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    /// Everything held about one person, with the names its rows point to.
    struct Holdings {
        let user: UserRecord
        let memberships: [MembershipRecord]
        let people: [PersonRecord]
        /// Organizations of the memberships and of the person records, by id.
        let organizations: [UUID: String]
        let enrollments: [EnrollmentRecord]
        let programs: [UUID: String]
        let registrations: [RegistrationRecord]
        let invitations: [InvitationRecord]
        let positions: [UUID: String]
        let placements: [PlacementRecord]
        let pay: [PayRecordRecord]
        let corrections: [CorrectionRequestRecord]
        let certificates: [CertificateRecord]
        /// The certificates' issuing bodies, by id.
        let bodies: [UUID: String]
        let consents: [TalentConsentRecord]
    }

    /// The person records that are the person linked to a login: that record and every organization's record with the
    /// same ID number, oldest first.
    func ownRecords(personID: UUID?) async throws -> [PersonRecord] {
        guard let personID, let me = try await PersonRecord.find(personID, on: db) else { return [] }
        return try await PersonRecord.query(on: db).filter(\.$citizenIDIndex == me.citizenIDIndex).sort(\.$createdAt).all()
    }

    /// Everything held about the user `userID` who is the person `personID`; nil when the account is gone.
    func holdings(userID: UUID, personID: UUID?) async throws -> Holdings? {
        guard let user = try await UserRecord.find(userID, on: db) else { return nil }
        let memberships = try await MembershipRecord.query(on: db).filter(\.$userID == userID).all()
        let people = try await ownRecords(personID: personID)
        let personIDs = people.compactMap(\.id)
        let index = people.first?.citizenIDIndex ?? "-"
        let enrollments = try await EnrollmentRecord.query(on: db).filter(\.$personID ~~ personIDs).all()
        let invitations = try await InvitationRecord.query(on: db).filter(\.$personID ~~ personIDs).all()
        let certificates = try await CertificateStore(db).held(by: index)
        return Holdings(
            user: user, memberships: memberships, people: people,
            organizations: try await OrganizationRecord.names(Set(memberships.map(\.organizationID) + people.map(\.organizationID)), \.name, on: db),
            enrollments: enrollments, programs: try await ProgramRecord.names(Set(enrollments.map(\.programID)), \.name, on: db),
            registrations: try await RegistrationRecord.query(on: db).filter(\.$personID ~~ personIDs).all(),
            invitations: invitations, positions: try await PositionRecord.names(Set(invitations.map(\.positionID)), \.title, on: db),
            placements: try await PlacementRecord.query(on: db).filter(\.$personID ~~ personIDs).all(),
            pay: try await PayRecordRecord.query(on: db).filter(\.$citizenIDIndex == index).all(),
            corrections: try await CorrectionRequestRecord.query(on: db).filter(\.$personID ~~ personIDs).sort(\.$createdAt).all(),
            certificates: certificates, bodies: try await OrganizationRecord.names(Set(certificates.map(\.organizationID)), \.name, on: db),
            consents: try await TalentConsentRecord.query(on: db).filter(\.$citizenIDIndex == index).all())
    }

    /// The person's open correction request for `field`, if any.
    func openCorrection(personID: UUID, field: String) async throws -> CorrectionRequestRecord? {
        try await CorrectionRequestRecord.query(on: db).filter(\.$personID == personID).filter(\.$field == field)
            .filter(\.$status == CorrectionStatus.open.rawValue).first()
    }

    /// The correction requests still open for one person record, oldest first.
    func openCorrections(of person: UUID) async throws -> [CorrectionRequestRecord] {
        try await CorrectionRequestRecord.query(on: db).filter(\.$personID == person).filter(\.$status == CorrectionStatus.open.rawValue)
            .sort(\.$createdAt).all()
    }
}
