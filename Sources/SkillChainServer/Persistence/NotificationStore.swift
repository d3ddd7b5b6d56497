import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The SQL of the inbox: writing drafts inside the caller's transaction, a user's page of notifications, the unread
/// count the bell shows, marking read, and who receives a kind of notification.
struct NotificationStore {
    let db: any Database

    init(_ db: any Database) { self.db = db }

    /// Writes one row per draft (inside the caller's transaction, so a change that rolls back notifies nobody). With
    /// `email`, a recipient who gave an address also gets the row queued for e-mail: at once, or in the next daily
    /// digest, as they chose for that kind.
    func insert(_ drafts: [NotificationDraft], now: Date, ids: () -> UUID, email: Bool) async throws {
        let channels = email ? try await emailChannels(of: Set(drafts.map(\.recipient))) : [:]
        let encoder = JSONEncoder()
        // One multi-row INSERT per few thousand: a batch finalization may tell ten thousand candidates at once.
        let rows: [[BulkValue]] = try drafts.map { d in
            var state: EmailDeliveryState?
            var next: Date?
            switch channels[d.recipient]?[d.kind] ?? (channels[d.recipient] == nil ? .inbox : .default) {
            case .inbox: break
            case .email: (state, next) = (.pending, now)
            case .digest: (state, next) = (.digest, DigestSchedule.next(after: now))
            }
            return [
                .uuid(ids()), .uuid(d.recipient), .text(d.kind.rawValue), .text(String(decoding: try encoder.encode(d.args), as: UTF8.self)),
                .text(d.link), .date(now), .optional(state?.rawValue), state == nil ? .null : .int(0), next.map(BulkValue.date) ?? .null,
            ]
        }
        try await BulkInsert.run(
            NotificationRecord.schema,
            columns: ["id", "user_id", "kind", "args", "link", "created_at", "email_state", "email_attempts", "email_next_at"], rows: rows, on: db)
    }

    /// For each of `users` who gave an e-mail address, the channels they chose (a kind not chosen: the default).
    func emailChannels(of users: Set<UUID>) async throws -> [UUID: [NotificationKind: NotificationChannel]] {
        guard !users.isEmpty else { return [:] }
        let withAddress = try await UserRecord.query(on: db).filter(\.$id ~~ users).filter(\.$email != nil).all().compactMap(\.id)
        var out = Dictionary(uniqueKeysWithValues: withAddress.map { ($0, [NotificationKind: NotificationChannel]()) })
        for p in try await NotificationPreferenceRecord.query(on: db).filter(\.$id.$userID ~~ withAddress).all() {
            guard let id = p.id, let kind = NotificationKind(rawValue: id.kind), let channel = NotificationChannel(rawValue: p.channel) else {
                continue
            }
            out[id.userID]?[kind] = channel
        }
        return out
    }

    /// A user's chosen channel per kind (a kind not chosen: the default).
    func preferences(of user: UUID) async throws -> [NotificationKind: NotificationChannel] {
        var out = Dictionary(uniqueKeysWithValues: NotificationKind.allCases.map { ($0, NotificationChannel.default) })
        for p in try await NotificationPreferenceRecord.query(on: db).filter(\.$id.$userID == user).all() {
            if let id = p.id, let kind = NotificationKind(rawValue: id.kind), let channel = NotificationChannel(rawValue: p.channel) {
                out[kind] = channel
            }
        }
        return out
    }

    /// Replaces a user's choices (kinds left at the default keep no row).
    func setPreferences(of user: UUID, _ choices: [NotificationKind: NotificationChannel]) async throws {
        try await NotificationPreferenceRecord.query(on: db).filter(\.$id.$userID == user).delete()
        for (kind, channel) in choices where channel != .default {
            let p = NotificationPreferenceRecord()
            p.id = .init(userID: user, kind: kind.rawValue)
            p.channel = channel.rawValue
            try await p.create(on: db)
        }
    }

    /// A user's notifications, newest first, `limit` after the cursor (the id of the last one seen). The cursor's time is
    /// compared in SQL with the stored value itself: a `Date` read back and bound again can differ in its last digit.
    func page(of user: UUID, after cursor: UUID?, limit: Int) async throws -> [NotificationRecord] {
        guard let sql = db as? any SQLDatabase else { return [] }
        var query: SQLQueryString = "SELECT id FROM notifications WHERE user_id = \(bind: user)"
        if let cursor {
            let at: SQLQueryString = "(SELECT created_at FROM notifications WHERE id = \(bind: cursor) AND user_id = \(bind: user))"
            query.appendInterpolation(" AND (created_at < \(at) OR (created_at = \(at) AND id < \(bind: cursor)))" as SQLQueryString)
        }
        query.appendInterpolation(unsafeRaw: " ORDER BY created_at DESC, id DESC LIMIT \(limit)")
        let ids = try await sql.raw(query).all().map { try $0.decode(column: "id", as: UUID.self) }
        let rows = Dictionary(uniqueKeysWithValues: try await NotificationRecord.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) })
        return ids.compactMap { rows[$0] }
    }

    func unreadCount(of user: UUID) async throws -> Int {
        try await NotificationRecord.query(on: db).filter(\.$userID == user).filter(\.$readAt == nil).count()
    }

    /// Marks one of the user's notifications read and returns it; nil when it is not theirs (or does not exist).
    func markRead(_ id: UUID, of user: UUID, at now: Date) async throws -> NotificationRecord? {
        guard let r = try await NotificationRecord.query(on: db).filter(\.$id == id).filter(\.$userID == user).first() else { return nil }
        if r.readAt == nil {
            r.readAt = now
            try await r.update(on: db)
        }
        return r
    }

    func markAllRead(of user: UUID, at now: Date) async throws {
        try await NotificationRecord.query(on: db).filter(\.$userID == user).filter(\.$readAt == nil).set(\.$readAt, to: now).update()
    }

    // MARK: Recipients

    /// The active users acting for `organization` in one of `roles`.
    func users(of organization: UUID, roles: Set<Role>) async throws -> [UUID] {
        try await MembershipRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$deactivatedAt == nil)
            .filter(\.$role ~~ roles.map(\.rawValue)).sort(\.$userID).all().map(\.userID)
    }

    /// The active users who are this person (any of their person records, matched by the blind index of their ID).
    func users(holding citizenIDIndex: String) async throws -> [UUID] {
        let people = try await PersonRecord.query(on: db).filter(\.$citizenIDIndex == citizenIDIndex).all().compactMap(\.id)
        guard !people.isEmpty else { return [] }
        return try await UserRecord.query(on: db).filter(\.$personID ~~ people).filter(\.$isActive == true).sort(\.$id).all().compactMap(\.id)
    }
}
