import Fluent
import Foundation

final class SkillBaseRecord: Model, CreationStamped, UpdateStamped, @unchecked Sendable {
    static let schema = "skill_bases"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    @Field(key: "host_organization_id") var hostOrganizationID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "tier") var tier: String
    @Field(key: "approval_year") var approvalYear: Int
    @Field(key: "funding_granted") var fundingGranted: Int
    @Field(key: "funding_spent") var fundingSpent: Int
    @Field(key: "activity") var activity: String
    @Field(key: "created_by_organization_id") var createdByOrganizationID: UUID
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}
}

final class SkillBaseLinkRecord: Model, @unchecked Sendable {
    static let schema = "skill_base_links"
    /// What a link ties to a base (the `kind` column).
    enum Kind: String, Sendable { case program, master }

    @ID(key: .id) var id: UUID?
    @Field(key: "base_id") var baseID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "target_id") var targetID: UUID

    init() {}
}

final class CompetitionRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "competitions"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "tier") var tier: String
    @Field(key: "organizer_organization_id") var organizerOrganizationID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "year") var year: Int
    @Field(key: "held_on") var heldOn: String
    @Field(key: "entrants") var entrants: Int
    @Field(key: "status") var status: String
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}

final class CompetitionResultRecord: Model, CreationStamped, @unchecked Sendable {
    /// The results that count (for the contest route, honours and the list): every one not withdrawn.
    static func standing(on db: any Database) -> QueryBuilder<CompetitionResultRecord> { query(on: db).filter(\.$withdrawnAt == nil) }

    static let schema = "competition_results"

    @ID(key: .id) var id: UUID?
    @Field(key: "competition_id") var competitionID: UUID
    @OptionalField(key: "person_id") var personID: UUID?
    @Field(key: "citizen_id_index") var citizenIDIndex: String
    @Field(key: "name") var name: String
    @Field(key: "citizen_id_masked") var citizenIDMasked: String
    @Field(key: "rank") var rank: Int
    @Field(key: "is_student") var isStudent: Bool
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?
    @OptionalField(key: "withdrawal_reason") var withdrawalReason: String?
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}
