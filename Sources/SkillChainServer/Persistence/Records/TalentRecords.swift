import Fluent
import Foundation

final class TalentConsentRecord: Model, @unchecked Sendable {
    static let schema = "talent_consents"

    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "citizen_id_index") var citizenIDIndex: String
    @OptionalField(key: "declared_occupation_code") var declaredOccupationCode: String?
    @OptionalField(key: "declared_level") var declaredLevel: String?
    @Field(key: "consented_at") var consentedAt: Date
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?

    /// Every column, in the order of a multi-row insert (`BulkInsert`).
    static let columns = ["id", "person_id", "citizen_id_index", "declared_occupation_code", "declared_level", "consented_at", "withdrawn_at"]

    init() {}
}

final class InvitationRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "invitations"

    @ID(key: .id) var id: UUID?
    @Field(key: "position_id") var positionID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "citizen_id_index") var citizenIDIndex: String
    @Field(key: "score") var score: Double
    @Field(key: "reasons") var reasons: String
    @Field(key: "message") var message: String
    @Field(key: "status") var status: String
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "answered_at") var answeredAt: Date?

    init() {}
}

final class PlacementRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "placements"

    @ID(key: .id) var id: UUID?
    @Field(key: "position_id") var positionID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "citizen_id_index") var citizenIDIndex: String
    @OptionalField(key: "invitation_id") var invitationID: UUID?
    @Field(key: "region_code") var regionCode: String
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "start_date") var startDate: String
    @Field(key: "monthly_wage") var monthlyWage: Int
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}
