import SkillChainCore
import Vapor

/// Browse the national occupation catalogue by group, name or code, digital and green flags.
enum OccupationPages {
    struct Row: Encodable {
        let code: String
        let name: String
        let href: String
        let flags: [String]
    }
    struct Body: Encodable {
        let q: String
        let groups: [ChoiceOption]
        let flags: [ChoiceOption]
        let rows: [Row]
        let pagination: Pagination
        let edition: String
    }

    static func list(_ req: Request) async throws -> Response {
        _ = try req.requireActor()
        let catalog = OccupationCatalog.edition2022
        let q = String((req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(50))
        let groupParam = req.query[String.self, at: "group"] ?? ""
        let group = catalog.groups.contains { $0.code == groupParam && $0.level != .minor } ? groupParam : ""
        let flag = req.query[String.self, at: "flag"] ?? ""
        let filter = OccupationStore.Filter(q: q, group: group, digital: flag == "digital" ? true : nil, green: flag == "green" ? true : nil)
        let store = OccupationStore(req.db)
        let total = try await store.count(filter)
        let page = Pagination.requestedPage(req)
        let rows = try await store.list(filter, offset: (page - 1) * Pagination.perPage, limit: Pagination.perPage)
        let groupOptions = catalog.groups.filter { $0.level != .minor }.map {
            ChoiceOption(value: $0.code, label: ($0.level == .medium ? "\u{3000}" : "") + "\($0.code) \($0.name)", selected: $0.code == group)
        }
        return try await Page.render(
            "occupations", title: req.t("occupations.title"),
            Body(
                q: q, groups: groupOptions,
                flags: ["digital", "green"].map { ChoiceOption(value: $0, label: req.t("occupation.flag.\($0)"), selected: $0 == flag) },
                rows: rows.map { r in
                    Row(
                        code: r.code, name: r.name, href: SiteURL.occupation(r.code).path,
                        flags: (r.is_digital ? [req.t("occupation.flag.digital")] : []) + (r.is_green ? [req.t("occupation.flag.green")] : [])
                            + (OccupationCatalog.edition2022.occupation(r.code).flatMap {
                                $0.listing == "2022" ? nil : req.t("occupation.listing.\($0.listing)")
                            }.map { [$0] } ?? []))
                },
                pagination: Pagination(page: page, total: total, req), edition: catalog.edition), req)
    }
}
