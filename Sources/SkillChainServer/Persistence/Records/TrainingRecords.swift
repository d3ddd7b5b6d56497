import Fluent
import Foundation

final class PositionRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "positions"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "title") var title: String
    @Field(key: "occupation_edition") var occupationEdition: String
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "required_level") var requiredLevel: String
    @Field(key: "headcount") var headcount: Int
    @Field(key: "region_code") var regionCode: String
    @Field(key: "wage_min") var wageMin: Int
    @Field(key: "wage_max") var wageMax: Int
    @Field(key: "front_line") var frontLine: Bool
    @Field(key: "description") var description: String
    @Field(key: "status") var status: String
    @OptionalField(key: "created_at") var createdAt: Date?
    /// Bumped by every edit; the `ETag`.
    @Field(key: "version") var version: Int

    init() {}
}

final class ProgramRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "programs"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    @Field(key: "lead_organization_id") var leadOrganizationID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "occupation_edition") var occupationEdition: String
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "target_level") var targetLevel: String
    @Field(key: "start_date") var startDate: String
    @Field(key: "end_date") var endDate: String
    @Field(key: "capacity") var capacity: Int
    @Field(key: "hours_general") var hoursGeneral: Int
    @Field(key: "hours_basics") var hoursBasics: Int
    @Field(key: "hours_operational") var hoursOperational: Int
    @Field(key: "subsidy_per_year") var subsidyPerYear: Int
    @Field(key: "status") var status: String
    @OptionalField(key: "status_reason") var statusReason: String?
    @OptionalField(key: "created_at") var createdAt: Date?
    /// Bumped by every edit; the `ETag`.
    @Field(key: "version") var version: Int

    init() {}
}

final class ProgramPartnerRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "program_partners"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}

final class ProgramPositionRecord: Model, @unchecked Sendable {
    static let schema = "program_positions"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "position_id") var positionID: UUID

    init() {}
}

final class EnrollmentRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "enrollments"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "status") var status: String
    @OptionalField(key: "contract_start") var contractStart: String?
    @OptionalField(key: "contract_end") var contractEnd: String?
    @OptionalField(key: "master_membership_id") var masterMembershipID: UUID?
    @OptionalField(key: "teacher_membership_id") var teacherMembershipID: UUID?
    @OptionalField(key: "status_reason") var statusReason: String?
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}

final class AgreementRecord: Model, CreationStamped, UpdateStamped, @unchecked Sendable {
    static let schema = "agreements"

    @ID(key: .id) var id: UUID?
    @Field(key: "program_id") var programID: UUID
    @Field(key: "kind") var kind: String
    /// The partner school (cooperation agreements).
    @OptionalField(key: "counterparty_organization_id") var counterpartyOrganizationID: UUID?
    /// The apprentice's enrollment (training agreements).
    @OptionalField(key: "enrollment_id") var enrollmentID: UUID?
    @Field(key: "terms") var terms: String
    @Field(key: "status") var status: String
    @OptionalField(key: "return_reason") var returnReason: String?
    @OptionalField(key: "approved_at") var approvedAt: Date?
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}
}

final class ProgressEntryRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "progress_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "enrollment_id") var enrollmentID: UUID
    @Field(key: "day") var day: String
    @Field(key: "category") var category: String
    @Field(key: "hours") var hours: Int
    @Field(key: "attendance") var attendance: String
    @OptionalField(key: "assessment") var assessment: String?
    @OptionalField(key: "score") var score: Int?
    @Field(key: "recorded_by_membership_id") var recordedByMembershipID: UUID
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}

final class SubsidyClaimRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "subsidy_claims"

    @ID(key: .id) var id: UUID?
    @Field(key: "enrollment_id") var enrollmentID: UUID
    @Field(key: "program_id") var programID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "year_index") var yearIndex: Int
    @Field(key: "status") var status: String
    @Field(key: "advance_requested") var advanceRequested: Int
    @Field(key: "advance_paid") var advancePaid: Int
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "settlement_total") var settlementTotal: Int?
    @OptionalField(key: "payable") var payable: Int?
    @OptionalField(key: "clawback") var clawback: Int?
    /// The number of a revoked certificate this claim's certificate outcome relied on.
    @OptionalField(key: "revoked_certificate") var revokedCertificate: String?
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}
}

final class EnterpriseStandardRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "enterprise_standards"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "occupation_edition") var occupationEdition: String
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "version") var version: Int
    /// JSON object: skill level raw value → work requirements text.
    @Field(key: "requirements") var requirements: String
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}

/// The rejected rows of a failed roster import, kept so the user can download them.
final class ImportReportRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "import_reports"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    /// JSON array of `RosterError`.
    @Field(key: "errors") var errors: String
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}
