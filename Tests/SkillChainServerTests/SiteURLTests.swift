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
        let exempt = ["SiteURL.swift", "routes.swift", "StaticFilesMiddleware.swift"]  // the last lists the public files' folders
        for url in catalog.files("Sources/SkillChainServer", "swift") where !exempt.contains(url.lastPathComponent) {
            let text = try String(contentsOf: url, encoding: .utf8)
            for path in catalog.matches(#""(/[a-z][^"]*)""#, in: text)
            where !path.hasPrefix("/api/") && !path.hasPrefix("/css/") && !path.hasPrefix("/js/") && !path.hasPrefix("/proc/") {
                found.append("\(url.lastPathComponent): \(path)")
            }
        }
        #expect(found.isEmpty, "hard-coded paths: \(found)")
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
