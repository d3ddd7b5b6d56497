import Fluent
import Foundation

final class OrganizationRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "organizations"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: String
    @Field(key: "credit_code") var creditCode: String
    @Field(key: "region_code") var regionCode: String
    @Field(key: "flags") var flags: Int
    @Field(key: "insured_employees") var insuredEmployees: Int
    @OptionalField(key: "created_at") var createdAt: Date?

    @Field(key: "version") var version: Int
    @OptionalField(key: "archived_at") var archivedAt: Date?
    @OptionalField(key: "contact") var contact: String?
    @OptionalField(key: "address") var address: String?
    /// Days personal data of people with nothing open is kept (nil: kept until erased by hand).
    @OptionalField(key: "retention_days") var retentionDays: Int?

    init() {}
}
