import Fluent
import Foundation

/// One notification in a user's inbox, written in the same transaction as the change it tells of.
final class NotificationRecord: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    /// `NotificationKind`'s raw value.
    @Field(key: "kind") var kind: String
    /// The catalog text's arguments, a JSON array of strings.
    @Field(key: "args") var args: String
    @Field(key: "link") var link: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}
}
