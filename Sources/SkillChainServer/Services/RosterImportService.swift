import Fluent
import Foundation
import SkillChainCore
import SQLKit
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

    static func run(_ bytes: [UInt8], organizationID: UUID, actor: Actor, app: Application, now: Date = Date()) async throws -> Outcome {
        let text: String, encoding: TextEncoding
        do { (text, encoding) = try TextDecoding.decode(bytes) } catch {
            return try await failed([RosterError(line: 1, column: "", code: error.rawValue)], organizationID: organizationID, encoding: nil, app: app)
        }
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parse(text) } catch {
            guard case .unterminatedQuote(let line) = error else { throw error }
            return try await failed([RosterError(line: line, column: "", code: "import.unterminatedQuote")], organizationID: organizationID, encoding: encoding, app: app)
        }
        let result = RosterImport.validate(records, today: now)
        let cipher = app.personalData
        // Duplicates against people already registered in this organization.
        var errors = result.errors
        let indexes = result.rows.map { cipher.blindIndex($0.citizenID.value) }
        let existing = try await existingIndexes(organizationID, on: app.db)
        for (row, index) in zip(result.rows, indexes) where existing.contains(index) {
            errors.append(RosterError(line: row.line, column: "citizenId", code: "import.duplicateInDatabase"))
        }
        guard errors.isEmpty, !result.rows.isEmpty else {
            return try await failed(errors.sorted { ($0.line, $0.column) < ($1.line, $1.column) }, organizationID: organizationID, encoding: encoding, app: app)
        }
        // Seal outside the write lock; the transaction only inserts.
        var values: [[any Encodable & Sendable]] = []
        values.reserveCapacity(result.rows.count)
        for (row, index) in zip(result.rows, indexes) {
            let id = row.citizenID
            values.append([UUID(), organizationID, row.name, try cipher.seal(id.value), index, id.masked, id.sex.rawValue, id.birthDate,
                           try cipher.seal(row.phone), PhoneNumber.mask(row.phone), row.education.rawValue, row.category.rawValue, now])
        }
        let rows = values
        try await app.write { db in
            guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
            var start = 0
            while start < rows.count {
                let end = min(start + batchSize, rows.count)
                var insert = sql.insert(into: PersonRecord.schema)
                    .columns("id", "organization_id", "name", "citizen_id_sealed", "citizen_id_index", "citizen_id_masked", "sex", "birth_date",
                             "phone_sealed", "phone_masked", "education", "category", "created_at")
                for r in rows[start..<end] { insert = insert.values(r) }
                try await insert.run()
                start = end
            }
            try await AuditLog.append(.init(action: "people.imported", objectType: "organization", objectID: organizationID.uuidString.lowercased(),
                                            detail: ["rows": String(rows.count), "encoding": encoding.rawValue]), actor: actor, on: db)
        }
        return Outcome(imported: rows.count, errors: [], reportID: nil, encoding: encoding)
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
