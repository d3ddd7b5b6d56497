import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The stored occupation catalogue's SQL: the current edition's occupations matching a name fragment or code prefix, a
/// group and the digital and green flags, counted and read in code order.
struct OccupationStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    private var sql: any SQLDatabase { db as! any SQLDatabase }

    /// What a list asks for; empty strings and nil flags match everything.
    struct Filter {
        var q = "", group = "", digital: Bool? = nil, green: Bool? = nil
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Row: Decodable, Sendable {
        let edition: String, code: String, name: String, minor_code: String, is_digital: Bool, is_green: Bool
    }

    /// How many occupations match.
    func count(_ filter: Filter) async throws -> Int {
        struct Count: Decodable { let n: Int }
        return try await select(filter).column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").first(decoding: Count.self)?.n ?? 0
    }

    /// Up to `limit` matching occupations after the code `cursor` (keyset pages), or after skipping `offset`.
    func list(_ filter: Filter, after cursor: String? = nil, offset: Int = 0, limit: Int) async throws -> [Row] {
        let select = select(filter).columns("edition", "code", "name", "minor_code", "is_digital", "is_green")
        if let cursor { select.where("code", .greaterThan, cursor) }
        return try await select.orderBy("code").limit(limit).offset(offset).all(decoding: Row.self)
    }

    private func select(_ f: Filter) -> SQLSelectBuilder {
        let select = sql.select().from("occupations").where("edition", .equal, OccupationCatalog.edition2022.edition)
        if !f.q.isEmpty {
            select.where { w in
                w.where("name", .like, "%\(Self.escapeLike(f.q))%").orWhere("code", .like, "\(Self.escapeLike(f.q))%")
            }
        }
        if !f.group.isEmpty { select.where("code", .like, "\(Self.escapeLike(f.group))-%") }
        if let digital = f.digital { select.where("is_digital", .equal, digital) }
        if let green = f.green { select.where("is_green", .equal, green) }
        return select
    }

    /// `%` and `_` typed by a user match themselves (the catalogue has neither).
    static func escapeLike(_ s: String) -> String { s.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") }
}
