import Fluent
import Foundation

/// A person. The citizen ID is kept only sealed (AES-GCM) and as an HMAC blind index.
final class PersonRecord: Model, @unchecked Sendable {
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
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}
