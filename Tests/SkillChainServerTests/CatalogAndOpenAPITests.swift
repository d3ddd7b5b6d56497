import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct CatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func localizer() throws -> Localizer {
        try Localizer(directory: Self.root.appendingPathComponent("Resources/Localizations"))
    }

    func files(_ dir: String, _ ext: String) -> [URL] {
        let e = FileManager.default.enumerator(at: Self.root.appendingPathComponent(dir), includingPropertiesForKeys: nil)
        return (e?.allObjects as? [URL] ?? []).filter { $0.pathExtension == ext }
    }

    func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    @Test func both_catalogs_have_the_same_keys() throws {
        let l = try localizer()
        #expect(l.missingKeys().isEmpty, "missing: \(l.missingKeys())")
        #expect((l.catalogs[.zhHans]?.count ?? 0) > 200)
    }

    @Test func every_key_used_in_templates_and_code_exists() throws {
        let l = try localizer()
        var used = Set<String>()
        for url in files("Resources/Views", "leaf") {
            used.formUnion(matches(#"#t\("([^"]+)""#, in: try String(contentsOf: url, encoding: .utf8)))
        }
        for url in files("Sources", "swift") {
            let text = try String(contentsOf: url, encoding: .utf8)
            used.formUnion(matches(#"\bt\("([a-zA-Z][a-zA-Z0-9]*\.[a-zA-Z0-9.]+)""#, in: text))
            used.formUnion(matches(#"(?:add|FieldError)\("[a-zA-Z]*", "([a-zA-Z]+\.[a-zA-Z.]+)""#, in: text))
            used.formUnion(matches(#"flash: "(flash\.[a-zA-Z]+)""#, in: text))
        }
        // Keys built from enums and problem codes.
        for r in Role.allCases { used.insert("role.\(r.rawValue)") }
        for k in OrganizationKind.allCases { used.insert("kind.\(k.rawValue)") }
        for f in EnterpriseFlags.all { used.insert("flag.\(f.name)") }
        for c in ChainContribution.allCases { used.insert("contribution.\(c.rawValue)") }
        for s in ChainStatus.allCases { used.insert("chainStatus.\(s.rawValue)") }
        for c in PersonCategory.allCases { used.insert("category.\(c.rawValue)") }
        for e in Education.allCases { used.insert("education.\(e.rawValue)") }
        for s in CitizenID.Sex.allCases { used.insert("sex.\(s.rawValue)") }
        for p in [CitizenID.Problem.length, .characters, .birthDate, .futureBirthDate, .checkCharacter] { used.insert(p.rawValue) }
        for p in [CreditCode.Problem.length, .characters, .checkCharacter] { used.insert(p.rawValue) }
        for p in [ChainStatus.Problem.notAllowedInState, .reasonRequired, .thresholdsNotMet] { used.insert(p.rawValue) }
        for c in ChainRules.checks(ChainFacts(memberKinds: [], postsOffered: 0, leadIsQualified: false), thresholds: .init()) { used.insert(c.key) }
        for f in [AuditChain.Verification.Failure.sequenceGap, .previousHashMismatch, .hashMismatch] { used.insert("audit.failure.\(f.rawValue)") }
        for code in [
            "validation", "not-found", "forbidden", "conflict", "rule", "too-many-requests", "malformed-body", "unauthorized",
            "csrf", "method-not-allowed", "payload-too-large", "unsupported-media-type", "internal",
        ] {
            used.insert("problem.\(code).title")
            used.insert("problem.\(code).detail")
        }
        #expect(used.count > 150)
        for locale in AppLocale.allCases {
            let missing = used.filter { !l.has($0, locale) }.sorted()
            #expect(missing.isEmpty, "\(locale.rawValue) lacks \(missing)")
        }
    }

    @Test func pages_follow_the_chosen_language() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/login") { res in
                #expect(res.body.string.contains("<html lang=\"zh-Hans\">"))
                #expect(res.body.string.contains("用户名"))
            }
            try await app.testing().test(.GET, "/login", headers: ["Accept-Language": "en-GB,en;q=0.9"]) { res in
                #expect(res.body.string.contains("Username"))
            }
            let b = Browser(app)
            let en = try await b.get("/login?lang=en")
            #expect(en.body.string.contains("Sign in"))
            #expect(b.cookies["skillchain-lang"] == "en")
            #expect(try await b.get("/login").body.string.contains("Sign in"), "remembered in a cookie")
            #expect(try await b.get("/login?lang=zh-Hans").body.string.contains("用户名"))
            try await app.testing().test(.GET, "/api/v1/organizations?lang=en") { res in
                #expect(res.body.string.contains("Sign-in required"))
            }
        }
    }
}

@Suite struct OpenAPITests {
    func document(_ app: Application) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: OpenAPIDocument.load(app)) as! [String: Any]
    }

    static func normalise(_ path: String) -> String {
        path.split(separator: "/").map { $0.hasPrefix("{") || $0.hasPrefix(":") ? "{}" : String($0) }.joined(separator: "/")
    }

    @Test func documented_operations_and_api_routes_match_exactly() async throws {
        try await withTestApp { app in
            let doc = try document(app)
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = doc["paths"] as! [String: [String: Any]]
            var documented = Set<String>()
            for (path, ops) in paths {
                for method in ops.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert("\(method.uppercased()) \(Self.normalise(path))")
                }
            }
            let served = Set(
                app.routes.all.filter { $0.path.first?.description == "api" }.map {
                    "\($0.method.rawValue) \(Self.normalise($0.path.map(\.description).joined(separator: "/")))"
                })
            #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served))")
            #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented))")
        }
    }

    @Test func every_kind_of_notification_is_documented_and_has_its_texts() async throws {
        try await withTestApp { app in
            let doc = try document(app)
            let schemas = (doc["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let notification = (schemas?["Notification"] as? [String: Any])?["properties"] as? [String: Any]
            let documented = (notification?["kind"] as? [String: Any])?["enum"] as? [String] ?? []
            #expect(documented == NotificationKind.allCases.map(\.rawValue))
            for kind in NotificationKind.allCases {
                for locale in AppLocale.allCases {
                    #expect(app.localizer.catalogs[locale]?[kind.textKey] != nil, "\(kind.textKey) in \(locale)")
                    #expect(app.localizer.catalogs[locale]?["notificationKind.\(kind.rawValue)"] != nil)
                }
            }
        }
    }

    @Test func the_document_is_served_with_this_deployments_url() async throws {
        try await withTestApp(publicURL: "https://skills.example.cn") { app in
            try await app.testing().test(.GET, "/api/v1/openapi.json") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("\"url\":\"https://skills.example.cn\""))
            }
        }
    }
}
