import Fluent
import Foundation
import SkillChainCore
import Vapor

/// The daily check (issue 18): approved filings that lapse within 60 days and signing keys due for rotation within 60
/// days are told to the body's admins, once each (a notification of the same kind, link and arguments is not written
/// again).
struct ExpiryCheck: Sendable {
    let app: Application

    /// Writes what is due today; answers how many notifications it wrote.
    @discardableResult
    func run() async throws -> Int {
        let today = app.today
        return try await app.write { db in
            var drafts: [NotificationDraft] = []
            let store = NotificationStore(db)
            let filings = try await EvaluationFilingRecord.query(on: db).filter(\.$status == FilingStatus.approved.rawValue).all()
            for f in filings {
                guard let until = Day(f.validUntil), ExpiryWarning.filingDue(until: until, today: today) else { continue }
                let name = try await OrganizationRecord.find(f.organizationID, on: db)?.name ?? ""
                drafts += NotificationDraft.each(
                    .filingExpiring, to: try await store.admins(of: f.organizationID), args: [name, until.description],
                    link: SiteURL.evaluationBody(f.id!).path)
            }
            for key in try await app.dependencies.signingKeys.history(nil, on: db) where key.retiredAt == nil {
                guard let created = key.createdAt.map({ Day($0) }), ExpiryWarning.keyDue(created: created, today: today) else { continue }
                let name = try await OrganizationRecord.find(key.organizationID, on: db)?.name ?? ""
                drafts += NotificationDraft.each(
                    .signingKeyExpiring, to: try await store.admins(of: key.organizationID),
                    args: [name, ExpiryWarning.keyRotationDay(created: created).description], link: SiteURL.certificatesKeys.path)
            }
            let fresh = try await store.notYetWritten(drafts)
            try await NotificationService(app).notify(fresh, on: db)
            return fresh.count
        }
    }

    /// The check while serving: at start, then once a day.
    func start() -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                do { try await run() } catch {
                    app.logger.error("daily expiry check failed", metadata: ["error": .string(String(describing: error))])
                }
                try? await Task.sleep(nanoseconds: 24 * 3600 * 1_000_000_000)
            }
        }
    }
}
