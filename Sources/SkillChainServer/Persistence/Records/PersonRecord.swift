import Fluent
import Foundation

/// A person. The citizen ID is kept only sealed (AES-GCM) and as an HMAC blind index.
final class PersonRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "people"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "name") var name: String
    @Field(key: "citizen_id_sealed") var citizenIDSealed: String
    @Field(key: "citizen_id_index") var citizenIDIndex: String
    @Field(key: "citizen_id_masked") var citizenIDMasked: String
    @Field(key: "sex") var sex: String
    @Field(key: "birth_date") var birthDate: String
    @Field(key: "phone_sealed") var phoneSealed: String
    @Field(key: "phone_masked") var phoneMasked: String
    @Field(key: "education") var education: String
    @Field(key: "category") var category: String
    @OptionalField(key: "created_at") var createdAt: Date?
    /// Bumped by every edit; served as the `ETag`.
    @Field(key: "version") var version: Int
    @OptionalField(key: "archived_at") var archivedAt: Date?
    /// Set when the retention rule erased the name, phone and ID number (the row stays for counts and the audit log).
    @OptionalField(key: "erased_at") var erasedAt: Date?

    init() {}
}

/// A person's request to correct a field of what an organization holds about them (PIPL art. 46); the organization
/// accepts (and the record is edited) or refuses with a reason.
final class CorrectionRequestRecord: Model, @unchecked Sendable {
    static let schema = "correction_requests"

    @ID(key: .id) var id: UUID?
    @Field(key: "person_id") var personID: UUID
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "requested_by") var requestedBy: UUID
    @Field(key: "field") var field: String
    /// The value asked for, sealed (it may be a name or a phone number).
    @Field(key: "requested_value_sealed") var requestedValueSealed: String
    @OptionalField(key: "explanation") var explanation: String?
    @Field(key: "status") var status: String
    @OptionalField(key: "decision_reason") var decisionReason: String?
    @OptionalField(key: "decided_by") var decidedBy: UUID?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "decided_at") var decidedAt: Date?

    init() {}
}
