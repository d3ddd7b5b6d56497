import Fluent
import Foundation
import SkillChainCore
import Vapor

final class HonourObjectionRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "honour_objections"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "nomination_id") var nominationID: UUID
    @Field(key: "text") var text: String
    @Field(key: "contact_sealed") var contactSealed: String
    @Field(key: "status") var status: String
    @OptionalField(key: "resolution") var resolution: String?
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?

    init() {}
}
