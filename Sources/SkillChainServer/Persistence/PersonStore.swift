import Fluent
import Foundation
import SQLKit
import SQLiteKit
import SkillChainCore

/// The people table's bulk SQL: a roster's rows inserted in a few statements, and the citizen ID indexes already held.
struct PersonStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    /// A person as the roster import stores them: sealed and masked ID and phone, already indexed.
    struct NewPerson: Sendable {
        let id: UUID, name: String, citizenIDSealed: String, citizenIDIndex: String, citizenIDMasked: String
        let sex: String, birthDate: String, phoneSealed: String, phoneMasked: String, education: String, category: String
    }

    /// Rows inserted per statement on PostgreSQL (13 bound values each, well under its 65,535).
    static let batchSize = 500

    /// Inserts `people` into one organization, all in the caller's transaction.
    func insert(_ people: [NewPerson], organizationID: UUID, now: Date) async throws {
        if let sqlite = db as? any SQLiteDatabase {
            try await insertSQLite(people, organizationID: organizationID, now: now, on: sqlite)
        } else {
            try await insertSQL(people, organizationID: organizationID, now: now, on: db as! any SQLDatabase)
        }
    }

    static let columns = [
        "id", "organization_id", "name", "citizen_id_sealed", "citizen_id_index", "citizen_id_masked", "sex", "birth_date",
        "phone_sealed", "phone_masked", "education", "category", "created_at",
    ]

    /// SQLite: numbered parameters, the organization and the time bound once per statement (?1, ?2), values handed to
    /// SQLite as they are stored by Fluent (UUID as upper-case text, dates as seconds since 1970).
    private func insertSQLite(_ rows: [NewPerson], organizationID: UUID, now: Date, on db: any SQLiteDatabase) async throws {
        let perStatement = 2_000
        var statements: [Int: String] = [:]
        func statement(rows k: Int) -> String {
            if let s = statements[k] { return s }
            var text = "INSERT INTO \"\(PersonRecord.schema)\" (\(Self.columns.map { "\"\($0)\"" }.joined(separator: ","))) VALUES "
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
                let p = rows[i]
                binds.append(contentsOf: [
                    .text(p.id.uuidString), .text(p.name), .text(p.citizenIDSealed), .text(p.citizenIDIndex), .text(p.citizenIDMasked),
                    .text(p.sex), .text(p.birthDate), .text(p.phoneSealed), .text(p.phoneMasked), .text(p.education), .text(p.category),
                ])
            }
            _ = try await db.query(statement(rows: end - start), binds).get()
            start = end
        }
    }

    /// Any other SQL database (PostgreSQL): SQLKit inserts of 500 rows.
    private func insertSQL(_ rows: [NewPerson], organizationID: UUID, now: Date, on sql: any SQLDatabase) async throws {
        var start = 0
        while start < rows.count {
            let end = min(start + Self.batchSize, rows.count)
            var insert = sql.insert(into: PersonRecord.schema).columns(Self.columns)
            for i in start..<end {
                let p = rows[i]
                let values: [any SQLExpression] = [
                    SQLBind(p.id), SQLBind(organizationID), SQLBind(p.name), SQLBind(p.citizenIDSealed), SQLBind(p.citizenIDIndex),
                    SQLBind(p.citizenIDMasked), SQLBind(p.sex), SQLBind(p.birthDate), SQLBind(p.phoneSealed),
                    SQLBind(p.phoneMasked), SQLBind(p.education), SQLBind(p.category), SQLBind(now),
                ]
                insert = insert.values(values)
            }
            try await insert.run()
            start = end
        }
    }

    /// The citizen ID indexes of an organization's people (one column read, to refuse duplicates before a write).
    func citizenIDIndexes(of organizationID: UUID) async throws -> Set<String> {
        let sql = db as! any SQLDatabase
        let rows = try await sql.select().column("citizen_id_index").from(PersonRecord.schema)
            .where("organization_id", .equal, organizationID).all()
        return Set(try rows.map { try $0.decode(column: "citizen_id_index", as: String.self) })
    }
}
