import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The SQL of the e-mail outbox: which notifications wait for delivery, claiming some under a lease so that two workers
/// (two instances on one PostgreSQL) never take the same row, and what came of each delivery.
struct EmailOutboxStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    /// One claimed notification with what its e-mail needs from its recipient.
    struct Due: Sendable {
        let id: UUID
        let userID: UUID
        let kind: NotificationKind
        let args: [String]
        let link: String
        let state: EmailDeliveryState
        let attempts: Int
        let email: String?
        let locale: AppLocale
        let displayName: String
    }

    private var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Leases up to `limit` due messages (and every due digest line) to `owner` (a name new for each round) until
    /// `until`, counting an attempt for each. A row leased by a worker that died is taken again once its lease has passed.
    func claim(owner: String, now: Date, until: Date, limit: Int) async throws -> [Due] {
        let lockClause = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        let free: SQLQueryString = "(email_lease_until IS NULL OR email_lease_until < \(bind: now)) AND email_next_at <= \(bind: now)"
        for (state, cap) in [(EmailDeliveryState.pending, "LIMIT \(limit)"), (.digest, "")] {
            // The rows are picked once, in a CTE (PostgreSQL evaluates a locking CTE once; a LIMIT subquery inside the
            // UPDATE's WHERE may run again per row), and the outer WHERE checks them again as they are now.
            var q: SQLQueryString = "WITH picked AS (SELECT id FROM notifications WHERE email_state = \(bind: state.rawValue) AND "
            q.appendInterpolation(free)
            q.appendInterpolation(unsafeRaw: " ORDER BY email_next_at, id \(cap)\(lockClause)) ")
            q.appendInterpolation(
                "UPDATE notifications SET email_lease_owner = \(bind: owner), email_lease_until = \(bind: until), " as SQLQueryString)
            q.appendInterpolation("email_attempts = COALESCE(email_attempts, 0) + 1 WHERE id IN (SELECT id FROM picked) AND " as SQLQueryString)
            q.appendInterpolation("email_state = \(bind: state.rawValue) AND " as SQLQueryString)
            q.appendInterpolation(free)
            try await sql.raw(q).run()
        }
        let rows = try await sql.raw(
            """
            SELECT n.id, n.user_id, n.kind, n.args, n.link, n.email_state, n.email_attempts, u.email, u.locale, u.display_name
            FROM notifications n JOIN users u ON u.id = n.user_id
            WHERE n.email_lease_owner = \(bind: owner) AND n.email_state IN ('pending', 'digest')
            ORDER BY n.email_next_at, n.id
            """
        ).all()
        return try rows.compactMap { r in
            guard let kind = NotificationKind(rawValue: try r.decode(column: "kind", as: String.self)),
                let state = EmailDeliveryState(rawValue: try r.decode(column: "email_state", as: String.self))
            else { return nil }
            return Due(
                id: try r.decode(column: "id", as: UUID.self), userID: try r.decode(column: "user_id", as: UUID.self), kind: kind,
                args: (try? JSONDecoder().decode([String].self, from: Data(try r.decode(column: "args", as: String.self).utf8))) ?? [],
                link: try r.decode(column: "link", as: String.self), state: state,
                attempts: try r.decode(column: "email_attempts", as: Int?.self) ?? 1, email: try r.decode(column: "email", as: String?.self),
                locale: AppLocale(tag: try r.decode(column: "locale", as: String?.self) ?? "") ?? .default,
                displayName: try r.decode(column: "display_name", as: String.self))
        }
    }

    /// Accepted by the server: `sent` (or `digested`, for the lines of a digest). Only rows still leased to `owner`.
    func markSent(_ ids: [UUID], owner: String, now: Date) async throws {
        guard !ids.isEmpty else { return }
        try await sql.raw(
            """
            UPDATE notifications SET email_state = CASE email_state WHEN 'digest' THEN 'digested' ELSE 'sent' END,
            email_sent_at = \(bind: now), email_lease_owner = NULL, email_lease_until = NULL, email_error = NULL
            WHERE id IN (\(binds: ids)) AND email_lease_owner = \(bind: owner)
            """
        ).run()
    }

    /// Not accepted this time: waits until `next` (keeping its state, so a digest line stays one).
    func markRetry(_ ids: [UUID], owner: String, next: Date, error: String) async throws {
        guard !ids.isEmpty else { return }
        try await sql.raw(
            """
            UPDATE notifications SET email_next_at = \(bind: next), email_error = \(bind: String(error.prefix(500))),
            email_lease_owner = NULL, email_lease_until = NULL WHERE id IN (\(binds: ids)) AND email_lease_owner = \(bind: owner)
            """
        ).run()
    }

    /// Given up: shown to the platform admin, who may send it again.
    func markFailed(_ ids: [UUID], owner: String, error: String) async throws {
        guard !ids.isEmpty else { return }
        try await sql.raw(
            """
            UPDATE notifications SET email_state = \(bind: EmailDeliveryState.failed.rawValue), email_error = \(bind: String(error.prefix(500))),
            email_lease_owner = NULL, email_lease_until = NULL WHERE id IN (\(binds: ids)) AND email_lease_owner = \(bind: owner)
            """
        ).run()
    }

    /// Not sent in this round after all (its lease is running out): free for the next, without counting an attempt.
    func release(_ ids: [UUID], owner: String) async throws {
        guard !ids.isEmpty else { return }
        try await sql.raw(
            """
            UPDATE notifications SET email_lease_owner = NULL, email_lease_until = NULL, email_attempts = email_attempts - 1
            WHERE id IN (\(binds: ids)) AND email_lease_owner = \(bind: owner)
            """
        ).run()
    }

    /// The recipient removed their address since: the notification stays in the inbox only.
    func dropEmail(_ ids: [UUID], owner: String) async throws {
        guard !ids.isEmpty else { return }
        try await sql.raw(
            """
            UPDATE notifications SET email_state = NULL, email_lease_owner = NULL, email_lease_until = NULL
            WHERE id IN (\(binds: ids)) AND email_lease_owner = \(bind: owner)
            """
        ).run()
    }

    // MARK: For the platform admin

    /// How many notifications stand in each delivery state.
    func counts() async throws -> [EmailDeliveryState: Int] {
        let rows = try await sql.raw(
            "SELECT email_state, COUNT(*) AS n FROM notifications WHERE email_state IS NOT NULL GROUP BY email_state"
        ).all()
        var out: [EmailDeliveryState: Int] = [:]
        for r in rows {
            if let s = EmailDeliveryState(rawValue: try r.decode(column: "email_state", as: String.self)) {
                out[s] = try r.decode(column: "n", as: Int.self)
            }
        }
        return out
    }

    struct Failure: Sendable {
        let id: UUID, username: String, kind: String, attempts: Int, error: String, createdAt: Date
    }

    /// The newest deliveries given up on.
    func failures(limit: Int) async throws -> [Failure] {
        try await sql.raw(
            """
            SELECT n.id, u.username, n.kind, n.email_attempts, n.email_error, n.created_at FROM notifications n
            JOIN users u ON u.id = n.user_id WHERE n.email_state = \(bind: EmailDeliveryState.failed.rawValue)
            ORDER BY n.created_at DESC, n.id DESC LIMIT \(unsafeRaw: String(limit))
            """
        ).all().map { r in
            Failure(
                id: try r.decode(column: "id", as: UUID.self), username: try r.decode(column: "username", as: String.self),
                kind: try r.decode(column: "kind", as: String.self), attempts: try r.decode(column: "email_attempts", as: Int?.self) ?? 0,
                error: try r.decode(column: "email_error", as: String?.self) ?? "", createdAt: try r.decode(column: "created_at", as: Date.self))
        }
    }

    /// Every failed delivery is tried again from now, with its attempts counted afresh. Answers how many.
    func retryFailed(now: Date) async throws -> Int {
        let n =
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM notifications WHERE email_state = \(bind: EmailDeliveryState.failed.rawValue)"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        try await sql.raw(
            """
            UPDATE notifications SET email_state = \(bind: EmailDeliveryState.pending.rawValue), email_attempts = 0,
            email_next_at = \(bind: now), email_error = NULL WHERE email_state = \(bind: EmailDeliveryState.failed.rawValue)
            """
        ).run()
        return n
    }
}
