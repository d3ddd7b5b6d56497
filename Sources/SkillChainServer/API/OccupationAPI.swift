import Fluent
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
        let filter = OccupationStore.Filter(q: q, group: group, digital: digital, green: green)
        let rows = try await OccupationStore(req.db).list(filter, after: cursor, limit: limit + 1)
        let items = rows.prefix(limit).map {
            let o = OccupationCatalog.edition2022.occupation($0.code)
            return Item(
                edition: $0.edition, code: $0.code, name: $0.name, minorCode: $0.minor_code, isDigital: $0.is_digital, isGreen: $0.is_green,
                workTypeCount: o?.workTypeCount ?? 0, listing: o?.listing ?? "2022")
        }
        return APIPage(items: Array(items), nextCursor: rows.count > limit ? items.last?.code : nil)
    }
}
