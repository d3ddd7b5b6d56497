import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Existing certificates (issued before the platform, on paper or in another system) imported by their body: each
/// row is checked (Core's `LegacyCertificateImport`) and against the registry and the platform, then every one is
/// signed like an issued certificate and written with its status entries and audit entry — all rows or none.
struct CertificateImportService {
    let app: Application

    init(_ app: Application) { self.app = app }

    struct Outcome: Sendable {
        let imported: Int
        let errors: [RosterError]
    }

    func run(_ bytes: [UInt8], actor: Actor, today: Day? = nil) async throws -> Outcome {
        let today = today ?? app.today
        try actor.require(.manageCertificates, actor.scope(owner: actor.organizationID))
        let text: String
        do { text = try TextDecoding.decode(bytes).text } catch {
            return Outcome(imported: 0, errors: [RosterError(line: 0, column: "", code: error.rawValue)])
        }
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parse(text) } catch {
            guard case .unterminatedQuote(let line) = error else { throw error }
            return Outcome(imported: 0, errors: [RosterError(line: line, column: "", code: "import.unterminatedQuote")])
        }
        let catalog = OccupationCatalog.edition2022
        let checked = LegacyCertificateImport.validate(
            records, knownOccupation: { catalog.occupation($0) != nil }, today: today,
            vocabulary: ImportVocabulary(localizer: app.localizer))
        // Rows that passed the cell checks are also checked against the registry, so one pass names every problem.
        guard !checked.rows.isEmpty else { return Outcome(imported: 0, errors: checked.errors) }
        let org = actor.organizationID
        guard let organization = try await OrganizationRecord.find(org, on: app.db) else { throw DomainError.notFound }
        // Against the registry and the platform.
        let indexes = checked.rows.map { app.personalData.blindIndex($0.citizenID.value) }
        let people = try await PersonRecord.query(on: app.db).filter(\.$organizationID == org).filter(\.$citizenIDIndex ~~ Set(indexes)).all()
        var personByIndex: [String: PersonRecord] = [:]
        for p in people where personByIndex[p.citizenIDIndex] == nil { personByIndex[p.citizenIDIndex] = p }
        let taken = try await CertificateStore(app.db).existing(numbers: checked.rows.map(\.number.value))
        let held = try await CertificateStore(app.db).heldLevels(issuedBy: org)
        var errors: [RosterError] = checked.errors
        var items: [CertificateService.IssueItem] = []
        for (row, index) in zip(checked.rows, indexes) {
            var rowErrors: [RosterError] = []
            let person = personByIndex[index]
            if person == nil { rowErrors.append(RosterError(line: row.line, column: "citizenId", code: "certificateImport.holderNotInRegistry")) }
            if let person, person.name != row.name {
                rowErrors.append(RosterError(line: row.line, column: "name", code: "certificateImport.nameMismatch", args: [person.name]))
            }
            if taken.contains(row.number.value) {
                rowErrors.append(RosterError(line: row.line, column: "number", code: "certificateImport.numberExists"))
            }
            if held.contains("\(index)|\(row.occupationCode)|\(row.level.rawValue)") {
                rowErrors.append(RosterError(line: row.line, column: "level", code: "certificateImport.alreadyCertified"))
            }
            errors += rowErrors
            guard rowErrors.isEmpty, let person, let occupation = catalog.occupation(row.occupationCode) else { continue }
            var item = CertificateService.IssueItem(
                registrationID: nil, batchID: nil, personID: person.id!, name: person.name, citizenIDSealed: person.citizenIDSealed,
                citizenIDIndex: index, citizenIDMasked: person.citizenIDMasked, occupationCode: row.occupationCode, occupationName: occupation.name,
                occupationEdition: occupation.edition, workType: row.workType, level: row.level, issued: row.issued, scores: [:], standardName: nil)
            item.number = row.number
            items.append(item)
        }
        guard errors.isEmpty else { return Outcome(imported: 0, errors: errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }) }
        let signer = try await CertificateService(app).signer(org, name: organization.name)
        let numbers = items.compactMap { $0.number?.value }
        let count = items.count
        for attempt in 1...3 {
            let used = try await CertificateStore(app.db).usedIndexes(org)
            let allocated = try CertificateService.allocate(items, used: used, random: app.random)
            let built = try await CertificateService.build(
                allocated, signer: signer, action: "certificate.imported", cipher: app.personalData,
                now: app.now, random: app.random)
            do {
                try await app.write { db in
                    guard try await CertificateStore(db).usedIndexes(org) == used else { throw CertificateService.StaleIssue() }
                    guard try await CertificateStore(db).existing(numbers: numbers).isEmpty else {
                        throw DomainError.conflict(code: "certificateImport.numberExists")
                    }
                    try await CertificateStore(db).insert(built.rows)
                    try await TransparencyLog.append(TransparencyLog.certificateEntries(built.rows, .imported, app: app, now: app.now), on: db)
                    try await AuditLog.appendAll(built.events, actor: actor, on: db, now: app.now)
                    try await AuditLog.append(
                        .init(
                            action: "certificates.imported", objectType: "organization", objectID: org.uuidString.lowercased(),
                            detail: ["rows": String(count)]), actor: actor, on: db, now: app.now)
                }
                return Outcome(imported: count, errors: [])
            } catch is CertificateService.StaleIssue where attempt < 3 { continue }
        }
        throw DomainError.changedMeanwhile
    }
}
