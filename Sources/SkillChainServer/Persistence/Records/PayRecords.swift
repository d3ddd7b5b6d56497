import Fluent
import Foundation

final class PayGridRecord: Model, UpdateStamped, @unchecked Sendable {
    static let schema = "pay_grids"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "bands") var bands: String
    @OptionalField(key: "middle_manager_pay") var middleManagerPay: Int?
    @OptionalField(key: "senior_manager_pay") var seniorManagerPay: Int?
    @OptionalField(key: "updated_at") var updatedAt: Date?

    init() {}
}

/// A saved pay grid, kept when a newer one replaces it (`pay_grids` holds the current one).
final class PayGridVersionRecord: Model, @unchecked Sendable {
    static let schema = "pay_grid_versions"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "version") var version: Int
    @Field(key: "bands") var bands: String
    @OptionalField(key: "middle_manager_pay") var middleManagerPay: Int?
    @OptionalField(key: "senior_manager_pay") var seniorManagerPay: Int?
    @Field(key: "saved_at") var savedAt: Date
    @OptionalField(key: "saved_by") var savedBy: UUID?

    init() {}
}

final class PayRecordRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "pay_records"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @OptionalField(key: "person_id") var personID: UUID?
    @Field(key: "citizen_id_index") var citizenIDIndex: String
    @Field(key: "month") var month: String
    @Field(key: "monthly_pay") var monthlyPay: Int
    @Field(key: "post") var post: String
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}
