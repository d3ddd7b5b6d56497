import Foundation
import Testing

/// The seams a newcomer relies on, checked in the source: time and ids come from the application's dependencies, SQL
/// lives in `Persistence/` (the stores) and the operator commands, and status values are spelled only where a store
/// maps its column.
@Suite struct HouseRulesTests {
    let catalog = CatalogTests()

    /// The server's Swift files as (path below `Sources/SkillChainServer/`, text).
    func serverSources() throws -> [(String, String)] {
        let root = CatalogTests.root.appending(path: "Sources/SkillChainServer").path + "/"
        return try catalog.files("Sources/SkillChainServer", "swift").map { url in
            (url.path.replacingOccurrences(of: root, with: ""), try String(contentsOf: url, encoding: .utf8))
        }
    }

    func isStoreOrCommand(_ path: String) -> Bool { path.hasPrefix("Persistence/") || path.hasPrefix("Commands/") }

    @Test func no_server_code_reads_the_system_clock() throws {
        let found = try serverSources().filter { $0.1.contains("Date()") }.map(\.0)
        #expect(found.isEmpty, "Date() read directly (use app.now / req.now): \(found)")
    }

    @Test func sql_is_written_only_in_stores_and_operator_commands() throws {
        var found: [String] = []
        for (path, text) in try serverSources() where !isStoreOrCommand(path) {
            let sql = catalog.matches(#"(?m)^import (SQLKit|SQLiteKit|PostgresKit)$"#, in: text) + catalog.matches(#"(\.raw\()"#, in: text)
            if !sql.isEmpty { found.append("\(path): \(sql)") }
        }
        #expect(found.isEmpty, "SQL outside Persistence/: \(found)")
    }

    @Test func pages_and_api_handlers_read_through_stores_and_services_not_queries_of_their_own() throws {
        // A record read by its id (`find`) is allowed; which rows count (filters, sorts, counts) belongs to a store.
        let found = try serverSources().filter { ($0.0.hasPrefix("Web/") || $0.0.hasPrefix("API/")) && $0.1.contains(".query(on") }.map(\.0)
        #expect(found.isEmpty, "a query in the web layer: \(found)")
    }

    @Test func outcome_and_certificate_status_values_are_spelled_only_by_stores() throws {
        var found: [String] = []
        for (path, text) in try serverSources() where !isStoreOrCommand(path) {
            let spelled = catalog.matches(#"("(?:passed|failed|revoked|suspended)")"#, in: text)
            if !spelled.isEmpty { found.append("\(path): \(spelled)") }
        }
        #expect(found.isEmpty, "status strings outside the Core enums: \(found)")
    }

    @Test func no_code_outside_the_stores_compares_a_value_to_a_spelled_workflow_state() throws {
        // Every case of a Core workflow enum (…Status, …Outcome, …Standing).
        var states = Set<String>()
        for url in catalog.files("Sources/SkillChainCore", "swift") {
            let text = try String(contentsOf: url, encoding: .utf8)
            for body in catalog.matches(#"enum \w*(?:Status|Outcome|Standing)\b[^{]*\{([^}]*)"#, in: text) {
                for list in catalog.matches(#"(?m)^\s*case ([\w, ]+)$"#, in: body) {
                    states.formUnion(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                }
            }
        }
        #expect(states.isSuperset(of: ["planSubmitted", "awaitingCounterparty", "returned", "withdrawn"]))
        var found: [String] = []
        for (path, text) in try serverSources() where !isStoreOrCommand(path) {
            let compared = catalog.matches(#"(?:==|!=) *"(\w+)""#, in: text) + catalog.matches(#""(\w+)" *(?:==|!=)"#, in: text)
            for value in compared where states.contains(value) { found.append("\(path): \"\(value)\"") }
        }
        #expect(found.isEmpty, "compare with the Core enum's rawValue: \(found)")
    }

    @Test func rows_take_their_ids_from_the_random_source() throws {
        let found = try serverSources().filter { !isStoreOrCommand($0.0) && $0.1.contains("UUID()") }.map(\.0)
        #expect(found.isEmpty, "UUID() outside commands and migrations (use app.random.uuid()): \(found)")
    }

    @Test func only_the_live_random_source_reads_the_system_generator() throws {
        var found: [String] = []
        for dir in ["Sources/SkillChainServer", "Sources/SkillChainCore"] {
            for url in catalog.files(dir, "swift") where url.lastPathComponent != "RandomSource.swift" {
                let text = try String(contentsOf: url, encoding: .utf8)
                if text.contains("SystemRandomNumberGenerator") || text.contains(".random(in:") || text.contains(".shuffled()") {
                    found.append(url.lastPathComponent)
                }
            }
        }
        #expect(found.isEmpty, "randomness read directly (take a RandomSource): \(found)")
    }
}
