import Fluent
import Foundation
import SQLKit
import SQLiteKit

/// A value for a multi-row insert, stored the way Fluent stores it (SQLite: UUIDs as upper-case text, dates as
/// seconds since 1970, booleans as integers), so rows written here read back through the models.
enum BulkValue: Sendable {
    case text(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case uuid(UUID)
    case date(Date)
    case null

    static func optional(_ s: String?) -> BulkValue { s.map(BulkValue.text) ?? .null }

    var sqlite: SQLiteData {
        switch self {
        case .text(let s): .text(s)
        case .int(let i): .integer(i)
        case .double(let d): .float(d)
        case .bool(let b): .integer(b ? 1 : 0)
        case .uuid(let u): .text(u.uuidString)
        case .date(let d): .float(d.timeIntervalSince1970)
        case .null: .null
        }
    }

    var sql: any SQLExpression {
        switch self {
        case .text(let s): SQLBind(s)
        case .int(let i): SQLBind(i)
        case .double(let d): SQLBind(d)
        case .bool(let b): SQLBind(b)
        case .uuid(let u): SQLBind(u)
        case .date(let d): SQLBind(d)
        case .null: SQLLiteral.null
        }
    }
}

/// Multi-row `INSERT`s inside the caller's transaction: thousands of rows in a handful of statements instead of one
/// round trip per row (ENGINEERING-NOTES A2).
enum BulkInsert {
    /// Bound parameters per statement, under SQLite's 32,766 and PostgreSQL's 65,535.
    static let parameterBudget = 30_000

    static func run(_ table: String, columns: [String], rows: [[BulkValue]], on db: any Database) async throws {
        guard !rows.isEmpty else { return }
        let perStatement = max(1, parameterBudget / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(start + perStatement, rows.count)
            let chunk = rows[start..<end]
            if let sqlite = db as? any SQLiteDatabase {
                let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
                let text =
                    "INSERT INTO \"\(table)\" (\(columns.map { "\"\($0)\"" }.joined(separator: ","))) VALUES "
                    + Array(repeating: tuple, count: chunk.count).joined(separator: ",")
                _ = try await sqlite.query(text, chunk.flatMap { $0.map(\.sqlite) }).get()
            } else if let sql = db as? any SQLDatabase {
                var insert = sql.insert(into: table).columns(columns)
                for row in chunk { insert = insert.values(row.map(\.sql)) }
                try await insert.run()
            }
            start = end
        }
    }
}
