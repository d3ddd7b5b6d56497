import Fluent
import SQLKit
import SkillChainCore
import Vapor

/// `GET /api/v1/occupations?q=&group=&digital=&green=&limit=&cursor=` over the stored catalogue.
enum OccupationAPI {
    struct Item: Content {
        let edition: String
        let code: String
        let name: String
        let minorCode: String
        let isDigital: Bool
        let isGreen: Bool
        /// Work types (工种) under the occupation, as counted online today.
        let workTypeCount: Int
        /// `2022` (printed edition) or `added-2024`, `added-2025`, `added-post-2022`.
        let listing: String
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Row: Decodable {
        let edition: String, code: String, name: String, minor_code: String, is_digital: Bool, is_green: Bool
    }

    static func list(_ req: Request) async throws -> APIPage<Item> {
        _ = try req.requireActor()
        var v = Validator()
        let limit = CursorRequest.parseLimit(req, &v)
        let q = v.optional("q", req.query[String.self, at: "q"], max: 50) ?? ""
        let group = v.optional("group", req.query[String.self, at: "group"], max: 10) ?? ""
        func flag(_ name: String) -> Bool? {
            guard let raw = req.query[String.self, at: name] else { return nil }
            if raw == "true" { return true }
            if raw == "false" { return false }
            v.add(name, "field.invalidChoice")
            return nil
        }
        let digital = flag("digital")
        let green = flag("green")
        let cursor = req.query[String.self, at: "cursor"]
        if let cursor, cursor.isEmpty || cursor.count > 20 { v.add("cursor", "cursor.invalid") }
        try v.check()
        let select = filtered(req.db as! any SQLDatabase, q: q, group: group, digital: digital, green: green)
            .columns("edition", "code", "name", "minor_code", "is_digital", "is_green")
        if let cursor { select.where("code", .greaterThan, cursor) }
        let rows = try await select.orderBy("code").limit(limit + 1).all(decoding: Row.self)
        let items = rows.prefix(limit).map {
            let o = OccupationCatalog.edition2022.occupation($0.code)
            return Item(
                edition: $0.edition, code: $0.code, name: $0.name, minorCode: $0.minor_code, isDigital: $0.is_digital, isGreen: $0.is_green,
                workTypeCount: o?.workTypeCount ?? 0, listing: o?.listing ?? "2022")
        }
        return APIPage(items: Array(items), nextCursor: rows.count > limit ? items.last?.code : nil)
    }

    /// The current edition's occupations matching a name fragment or code prefix, a group and the flags.
    static func filtered(_ sql: any SQLDatabase, q: String, group: String, digital: Bool?, green: Bool?) -> SQLSelectBuilder {
        let select = sql.select().from("occupations").where("edition", .equal, OccupationCatalog.edition2022.edition)
        if !q.isEmpty {
            select.where { w in
                w.where("name", .like, "%\(escapeLike(q))%").orWhere("code", .like, "\(escapeLike(q))%")
            }
        }
        if !group.isEmpty { select.where("code", .like, "\(escapeLike(group))-%") }
        if let digital { select.where("is_digital", .equal, digital) }
        if let green { select.where("is_green", .equal, green) }
        return select
    }

    /// `%` and `_` typed by a user match themselves (the catalogue has neither).
    static func escapeLike(_ s: String) -> String { s.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") }
}
