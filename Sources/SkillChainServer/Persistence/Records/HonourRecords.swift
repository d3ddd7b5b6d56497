import Fluent
import Foundation

final class HonourCampaignRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "honour_campaigns"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @Field(key: "tier") var tier: String
    @Field(key: "year") var year: Int
    @Field(key: "quota") var quota: Int
    @Field(key: "criteria") var criteria: String
    @Field(key: "status") var status: String
    @OptionalField(key: "notice_from") var noticeFrom: String?
    @OptionalField(key: "notice_until") var noticeUntil: String?
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}

final class HonourNominationRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "honour_nominations"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "citizen_id_index") var citizenIDIndex: String
    @Field(key: "facts") var facts: String
    @Field(key: "statement") var statement: String
    @Field(key: "shortfalls") var shortfalls: String
    @Field(key: "contributions") var contributions: String
    @Field(key: "rule_score") var ruleScore: Double
    @Field(key: "panel_scores") var panelScores: String
    @Field(key: "status") var status: String
    @OptionalField(key: "credential") var credential: String?
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}
