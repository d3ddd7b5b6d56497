import Fluent
import Foundation
import SQLKit
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct AuditTests {
    /// Ten events through real services, then tampering on this throwaway copy of the database.
    func seeded(_ app: Application) async throws {
        let org = try await Fixture.org(app)
        for i in 0..<9 { try await Fixture.person(app, org: org, name: "审计\(i)") }
        #expect(try await AuditEventRecord.query(on: app.db).count() == 10)
        #expect(try await AuditLog.verify(on: app.db).isIntact)
    }

    var sql: (Application) -> any SQLDatabase { { $0.db as! any SQLDatabase } }

    @Test func a_changed_row_is_named() async throws {
        try await withTestApp { app in
            try await seeded(app)
            try await sql(app).raw("UPDATE audit_events SET outcome = 'failure' WHERE sequence = 4").run()
            let r = try await AuditLog.verify(on: app.db)
            #expect(r.firstBroken == 4)
            #expect(r.failure == .hashMismatch)
        }
    }

    @Test func a_deleted_row_is_named() async throws {
        try await withTestApp { app in
            try await seeded(app)
            try await sql(app).raw("DELETE FROM audit_events WHERE sequence = 7").run()
            let r = try await AuditLog.verify(on: app.db)
            #expect(r.firstBroken == 7)
            #expect(r.failure == .sequenceGap)
        }
    }

    @Test func reordered_rows_are_named() async throws {
        try await withTestApp { app in
            try await seeded(app)
            let db = sql(app)
            try await db.raw("UPDATE audit_events SET sequence = -1 WHERE sequence = 5").run()
            try await db.raw("UPDATE audit_events SET sequence = 5 WHERE sequence = 6").run()
            try await db.raw("UPDATE audit_events SET sequence = 6 WHERE sequence = -1").run()
            let r = try await AuditLog.verify(on: app.db)
            #expect(r.firstBroken == 5)
            #expect(r.isIntact == false)
        }
    }

    @Test func admin_page_and_api_report_the_chain() async throws {
        try await withTestApp { app in
            try await seeded(app)
            let op = try await Fixture.org(app, kind: .hrServiceAgency)
            try await Fixture.user(app, "root", org: op, role: .platformAdmin)
            let browser = Browser(app)
            _ = try await browser.login("root")
            #expect(try await browser.get("/admin/audit").body.string.contains("哈希链完整"))
            try await sql(app).raw("UPDATE audit_events SET detail = '{\"forged\":\"1\"}' WHERE sequence = 3").run()
            let page = try await browser.get("/admin/audit?lang=en")
            #expect(page.body.string.contains("Hash chain broken at entry 3"))
            try await app.testing().test(.GET, "/api/v1/audit/verify", headers: ["Authorization": "Bearer \(try await Fixture.token(app, "root"))"]) {
                res in
                let v = try res.content.decode(ResourceAPI.AuditVerification.self)
                #expect(v.intact == false)
                #expect(v.firstBroken == 3)
            }
        }
    }

    @Test func a_failed_action_leaves_no_event() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            let before = try await AuditEventRecord.query(on: app.db).count()
            await #expect(throws: ValidationFailure.self) {
                try await Fixture.person(app, org: org, id: "110105194912310021")
            }
            #expect(try await AuditEventRecord.query(on: app.db).count() == before)
        }
    }

    @Test func concurrent_writes_keep_one_unbroken_chain() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 {
                    group.addTask { try await Fixture.person(app, org: org, id: Fixture.citizenID(500 + i), name: "并发\(i)") }
                }
                try await group.waitForAll()
            }
            let r = try await AuditLog.verify(on: app.db)
            #expect(r.isIntact)
            #expect(r.checked == 21)
        }
    }
}
