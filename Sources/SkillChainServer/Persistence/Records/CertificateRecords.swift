import Fluent
import Foundation

final class SigningKeyRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "signing_keys"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "public_multibase") var publicMultibase: String
    @Field(key: "private_sealed") var privateSealed: String
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "retired_at") var retiredAt: Date?

    init() {}
}

final class CertificateSerialRecord: Model, @unchecked Sendable {
    static let schema = "certificate_serials"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "level") var level: String
    @Field(key: "last_serial") var lastSerial: Int

    init() {}
}

final class CertificateRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "certificates"

    @ID(key: .id) var id: UUID?
    @Field(key: "number") var number: String
    @Field(key: "organization_id") var organizationID: UUID
    @OptionalField(key: "batch_id") var batchID: UUID?
    @OptionalField(key: "registration_id") var registrationID: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "citizen_id_index") var citizenIDIndex: String
    @Field(key: "holder_name") var holderName: String
    @Field(key: "citizen_id_masked") var citizenIDMasked: String
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "occupation_name") var occupationName: String
    @Field(key: "work_type") var workType: String
    @Field(key: "level") var level: String
    @Field(key: "issue_date") var issueDate: String
    @OptionalField(key: "valid_until") var validUntil: String?
    @Field(key: "credential") var credential: String
    @Field(key: "jwt") var jwt: String
    @Field(key: "key_id") var keyID: String
    @Field(key: "revocation_index") var revocationIndex: Int
    @Field(key: "suspension_index") var suspensionIndex: Int
    @Field(key: "status") var status: String
    @OptionalField(key: "status_category") var statusCategory: String?
    @OptionalField(key: "status_reason_sealed") var statusReasonSealed: String?
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}
