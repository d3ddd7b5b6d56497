import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Who is told of a hand-over, and the notification written in the same transaction as the change (issue 18). The
/// services call it inside their `app.write`; the inbox reads what it wrote.
struct NotificationService {
    let app: Application

    init(_ app: Application) { self.app = app }

    func notify(_ drafts: [NotificationDraft], on db: any Database) async throws {
        guard !drafts.isEmpty else { return }
        try await NotificationStore(db).insert(drafts, now: app.now, ids: { app.random.uuid() }, email: app.dependencies.mailer != nil)
    }

    /// An agreement sent goes to the party that signs next (the partner school's admins, or the apprentice and, for a
    /// student, their school's admins); one returned or approved goes back to the lead enterprise's admins.
    static func agreementDrafts(_ a: AgreementRecord, event: AgreementStatus.Event, in d: ProgramDetail, on db: any Database) async throws
        -> [NotificationDraft]
    {
        let store = NotificationStore(db)
        let link = SiteURL.program(d.program.id!).path
        let en = d.enrollments.first { $0.record.id == a.enrollmentID }
        // A training agreement names its apprentice (several of a school's students may wait at once).
        let args = [en.map { "\(d.program.name) · \($0.person.name)" } ?? d.program.name]
        switch event {
        case .send:
            var recipients: [UUID] = []
            if let school = a.counterpartyOrganizationID {
                recipients += try await store.users(of: school, roles: [.schoolAdmin])
            } else if let en {
                recipients += try await store.users(holding: en.person.citizenIDIndex)
                recipients += try await store.users(of: en.person.organizationID, roles: [.schoolAdmin])
            }
            return NotificationDraft.each(.agreementSent, to: recipients, args: args, link: link)
        case .sendBack, .approve:
            let admins = try await store.users(of: d.program.leadOrganizationID, roles: [.enterpriseAdmin])
            return NotificationDraft.each(event == .approve ? .agreementApproved : .agreementReturned, to: admins, args: args, link: link)
        }
    }

    /// The candidate is told of an invitation (on the talent-pool page, where they answer); the employer's admins of the
    /// answer (on the placements page, where a placement is recorded).
    static func invitationDrafts(_ r: InvitationRecord, positionTitle: String, on db: any Database) async throws -> [NotificationDraft] {
        let store = NotificationStore(db)
        switch InvitationStatus(rawValue: r.status) {
        case .invited:
            let employer = try await OrganizationRecord.find(r.organizationID, on: db)?.name ?? ""
            return NotificationDraft.each(
                .invitationReceived, to: try await store.users(holding: r.citizenIDIndex), args: [employer, positionTitle],
                link: SiteURL.talentPool.path)
        case .accepted, .declined:
            return NotificationDraft.each(
                r.status == InvitationStatus.accepted.rawValue ? .invitationAccepted : .invitationDeclined,
                to: try await store.users(of: r.organizationID, roles: [.enterpriseAdmin]), args: [positionTitle],
                link: SiteURL.placements.path)
        case nil:
            return []
        }
    }

    /// A certificate's holder is told when it is suspended, revoked or reinstated.
    static func certificateDrafts(_ c: CertificateRecord, now status: CertificateStatus, on db: any Database) async throws -> [NotificationDraft] {
        let kind: NotificationKind =
            switch status {
            case .suspended: .certificateSuspended
            case .revoked: .certificateRevoked
            case .valid: .certificateReinstated
            }
        let holders = try await NotificationStore(db).users(holding: c.citizenIDIndex)
        return NotificationDraft.each(kind, to: holders, args: [c.number], link: SiteURL.certificates.path)
    }
}

/// A user's e-mail address, the language of their e-mails and their channel per kind of event.
struct NotificationSettingsInput: Content, Sendable {
    var email: String?
    var locale: String?
    /// Kind → `NotificationChannel` raw value.
    var channels: [String: String]?
}

extension NotificationService {
    struct Settings: Sendable {
        let email: String?
        let locale: AppLocale
        let channels: [NotificationKind: NotificationChannel]
        /// Whether this platform sends e-mail at all (`SKILLCHAIN_SMTP_URL`).
        let mailConfigured: Bool
    }

    func settings(of user: UUID) async throws -> Settings {
        guard let u = try await UserRecord.find(user, on: app.db) else { throw DomainError.notFound }
        return Settings(
            email: u.email, locale: u.locale.flatMap(AppLocale.init(tag:)) ?? .default,
            channels: try await NotificationStore(app.db).preferences(of: user), mailConfigured: app.dependencies.mailer != nil)
    }

    /// Saves the settings whole or not at all; an empty address means the inbox only.
    func saveSettings(_ input: NotificationSettingsInput, actor: Actor) async throws {
        var v = Validator()
        var email: String?
        let raw = (input.email ?? "").trimmingCharacters(in: .whitespaces)
        if !raw.isEmpty {
            do { email = try EmailAddress.normalise(raw) } catch { v.add("email", error.rawValue) }
        }
        let locale = AppLocale(tag: input.locale ?? "")
        if locale == nil { v.add("locale", "field.invalidChoice") }
        var channels: [NotificationKind: NotificationChannel] = [:]
        for (key, value) in input.channels ?? [:] {
            guard let kind = NotificationKind(rawValue: key) else { continue }
            if let channel = NotificationChannel(rawValue: value) { channels[kind] = channel } else { v.add("channels", "field.invalidChoice") }
        }
        try v.check()
        let (address, chosen) = (email, channels)
        try await app.write { db in
            guard let row = try await UserRecord.find(actor.userID, on: db) else { throw DomainError.notFound }
            row.email = address
            row.locale = locale?.rawValue
            try await row.update(on: db)
            try await NotificationStore(db).setPreferences(of: actor.userID, chosen)
            // The address itself stays out of the audit log.
            try await AuditLog.append(
                .init(action: "account.notificationSettingsChanged", objectType: "user", objectID: actor.userID.uuidString.lowercased()),
                actor: actor, on: db, now: app.now)
        }
    }
}
