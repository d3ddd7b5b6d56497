import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Imports a roster file into one organization's people: all rows or none.
struct RosterImportService {
    let app: Application

    init(_ app: Application) { self.app = app }

    struct Outcome: Sendable {
        let imported: Int
        let errors: [RosterError]
        let reportID: UUID?
        let encoding: TextEncoding?
    }

    func run(_ bytes: [UInt8], organizationID: UUID, actor: Actor, now: Date? = nil) async throws -> Outcome {
        let now = now ?? app.now
        let clock = ContinuousClock()
        var timings: [String: Duration] = [:]
        var mark = clock.now
        func lap(_ name: String) {
            let t = clock.now
            timings[name] = t - mark
            mark = t
        }
        let encoding: TextEncoding
        let result: RosterImport.Result
        do {
            // The decoded text and parsed cells are dropped as soon as the rows are validated.
            let text: String
            do { (text, encoding) = try TextDecoding.decode(bytes) } catch {
                return try await failed(
                    [RosterError(line: 1, column: "", code: error.rawValue)], organizationID: organizationID, encoding: nil)
            }
            let records: [(line: Int, fields: [String])]
            do { records = try CSV.parse(text) } catch {
                guard case .unterminatedQuote(let line) = error else { throw error }
                return try await failed(
                    [RosterError(line: line, column: "", code: "import.unterminatedQuote")], organizationID: organizationID, encoding: encoding)
            }
            lap("parse")
            result = RosterImport.validate(records, today: now, vocabulary: ImportVocabulary(localizer: app.localizer))
            lap("validate")
        }
        let cipher = app.personalData
        // Duplicates against people already registered in this organization.
        var errors = result.errors
        let indexes = result.rows.map { cipher.blindIndex($0.citizenID.value) }
        let existing = try await PersonStore(app.db).citizenIDIndexes(of: organizationID)
        for (row, index) in zip(result.rows, indexes) where existing.contains(index) {
            errors.append(RosterError(line: row.line, column: "citizenId", code: "import.duplicateInDatabase"))
        }
        lap("duplicates")
        guard errors.isEmpty, !result.rows.isEmpty else {
            return try await failed(
                errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }, organizationID: organizationID, encoding: encoding)
        }
        let rows = result.rows
        let count = rows.count
        // Seal on every core before taking the write lock; the transaction then only inserts.
        let sealed = try await Self.seal(rows, cipher: cipher)
        lap("seal")
        let ids = rows.map { _ in app.random.uuid() }
        let people = rows.indices.map { i in
            let p = sealed[i]
            return PersonStore.NewPerson(
                id: ids[i], name: rows[i].name, citizenIDSealed: p.citizenIDSealed, citizenIDIndex: indexes[i], citizenIDMasked: p.citizenIDMasked,
                sex: p.sex, birthDate: p.birthDate, phoneSealed: p.phoneSealed, phoneMasked: p.phoneMasked, education: rows[i].education.rawValue,
                category: rows[i].category.rawValue)
        }
        try await app.write { db in
            try await PersonStore(db).insert(people, organizationID: organizationID, now: now)
            try await AuditLog.append(
                .init(
                    action: "people.imported", objectType: "organization", objectID: organizationID.uuidString.lowercased(),
                    detail: ["rows": String(count), "encoding": encoding.rawValue]), actor: actor, on: db, now: now)
        }
        lap("insert")
        // Counts and durations only: never a name or number from the file.
        app.logger.notice(
            "roster imported",
            metadata: [
                "rows": .stringConvertible(count), "encoding": .string(encoding.rawValue),
                "timings": .string(timings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")),
            ])
        return Outcome(imported: count, errors: [], reportID: nil, encoding: encoding)
    }

    /// What is stored for a row besides its name and choices: sealed and masked ID and phone, sex, birth date.
    struct Prepared: Sendable {
        let citizenIDSealed: String, citizenIDMasked: String, sex: String, birthDate: String, phoneSealed: String, phoneMasked: String
    }

    /// Seals and masks every row, in parallel chunks (before the write lock is taken).
    static func seal(_ rows: [RosterRow], cipher: PersonalDataCipher) async throws -> [Prepared] {
        let chunk = 5_000
        return try await withThrowingTaskGroup(of: (Int, [Prepared]).self) { group in
            for start in stride(from: 0, to: rows.count, by: chunk) {
                let slice = rows[start..<min(start + chunk, rows.count)]
                group.addTask {
                    (
                        start,
                        try slice.map { r in
                            Prepared(
                                citizenIDSealed: try cipher.seal(r.citizenID.value), citizenIDMasked: r.citizenID.masked,
                                sex: r.citizenID.sex.rawValue,
                                birthDate: r.citizenID.birthDate, phoneSealed: try cipher.seal(r.phone), phoneMasked: PhoneNumber.mask(r.phone))
                        }
                    )
                }
            }
            var parts: [(Int, [Prepared])] = []
            for try await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    private func failed(_ errors: [RosterError], organizationID: UUID, encoding: TextEncoding?) async throws -> Outcome {
        let report = ImportReportRecord()
        report.organizationID = organizationID
        report.errors = String(decoding: try JSONEncoder().encode(errors), as: UTF8.self)
        try await app.write { db in try await report.create(on: db) }
        return Outcome(imported: 0, errors: errors, reportID: report.id, encoding: encoding)
    }

    static func report(_ id: UUID, actor: Actor, on db: any Database) async throws -> [RosterError] {
        guard let r = try await ImportReportRecord.find(id, on: db) else { throw DomainError.notFound }
        try actor.require(.importRoster, actor.scope(owner: r.organizationID))
        return try JSONDecoder().decode([RosterError].self, from: Data(r.errors.utf8))
    }
}
