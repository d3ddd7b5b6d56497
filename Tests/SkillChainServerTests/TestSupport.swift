import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import NIOHTTP1
import SQLKit
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// The database a test runs on: a fresh SQLite file, or (with `DATABASE_URL`) a fresh PostgreSQL database.
struct TestDatabase {
    let choice: AppConfig.DatabaseChoice
    let cleanup: @Sendable () async throws -> Void

    static var isPostgres: Bool { !(ProcessInfo.processInfo.environment["DATABASE_URL"] ?? "").isEmpty }

    static func make() async throws -> TestDatabase {
        let name = "sc_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        if let base = ProcessInfo.processInfo.environment["DATABASE_URL"], !base.isEmpty {
            try await admin(base) { try await $0.raw("CREATE DATABASE \(unsafeRaw: String(name))").run() }
            var parts = URLComponents(string: base)!
            parts.path = "/" + name
            return TestDatabase(choice: .postgres(url: parts.string!)) {
                try await admin(base) { try await $0.raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run() }
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).sqlite").path
        return TestDatabase(choice: .sqlite(path: path)) {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    private static func admin(_ url: String, _ body: (any SQLDatabase) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        do {
            var pg = try SQLPostgresConfiguration(url: url)
            pg.coreConfiguration.tls = .disable
            app.databases.use(.postgres(configuration: pg), as: .psql)
            try await body(app.db as! any SQLDatabase)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

func testConfig(_ database: AppConfig.DatabaseChoice, publicURL: String = "http://127.0.0.1:8080") -> AppConfig {
    var config = try! AppConfig.load(environment: .testing) { key in
        ["SKILLCHAIN_PUBLIC_URL": publicURL, "SKILLCHAIN_SECRET": "test-secret-0123456789"][key]
    }
    config.database = database
    config.bcryptCost = 4
    // Tests count the dashboard for every request unless they test the kept counts (DashboardSnapshotTests).
    config.dashboardFreshness.liveBudgetMilliseconds = 600_000
    return config
}

/// A migrated application on a fresh database, shut down and removed afterwards.
func withTestApp(
    publicURL: String = "http://127.0.0.1:8080", adjust: (inout AppConfig) -> Void = { _ in },
    _ body: (Application) async throws -> Void
) async throws {
    let db = try await TestDatabase.make()
    let app = try await Application.make(.testing)
    do {
        var config = testConfig(db.choice, publicURL: publicURL)
        adjust(&config)
        try await configure(app, config: config)
        try await app.autoMigrate()
        try await body(app)
    } catch {
        try? await app.asyncShutdown()
        try? await db.cleanup()
        throw error
    }
    try await app.asyncShutdown()
    try await db.cleanup()
}

/// Small factories for organizations, people and users.
enum Fixture {
    nonisolated(unsafe) static var counter = 0
    static let lock = NSLock()

    static func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        counter += 1
        return counter
    }

    static func creditCode(_ n: Int) -> String {
        CreditCode.completing("91441900" + String(format: "MA%07d", n))!.value
    }

    static func citizenID(_ n: Int) -> String {
        CitizenID.completing("44190019900101" + String(format: "%03d", n % 1000))!.value
    }

    @discardableResult
    static func org(
        _ app: Application, kind: OrganizationKind = .enterprise, region: String = "441900",
        flags: [String] = [], name: String? = nil
    ) async throws -> OrganizationRecord {
        let n = next()
        return try await OrganizationService(app).create(
            .init(
                name: name ?? "测试机构\(n)", kind: kind.rawValue, creditCode: creditCode(n),
                regionCode: region, flags: flags, insuredEmployees: 10), actor: nil)
    }

    static let password = "correct horse battery"

    @discardableResult
    static func user(_ app: Application, _ username: String, org: OrganizationRecord, role: Role) async throws -> MembershipRecord {
        try await AccountService(app).addMembership(
            .init(
                username: username, displayName: username, password: password,
                organizationId: org.id, role: role.rawValue), actor: nil)
    }

    @discardableResult
    static func person(_ app: Application, org: OrganizationRecord, id: String? = nil, name: String = "张三") async throws -> PersonRecord {
        try await PersonService(app).create(
            .init(
                name: name, citizenId: id ?? citizenID(next()), phone: "13800138000", education: "associate",
                category: "employee"), organizationID: org.id!, actor: nil)
    }

    /// A bearer token for `username`.
    static func token(_ app: Application, _ username: String, password: String = Fixture.password) async throws -> String {
        var token = ""
        try await app.testing().test(
            .POST, "/api/v1/auth/token",
            beforeRequest: { req in
                try req.content.encode(["username": username, "password": password])
            },
            afterResponse: { res in
                #expect(res.status == .created)
                token = try res.content.decode(AuthAPI.TokenResponse.self).token
            })
        return token
    }
}

/// A browser-like client: keeps cookies and reads the CSRF token from pages.
final class Browser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var csrf = ""

    init(_ app: Application) { self.app = app }

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: headers)
    }

    @discardableResult
    func post(_ path: String, form: [String: String], csrf: Bool = true, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var body = form
        if csrf { body["_csrf"] = self.csrf }
        return try await send(.POST, path, headers: headers, form: body)
    }

    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], form: [String: String]? = nil) async throws -> TestingHTTPResponse {
        var result: TestingHTTPResponse?
        try await app.testing().test(
            method, path,
            beforeRequest: { req in
                req.headers.add(contentsOf: headers)
                if !cookies.isEmpty { req.headers.replaceOrAdd(name: .cookie, value: cookieHeader) }
                if let form { try req.content.encode(form, as: .urlEncodedForm) }
            },
            afterResponse: { res in
                for header in res.headers[.setCookie] {
                    let pair = header.split(separator: ";").first.map(String.init) ?? ""
                    let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    guard kv.count == 2 else { continue }
                    if kv[1].isEmpty || header.contains("Max-Age=0") { cookies[kv[0]] = nil } else { cookies[kv[0]] = kv[1] }
                }
                let body = res.body.string
                if let range = body.range(of: #"name="_csrf" value="([0-9a-f]+)""#, options: .regularExpression) {
                    csrf = String(body[range].split(separator: "\"")[3])
                }
                result = res
            })
        return result!
    }

    func login(_ username: String, password: String = Fixture.password) async throws -> TestingHTTPResponse {
        try await get("/login")
        return try await post("/login", form: ["username": username, "password": password, "next": "/"])
    }
}

extension HTTPHeaders {
    func merging(_ other: HTTPHeaders) -> HTTPHeaders {
        var copy = self
        for (name, value) in other { copy.replaceOrAdd(name: name, value: value) }
        return copy
    }
}

extension Browser {
    /// Posts `file` as a form upload (`file`, named roster.csv) with the page's CSRF token, as the import forms do.
    func upload(_ path: String, file: [UInt8]) async throws -> TestingHTTPResponse {
        let b = self
        let boundary = "----skillchain\(UUID().uuidString)"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(b.csrf)\r\n")
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.csv\"\r\nContent-Type: text/csv\r\n\r\n")
        body.writeBytes(file)
        body.writeString("\r\n--\(boundary)--\r\n")
        var result: TestingHTTPResponse?
        try await b.app.testing().test(
            .POST, path,
            beforeRequest: { req in
                req.headers.replaceOrAdd(name: .cookie, value: b.cookieHeader)
                req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                req.body = body
            }
        ) { res in result = res }
        return result!
    }
}
