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
    /// `EmailDeliveryState`'s raw value; nil: no e-mail for this one (no address, inbox chosen, or no SMTP server).
    @OptionalField(key: "email_state") var emailState: String?
    @OptionalField(key: "email_attempts") var emailAttempts: Int?
    @OptionalField(key: "email_next_at") var emailNextAt: Date?
    @OptionalField(key: "email_lease_owner") var emailLeaseOwner: String?
    @OptionalField(key: "email_lease_until") var emailLeaseUntil: Date?
    @OptionalField(key: "email_sent_at") var emailSentAt: Date?
    @OptionalField(key: "email_error") var emailError: String?

    init() {}
}

/// A user's choice of channel for one kind of notification (no row: `NotificationChannel.default`).
final class NotificationPreferenceRecord: Model, @unchecked Sendable {
    static let schema = "notification_preferences"

    final class IDValue: Fields, Hashable, @unchecked Sendable {
        @Field(key: "user_id") var userID: UUID
        @Field(key: "kind") var kind: String

        init() {}
        init(userID: UUID, kind: String) {
            self.userID = userID
            self.kind = kind
        }
        static func == (a: IDValue, b: IDValue) -> Bool { a.userID == b.userID && a.kind == b.kind }
        func hash(into h: inout Hasher) {
            h.combine(userID)
            h.combine(kind)
        }
    }

    @CompositeID var id: IDValue?
    /// `NotificationChannel`'s raw value.
    @Field(key: "channel") var channel: String

    init() {}
}
