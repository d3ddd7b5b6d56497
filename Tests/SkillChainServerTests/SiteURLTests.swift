import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Every page address is built by `SiteURL`: templates name it with `#url("…")`, Swift code calls the case.
@Suite struct SiteURLTests {
    let catalog = CatalogTests()

    @Test func templates_spell_no_path_and_name_only_known_addresses() throws {
        var named = Set<String>()
        for url in catalog.files("Resources/Views", "leaf") {
            let text = try String(contentsOf: url, encoding: .utf8)
            let spelled = catalog.matches(#"(?:href|action)="(/[^"]*)""#, in: text).filter { !$0.hasPrefix("/css/") && !$0.hasPrefix("/js/") }
            #expect(spelled.isEmpty, "\(url.lastPathComponent) spells \(spelled)")
            named.formUnion(catalog.matches(#"#url\("([^"]+)"\)"#, in: text))
        }
        #expect(!named.isEmpty)
        #expect(named.subtracting(SiteURL.named.keys).isEmpty, "unknown: \(named.subtracting(SiteURL.named.keys))")
    }

    @Test func swift_code_builds_page_paths_only_through_site_url() throws {
        var found: [String] = []
        let exempt = ["SiteURL.swift", "APIURL.swift", "StaticFilesMiddleware.swift"]  // the last lists the public files' folders
        for url in catalog.files("Sources/SkillChainServer", "swift") where !exempt.contains(url.lastPathComponent) {
            let text = try String(contentsOf: url, encoding: .utf8)
            for path in catalog.matches(#""(/[a-z][^"]*)""#, in: text)
            where path != "/api/" && !path.hasPrefix("/css/") && !path.hasPrefix("/js/") && !path.hasPrefix("/proc/") {
                found.append("\(url.lastPathComponent): \(path)")
            }
        }
        #expect(found.isEmpty, "hard-coded paths: \(found)")
    }

    @Test func the_route_table_is_registered_from_site_url_with_placeholders_as_parameters() async throws {
        #expect(SiteURL.organization(.routeID).pattern.map(\.description) == ["organizations", ":id"])
        let withdrawal = SiteURL.api(.competitionResultWithdrawal(.routeID, result: .routeResult)).pattern.map(\.description)
        #expect(withdrawal == ["api", "v1", "competitions", ":id", "results", ":result", "withdrawal"])
        #expect(SiteURL.logTile("**").pattern.map(\.description) == ["log", "tile", "**"])
        // A link built for a real record leads to the route its placeholder registered.
        let id = UUID()
        try await withTestApp { app in
            let routes = Set(app.routes.all.map { "/" + $0.path.map(\.description).joined(separator: "/") })
            for (built, registered) in [
                (SiteURL.chainMemberRemoval(id, id), SiteURL.chainMemberRemoval(.routeID, .routeOrg)),
                (.api(.chainMember(id, org: id)), .api(.chainMember(.routeID, org: .routeOrg))),
                (.certificatePrint("SC-1"), .certificatePrint(":number")),
            ] {
                #expect(built.pattern.count == registered.pattern.count)
                #expect(routes.contains("/" + registered.pattern.map(\.description).joined(separator: "/")))
            }
        }
        let source = try String(contentsOf: CatalogTests.root.appending(path: "Sources/SkillChainServer/routes.swift"), encoding: .utf8)
        #expect(catalog.matches(#"\.on\(\.[A-Z]+, ("[^"]*")"#, in: source).isEmpty, "routes.swift spells a segment")
    }

    @Test func a_named_address_renders_in_the_page_and_leads_to_a_route() async throws {
        try await withTestApp { app in
            let routes = Set(app.routes.all.map { "/" + $0.path.map(\.description).joined(separator: "/") })
            for (name, url) in SiteURL.named {
                let path = String(url.path.prefix { $0 != "?" && $0 != "#" })
                #expect(routes.contains(path == "/" ? "/" : path), "#url(\"\(name)\") → \(path) has no route")
            }
            let page = try await Browser(app).get("/login")
            #expect(page.body.string.contains(#"action="/login""#))
        }
    }
}
