import Fluent
import Foundation
import SQLKit
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct PlatformTests {
    @Test func sqlite_runs_in_wal_with_full_sync_on_every_connection() async throws {
        try await withTestApp { app in
            guard case .sqlite = app.config.database else { return }
            let reports = try await SQLiteSetup.pragmas(app)
            #expect(reports.count == System.coreCount)
            for r in reports {
                #expect(r.journalMode == "wal")
                #expect(r.synchronous == 2)  // FULL
            }
            let version = try await SQLiteSetup.version(app.db)
            let parts = version.split(separator: ".").compactMap { Int($0) }
            #expect(parts.lexicographicallyPrecedes([3, 51, 3]) == false, "bundled SQLite \(version) has the WAL-reset bug")
        }
    }

    @Test func healthz_is_plain_text_and_readyz_checks_the_database() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/healthz") { res in
                #expect(res.status == .ok)
                #expect(res.headers.contentType?.description.hasPrefix("text/plain") == true)
                #expect(res.body.string == "ok\n")
            }
            try await app.testing().test(.GET, "/readyz") { res in
                #expect(res.status == .ok)
                // Ready, with the release and the migrations applied (all of them on a migrated database).
                let lines = res.body.string.split(separator: "\n")
                #expect(lines.first == "ready" && lines.contains { $0.hasPrefix("version: \(BuildInfo.version) (") })
                #expect(lines.contains("migrations: \(SkillChainMigrations.all.count) of \(SkillChainMigrations.all.count)"))
            }
        }
    }

    @Test func production_config_names_every_missing_variable() throws {
        #expect(throws: AppConfig.MissingVariables.self) { try AppConfig.load(environment: .production) { _ in nil } }
        do {
            _ = try AppConfig.load(environment: .production) { _ in nil }
        } catch let e as AppConfig.MissingVariables {
            #expect(e.names == ["SKILLCHAIN_SECRET", "SKILLCHAIN_PUBLIC_URL"])
            #expect(e.description.contains("SKILLCHAIN_SECRET"))
        }
        let dev = try AppConfig.load(environment: .development) { _ in nil }
        #expect(dev.database == .sqlite(path: "skillchain.sqlite"))
        #expect(dev.publicURL.absoluteString == "http://127.0.0.1:8080")
        let pg = try AppConfig.load(environment: .development) { $0 == "DATABASE_URL" ? "postgres://u@h/db" : nil }
        #expect(pg.database == .postgres(url: "postgres://u@h/db"))
    }

    @Test func security_headers_are_on_every_response() async throws {
        try await withTestApp { app in
            for path in ["/healthz", "/login", "/no-such-page", "/api/v1/organizations"] {
                try await app.testing().test(.GET, path) { res in
                    #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                    #expect(res.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true, "\(path)")
                    #expect(res.headers.first(name: "Referrer-Policy") == "same-origin", "\(path)")
                    #expect(res.headers.first(name: "Strict-Transport-Security") == nil, "no HSTS over http")
                }
            }
        }
        try await withTestApp(publicURL: "https://skills.example.cn") { app in
            try await app.testing().test(.GET, "/login") { res in
                #expect(res.headers.first(name: "Strict-Transport-Security")?.contains("max-age=31536000") == true)
                let cookie = res.headers[.setCookie].first { $0.hasPrefix("__Host-skillchain-csrf=") }
                #expect(cookie?.contains("Secure") == true)
                #expect(cookie?.contains("Path=/") == true)
            }
        }
    }

    @Test func undeclared_method_on_known_path_answers_405() async throws {
        try await withTestApp { app in
            try await app.testing().test(.PUT, "/api/v1/organizations") { res in
                #expect(res.status == .methodNotAllowed)
                #expect(res.headers.first(name: "Allow") == "GET, POST")
                #expect(res.headers.contentType?.description.contains("problem+json") == true)
            }
            try await app.testing().test(.GET, "/api/v1/nothing-here") { res in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func two_instances_on_one_database_share_sessions() async throws {
        let db = try await TestDatabase.make()
        let a = try await Application.make(.testing)
        let b = try await Application.make(.testing)
        do {
            try await configure(a, config: testConfig(db.choice))
            try await configure(b, config: testConfig(db.choice))
            try await a.autoMigrate()
            let org = try await Fixture.org(a)
            try await Fixture.user(a, "shared", org: org, role: .enterpriseAdmin)
            let onA = Browser(a)
            let login = try await onA.login("shared")
            #expect(login.status == .seeOther)
            let onB = Browser(b)
            onB.cookies = onA.cookies
            let home = try await onB.get("/")
            #expect(home.status == .ok)
            #expect(home.body.string.contains("shared"))
        } catch {
            try? await a.asyncShutdown()
            try? await b.asyncShutdown()
            try? await db.cleanup()
            throw error
        }
        try await a.asyncShutdown()
        try await b.asyncShutdown()
        try await db.cleanup()
    }
}

@Suite struct MigrationNameTests {
    @Test func a_database_migrated_by_the_previous_release_migrates_cleanly_under_the_stable_names() async throws {
        try await withTestApp { app in
            let sql = app.db as! any SQLDatabase
            // As the previous release left it: 0012–0020 recorded under their Swift type names.
            for (old, new) in MigrationNames.renamed {
                try await sql.raw("UPDATE _fluent_migrations SET name = \(bind: old) WHERE name = \(bind: new)").run()
            }
            let before = try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()?.decode(column: "n", as: Int.self)
            // Migrating again renames them and runs nothing twice (a re-run would fail: its tables exist).
            try await app.migrateDatabase()
            let names = try await sql.raw("SELECT name FROM _fluent_migrations").all().map { try $0.decode(column: "name", as: String.self) }
            #expect(names.count == before && names.count == SkillChainMigrations.all.count)
            #expect(Set(names) == Set(SkillChainMigrations.all.map(\.name)))
            #expect(names.allSatisfy { $0.first?.isNumber == true })
        }
    }
}

@Suite struct RequestIDTests {
    @Test func every_answer_carries_its_request_id_in_the_header_and_in_problem_bodies_and_pages() async throws {
        try await withTestApp { app in
            var first = ""
            var second = ""
            try await app.testing().test(.GET, "/healthz") { res in first = res.headers.first(name: "X-Request-Id") ?? "" }
            try await app.testing().test(.GET, "/healthz") { res in second = res.headers.first(name: "X-Request-Id") ?? "" }
            #expect(!first.isEmpty && first != second)
            // An API problem quotes the id of its request; so does an error page.
            try await app.testing().test(.GET, "/api/v1/chains/\(UUID())") { res in
                let id = res.headers.first(name: "X-Request-Id") ?? ""
                #expect(res.status == .unauthorized && !id.isEmpty && res.body.string.contains("\"requestId\":\"\(id)\""))
            }
            try await app.testing().test(.GET, "/no-such-page") { res in
                let id = res.headers.first(name: "X-Request-Id") ?? ""
                #expect(res.status == .notFound && res.body.string.contains(id))
            }
            // A client's own id is not trusted (only a trusted proxy's is kept), and a forged log line never is.
            try await app.testing().test(.GET, "/healthz", headers: ["X-Request-Id": "abc-123"]) { res in
                #expect(res.headers.first(name: "X-Request-Id") != "abc-123")
            }
            #expect(RequestIDMiddleware.acceptable("edge-7f3a.12") && !RequestIDMiddleware.acceptable("a b\nlevel=error"))
        }
    }

    @Test func json_logs_are_one_object_per_line_with_the_request_id() throws {
        let data = try #require(
            JSONLogHandler.line(
                label: "codes.vapor", level: .warning, message: "slow \"query\"\nnext",
                metadata: ["request-id": .string("r-1")]))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasSuffix("\n") && text.dropLast().contains("\n") == false)  // the message's newline is escaped
        let fields = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        #expect(fields["request-id"] == "r-1" && fields["level"] == "warning" && fields["message"] == "slow \"query\"\nnext")
        #expect(fields["label"] == "codes.vapor" && fields["time"] != nil)
    }
}

@Suite struct MetricsTests {
    @Test func metrics_count_requests_by_route_pattern_and_the_platforms_events_for_allowed_readers_only() async throws {
        try await withTestApp(adjust: { $0.metricsToken = "metrics-token-0123456789" }) { app in
            let id = UUID().uuidString.lowercased()
            try await app.testing().test(.GET, "/api/v1/chains/\(id)") { res in #expect(res.status == .unauthorized) }
            _ = try await app.testing().sendRequest(
                .POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                body: ByteBuffer(string: #"{"username":"nobody","password":"wrong-password-1"}"#))
            // Not from an allowed address and without the token: nothing to see.
            try await app.testing().test(.GET, "/metrics") { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/metrics", headers: ["Authorization": "Bearer wrong"]) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/metrics", headers: ["Authorization": "Bearer metrics-token-0123456789"]) { res in
                let text = res.body.string
                #expect(res.status == .ok && res.headers.contentType?.description.hasPrefix("text/plain") == true)
                // Requests by route pattern, method and status, never the raw path with its id.
                #expect(text.contains("http_requests_total") && text.contains("/api/v1/chains/:id") && !text.contains(id))
                #expect(text.contains("http_request_duration_seconds_bucket"))
                #expect(text.contains("skillchain_failed_logins_total") && text.contains("skillchain_build_info"))
                // The writer queue: every audited write (the failed sign-in above) waited for it, however briefly.
                #expect(text.contains("skillchain_db_write_wait_seconds_count"))
            }
        }
    }
}
