import Fluent
import Foundation
import SkillChainCore
import Vapor

/// `skillchain retention run [--dry-run]`: for each organization with a retention period, erases the name, phone and
/// ID number (sealed values, blind index and masks) of the people Core `Retention` says are due, one organization per
/// transaction with an audit entry per person; the rows stay (archived, marked erased) so counts and the audit log
/// keep their meaning.
enum RetentionService {
    struct OrganizationReport: Sendable {
        let organization: String
        let due: Int
        let erased: Int
    }

    static func facts(_ p: PersonRecord, on db: any Database) async throws -> RetentionFacts {
        let id = p.id!
        var last = p.createdAt ?? Date(timeIntervalSince1970: 0)
        func later(_ d: Date?) { if let d, d > last { last = d } }
        let enrollments = try await EnrollmentRecord.query(on: db).filter(\.$personID == id).all()
        enrollments.forEach { later($0.createdAt) }
        let registrations = try await RegistrationRecord.query(on: db).filter(\.$personID == id).all()
        registrations.forEach { later($0.createdAt) }
        let invitations = try await InvitationRecord.query(on: db).filter(\.$personID == id).all()
        invitations.forEach { later($0.answeredAt ?? $0.createdAt) }
        try await PlacementRecord.query(on: db).filter(\.$personID == id).all().forEach { later($0.createdAt) }
        let corrections = try await CorrectionRequestRecord.query(on: db).filter(\.$personID == id).all()
        corrections.forEach { later($0.decidedAt ?? $0.createdAt) }
        if let entry = try await AuditEventRecord.query(on: db).filter(\.$objectType == "person").filter(\.$objectID == id.uuidString.lowercased())
            .sort(\.$sequence, .descending).first()
        {
            later(Date(timeIntervalSince1970: Double(entry.occurredAtMillis) / 1000))
        }
        let batches = try await EvaluationBatchRecord.query(on: db).filter(\.$id ~~ Set(registrations.map(\.batchID))).all()
        let open =
            enrollments.contains { EnrollmentStatus(rawValue: $0.status).map { $0 == .applied || $0 == .enrolled } ?? false }
            || batches.contains { $0.status != BatchStatus.final.rawValue && $0.status != BatchStatus.archived.rawValue }
            || invitations.contains { $0.status == "invited" || $0.status == "accepted" }
            || corrections.contains { $0.status == CorrectionStatus.open.rawValue }
        let certified = try await CertificateRecord.query(on: db).filter(\.$citizenIDIndex == p.citizenIDIndex).count() > 0
        return RetentionFacts(lastActivity: Day(last), hasCertificate: certified, hasOpenRecord: open)
    }

    static func run(app: Application, dryRun: Bool, now: Date = Date()) async throws -> [OrganizationReport] {
        let today = Day(now)
        var reports: [OrganizationReport] = []
        for org in try await OrganizationRecord.query(on: app.db).filter(\.$retentionDays != nil).sort(\.$name).all() {
            var due: [UUID] = []
            for p in try await PersonRecord.query(on: app.db).filter(\.$organizationID == org.id!).filter(\.$erasedAt == nil).all()
            where Retention.isDue(try await facts(p, on: app.db), retentionDays: org.retentionDays, today: today) {
                due.append(p.id!)
            }
            if !dryRun && !due.isEmpty {
                let ids = due
                try await app.write { db in
                    for p in try await PersonRecord.query(on: db).filter(\.$id ~~ ids).all() {
                        p.name = Retention.erasedMark
                        p.citizenIDSealed = ""
                        p.citizenIDIndex = "erased:" + p.id!.uuidString.lowercased()
                        p.citizenIDMasked = Retention.erasedMark
                        p.phoneSealed = ""
                        p.phoneMasked = Retention.erasedMark
                        p.birthDate = String(p.birthDate.prefix(4))
                        p.erasedAt = now
                        p.archivedAt = p.archivedAt ?? now
                        p.version += 1
                        try await p.update(on: db)
                        try await AuditLog.append(
                            .init(
                                action: "person.erased", objectType: "person", objectID: p.id!.uuidString.lowercased(),
                                detail: ["retentionDays": String(org.retentionDays ?? 0)]), actor: nil, on: db, now: now)
                    }
                }
            }
            reports.append(.init(organization: org.name, due: due.count, erased: dryRun ? 0 : due.count))
        }
        return reports
    }
}

/// `skillchain retention run [--dry-run]`.
struct RetentionCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "run") var action: String
        @Flag(name: "dry-run", help: "only count who is due") var dryRun: Bool
    }
    var help: String { "Erases personal data kept past each organization's retention period (people with nothing open and no certificate)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "run" else { throw CLIError(message: "unknown action \(signature.action); use: retention run [--dry-run]") }
        let reports = try await RetentionService.run(app: context.application, dryRun: signature.dryRun)
        if reports.isEmpty {
            context.console.print("No organization has a retention period set.")
            return
        }
        for r in reports {
            context.console.print(
                signature.dryRun ? "\(r.organization): \(r.due) due (dry run, nothing erased)" : "\(r.organization): \(r.erased) erased")
        }
    }
}
