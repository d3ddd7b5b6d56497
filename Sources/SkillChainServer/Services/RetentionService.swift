import Fluent
import Foundation
import SkillChainCore
import Vapor

/// `skillchain retention run [--dry-run]`: for each organization with a retention period, erases the name, phone and
/// ID number (sealed values, blind index and masks) of the people Core `Retention` says are due, one organization per
/// transaction with an audit entry per person; the rows stay (archived, marked erased) so counts and the audit log
/// keep their meaning.
struct RetentionService {
    let app: Application

    init(_ app: Application) { self.app = app }

    struct OrganizationReport: Sendable {
        let organization: String
        let due: Int
        let erased: Int
    }

    /// The retention facts of a set of people, read with one query per kind of record (not one per person).
    static func facts(_ people: [PersonRecord], on db: any Database) async throws -> [UUID: RetentionFacts] {
        let ids = people.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        var last: [UUID: Date] = [:]
        var open: Set<UUID> = []
        func later(_ id: UUID, _ d: Date?) { if let d, d > (last[id] ?? .distantPast) { last[id] = d } }
        for e in try await EnrollmentRecord.query(on: db).filter(\.$personID ~~ ids).all() {
            later(e.personID, e.createdAt)
            if EnrollmentStatus(rawValue: e.status).map({ $0 == .applied || $0 == .enrolled }) ?? false { open.insert(e.personID) }
        }
        let registrations = try await RegistrationRecord.query(on: db).filter(\.$personID ~~ ids).all()
        let closed = [BatchStatus.final.rawValue, BatchStatus.archived.rawValue]
        let openBatches = Set(
            try await EvaluationBatchRecord.query(on: db).filter(\.$id ~~ Set(registrations.map(\.batchID)))
                .filter(\.$status !~ closed).all().compactMap(\.id))
        for r in registrations {
            later(r.personID, r.createdAt)
            if openBatches.contains(r.batchID) { open.insert(r.personID) }
        }
        for i in try await InvitationRecord.query(on: db).filter(\.$personID ~~ ids).all() {
            later(i.personID, i.answeredAt ?? i.createdAt)
            if InvitationStatus(rawValue: i.status)?.isOpen == true { open.insert(i.personID) }
        }
        for p in try await PlacementRecord.query(on: db).filter(\.$personID ~~ ids).all() { later(p.personID, p.createdAt) }
        for c in try await CorrectionRequestRecord.query(on: db).filter(\.$personID ~~ ids).all() {
            later(c.personID, c.decidedAt ?? c.createdAt)
            if c.status == CorrectionStatus.open.rawValue { open.insert(c.personID) }
        }
        let keys = ids.map { $0.uuidString.lowercased() }
        for e in try await AuditEventRecord.query(on: db).filter(\.$objectType == "person").filter(\.$objectID ~~ keys).all() {
            if let id = e.objectID.flatMap(UUID.init(uuidString:)) { later(id, Date(timeIntervalSince1970: Double(e.occurredAtMillis) / 1000)) }
        }
        let certified = try await CertificateStore(db).holders(among: people.map(\.citizenIDIndex))
        return Dictionary(
            uniqueKeysWithValues: people.compactMap { p in
                p.id.map { id in
                    (
                        id,
                        RetentionFacts(
                            lastActivity: Day(max(last[id] ?? .distantPast, p.createdAt ?? .distantPast)),
                            hasCertificate: certified.contains(p.citizenIDIndex), hasOpenRecord: open.contains(id))
                    )
                }
            })
    }

    func run(dryRun: Bool, now: Date? = nil) async throws -> [OrganizationReport] {
        let now = now ?? app.now
        let today = Day(now)
        var reports: [OrganizationReport] = []
        for org in try await OrganizationRecord.query(on: app.db).filter(\.$retentionDays != nil).sort(\.$name).all() {
            let people = try await PersonRecord.query(on: app.db).filter(\.$organizationID == org.id!).filter(\.$erasedAt == nil).all()
            let facts = try await Self.facts(people, on: app.db)
            let due = people.compactMap(\.id).filter { id in
                facts[id].map { Retention.isDue($0, retentionDays: org.retentionDays, today: today) } ?? false
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
        let reports = try await RetentionService(context.application).run(dryRun: signature.dryRun)
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
