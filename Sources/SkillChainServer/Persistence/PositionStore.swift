import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The SQL of the positions list: one page of positions matching a filter, newest first, with each employer's name and
/// the number of all matches, in one query (no per-row reads, no model reflection).
struct PositionStore {
    let sql: any SQLDatabase

    init(_ db: any Database) throws {
        guard let sql = db as? any SQLDatabase else { throw DomainError.notFound }
        self.sql = sql
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Row: Decodable, Sendable {
        let id: UUID
        let organization_id: UUID
        let organization_name: String
        let title: String
        let occupation_code: String
        let required_level: String
        let headcount: Int
        let region_code: String
        let wage_min: Int
        let wage_max: Int
        let front_line: Bool
        let status: String
        let total: Int
    }

    /// The same conditions as `PositionService.query`: title and occupation contain, region by prefix, the rest equal.
    func page(_ f: PositionService.Filter, offset: Int, limit: Int) async throws -> (rows: [Row], total: Int) {
        var conditions: [SQLQueryString] = []
        if let text = f.q?.trimmingCharacters(in: .whitespaces), !text.isEmpty { conditions.append("p.title LIKE \(bind: "%\(text)%")") }
        if let o = f.occupation, !o.isEmpty { conditions.append("p.occupation_code LIKE \(bind: "%\(o)%")") }
        if let l = f.level, !l.isEmpty { conditions.append("p.required_level = \(bind: l)") }
        if let r = f.region, !r.isEmpty { conditions.append("p.region_code LIKE \(bind: RegionCatalog.shared.prefix(of: r) + "%")") }
        if let s = f.status, !s.isEmpty { conditions.append("p.status = \(bind: s)") }
        if let org = f.organization { conditions.append("p.organization_id = \(bind: org)") }
        if let fl = f.frontLine { conditions.append("p.front_line = \(bind: fl)") }
        var q = SQLQueryString(
            """
            SELECT p.id, p.organization_id, o.name AS organization_name, p.title, p.occupation_code, p.required_level, p.headcount,
                   p.region_code, p.wage_min, p.wage_max, p.front_line, p.status, COUNT(*) OVER () AS total
            FROM positions p JOIN organizations o ON o.id = p.organization_id
            """)
        if !conditions.isEmpty { q.appendInterpolation(SQLQueryString(" WHERE ") + conditions.joined(separator: " AND ")) }
        q.appendInterpolation(unsafeRaw: " ORDER BY p.created_at DESC, p.id LIMIT \(limit) OFFSET \(offset)")
        let rows = try await sql.raw(q).all(decoding: Row.self)
        if let first = rows.first { return (rows, first.total) }
        // Past the last page: the count alone.
        var count = SQLQueryString("SELECT COUNT(*) AS total FROM positions p")
        if !conditions.isEmpty { count.appendInterpolation(SQLQueryString(" WHERE ") + conditions.joined(separator: " AND ")) }
        struct Total: Decodable { let total: Int }
        return ([], offset == 0 ? 0 : try await sql.raw(count).first(decoding: Total.self)?.total ?? 0)
    }
}
