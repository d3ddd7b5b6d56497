import Fluent
import Foundation

final class ChainRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "chains"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "industry") var industry: String
    @Field(key: "region_code") var regionCode: String
    @Field(key: "lead_organization_id") var leadOrganizationID: UUID
    @Field(key: "status") var status: String
    @OptionalField(key: "return_reason") var returnReason: String?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    @OptionalField(key: "decided_by_organization_id") var decidedByOrganizationID: UUID?
    @OptionalField(key: "created_at") var createdAt: Date?

    @Field(key: "version") var version: Int

    init() {}
}

final class ChainMemberRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "chain_members"

    @ID(key: .id) var id: UUID?
    @Field(key: "chain_id") var chainID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    /// Comma-separated `ChainContribution` raw values.
    @Field(key: "contributions") var contributions: String
    @Field(key: "posts_committed") var postsCommitted: Int
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}

/// A requested change to an approved chain's membership (add, remove, change what a member brings).
final class ChainChangeRequestRecord: Model, @unchecked Sendable {
    static let schema = "chain_change_requests"

    @ID(key: .id) var id: UUID?
    @Field(key: "chain_id") var chainID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "kind") var kind: String
    /// Comma-separated `ChainContribution` raw values (empty for a removal).
    @Field(key: "contributions") var contributions: String
    @OptionalField(key: "posts_committed") var postsCommitted: Int?
    @Field(key: "explanation") var explanation: String
    @Field(key: "status") var status: String
    @OptionalField(key: "decision_reason") var decisionReason: String?
    @Field(key: "requested_by") var requestedBy: UUID
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}
}
