import Fluent
import Foundation

final class EvaluationFilingRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "evaluation_filings"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "institution_type") var institutionType: String
    @Field(key: "institution_code") var institutionCode: String
    @Field(key: "province_code") var provinceCode: String
    @Field(key: "site_serial") var siteSerial: String
    @Field(key: "region_code") var regionCode: String
    @Field(key: "valid_from") var validFrom: String
    @Field(key: "valid_until") var validUntil: String
    @Field(key: "status") var status: String
    @OptionalField(key: "reason") var reason: String?
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}
}

final class FilingScopeRecord: Model, @unchecked Sendable {
    static let schema = "filing_scopes"

    @ID(key: .id) var id: UUID?
    @Field(key: "filing_id") var filingID: UUID
    @Field(key: "occupation_edition") var occupationEdition: String
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "level") var level: String

    init() {}
}
