import Fluent
import Foundation
import SQLKit
import SQLiteKit
import SkillChainCore
import Vapor

/// Imports a roster file into one organization's people: all rows or none.
enum RosterImportService {
    struct Outcome: Sendable {
        let imported: Int
        let errors: [RosterError]
        let reportID: UUID?
        let encoding: TextEncoding?
    }

    /// Rows inserted per statement (12 bound values each, well under PostgreSQL's 65,535).
    static let batchSize = 500

    static func run(_ bytes: [UInt8], organizationID: UUID, actor: Actor, app: Application, now: Date? = nil) async throws -> Outcome {
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
                    [RosterError(line: 1, column: "", code: error.rawValue)], organizationID: organizationID, encoding: nil, app: app)
            }
            let records: [(line: Int, fields: [String])]
            do { records = try CSV.parse(text) } catch {
                guard case .unterminatedQuote(let line) = error else { throw error }
                return try await failed(
                    [RosterError(line: line, column: "", code: "import.unterminatedQuote")], organizationID: organizationID, encoding: encoding,
                    app: app)
            }
            lap("parse")
            result = RosterImport.validate(records, today: now, vocabulary: ImportVocabulary(localizer: app.localizer))
            lap("validate")
        }
        let cipher = app.personalData
        // Duplicates against people already registered in this organization.
        var errors = result.errors
        let indexes = result.rows.map { cipher.blindIndex($0.citizenID.value) }
        let existing = try await existingIndexes(organizationID, on: app.db)
        for (row, index) in zip(result.rows, indexes) where existing.contains(index) {
            errors.append(RosterError(line: row.line, column: "citizenId", code: "import.duplicateInDatabase"))
        }
        lap("duplicates")
        guard errors.isEmpty, !result.rows.isEmpty else {
            return try await failed(
                errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }, organizationID: organizationID, encoding: encoding, app: app)
        }
        let rows = result.rows
        let count = rows.count
        // Seal on every core before taking the write lock; the transaction then only inserts.
        let sealed = try await seal(rows, cipher: cipher)
        lap("seal")
        let ids = rows.map { _ in app.random.uuid() }
        try await app.write { db in
            if let sqlite = db as? any SQLiteDatabase {
                try await insertSQLite(rows, ids: ids, indexes: indexes, sealed: sealed, organizationID: organizationID, now: now, on: sqlite)
            } else if let sql = db as? any SQLDatabase {
                try await insertSQL(rows, ids: ids, indexes: indexes, sealed: sealed, organizationID: organizationID, now: now, on: sql)
            }
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

    static let columns = [
        "id", "organization_id", "name", "citizen_id_sealed", "citizen_id_index", "citizen_id_masked", "sex", "birth_date",
        "phone_sealed", "phone_masked", "education", "category", "created_at",
    ]

    /// SQLite: numbered parameters, the organization and the time bound once per statement (?1, ?2), values handed to
    /// SQLite as they are stored by Fluent (UUID as upper-case text, dates as seconds since 1970).
    static func insertSQLite(
        _ rows: [RosterRow], ids: [UUID], indexes: [String], sealed: [Prepared], organizationID: UUID, now: Date,
        on db: any SQLiteDatabase
    ) async throws {
        let perStatement = 2_000
        var statements: [Int: String] = [:]
        func statement(rows k: Int) -> String {
            if let s = statements[k] { return s }
            var text = "INSERT INTO \"\(PersonRecord.schema)\" (\(columns.map { "\"\($0)\"" }.joined(separator: ","))) VALUES "
            for r in 0..<k {
                let n = 2 + r * 11
                if r > 0 { text += "," }
                text += "(?\(n + 1),?1," + (2...11).map { "?\(n + $0)" }.joined(separator: ",") + ",?2)"
            }
            statements[k] = text
            return text
        }
        var start = 0
        while start < rows.count {
            let end = min(start + perStatement, rows.count)
            var binds: [SQLiteData] = [.text(organizationID.uuidString), .float(now.timeIntervalSince1970)]
            binds.reserveCapacity(2 + (end - start) * 11)
            for i in start..<end {
                let row = rows[i]
                let p = sealed[i]
                binds.append(contentsOf: [
                    .text(ids[i].uuidString), .text(row.name), .text(p.citizenIDSealed), .text(indexes[i]), .text(p.citizenIDMasked),
                    .text(p.sex), .text(p.birthDate), .text(p.phoneSealed), .text(p.phoneMasked), .text(row.education.rawValue),
                    .text(row.category.rawValue),
                ])
            }
            _ = try await db.query(statement(rows: end - start), binds).get()
            start = end
        }
    }

    /// Any other SQL database (PostgreSQL): SQLKit inserts of 500 rows.
    static func insertSQL(
        _ rows: [RosterRow], ids: [UUID], indexes: [String], sealed: [Prepared], organizationID: UUID, now: Date,
        on sql: any SQLDatabase
    ) async throws {
        var start = 0
        while start < rows.count {
            let end = min(start + batchSize, rows.count)
            var insert = sql.insert(into: PersonRecord.schema).columns(columns)
            for i in start..<end {
                let row = rows[i]
                let p = sealed[i]
                let values: [any SQLExpression] = [
                    SQLBind(ids[i]), SQLBind(organizationID), SQLBind(row.name), SQLBind(p.citizenIDSealed), SQLBind(indexes[i]),
                    SQLBind(p.citizenIDMasked), SQLBind(p.sex), SQLBind(p.birthDate), SQLBind(p.phoneSealed),
                    SQLBind(p.phoneMasked), SQLBind(row.education.rawValue), SQLBind(row.category.rawValue), SQLBind(now),
                ]
                insert = insert.values(values)
            }
            try await insert.run()
            start = end
        }
    }

    static func existingIndexes(_ organizationID: UUID, on db: any Database) async throws -> Set<String> {
        guard let sql = db as? any SQLDatabase else { return [] }
        let rows = try await sql.select().column("citizen_id_index").from(PersonRecord.schema)
            .where("organization_id", .equal, organizationID).all()
        return Set(try rows.map { try $0.decode(column: "citizen_id_index", as: String.self) })
    }

    private static func failed(_ errors: [RosterError], organizationID: UUID, encoding: TextEncoding?, app: Application) async throws -> Outcome {
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
