import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Records note when they were made from the application's clock (not the machine's), so a test that moves the clock
/// ages them as it ages everything else.
@Suite struct ClockStampTests {
    func kinds(_ app: Application) async throws -> [String] {
        let items = (try await APIClient(app, "hr").call(.GET, "/api/v1/notifications?limit=100").1["items"] as? [[String: Any]]) ?? []
        return items.map { $0.string("kind") }
    }

    @Test func a_record_made_under_a_moved_clock_carries_its_time_and_an_edit_stamps_the_new_time() async throws {
        try await withTestApp { app in
            let start = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14, long before the machine's today
            let clock = ManualClock(start)
            app.dependencies.clock = clock
            let w = try await EvaluationWorld.make(app)
            let stored = try #require(try await OrganizationRecord.find(w.enterprise.id!, on: app.db))
            #expect(stored.createdAt == start)
            let user = try #require(try await UserRecord.query(on: app.db).filter(\.$username == "hr").first())
            #expect(user.createdAt == start)
            let hr = try await APIClient(app, "hr")
            #expect(try await hr.call(.POST, "/api/v1/pay-grids", ["bands": Payload.payBands]).0 == .ok)
            clock.advance(days: 3)
            var raised = Payload.payBands
            raised[1]["minimum"] = 5200
            #expect(try await hr.call(.POST, "/api/v1/pay-grids", ["bands": raised]).0 == .ok)
            let grid = try #require(try await PayGridRecord.query(on: app.db).filter(\.$organizationID == w.enterprise.id!).first())
            #expect(grid.updatedAt == start.addingTimeInterval(3 * 86_400), "a change stamps the clock's new time")
            let person = try #require(w.people["考生二"])
            let edit = try await hr.call(.PATCH, "/api/v1/people/\(person.id!)", ["name": "考生二改"])
            #expect(edit.0 == .ok)
            let edited = try #require(try await PersonRecord.find(person.id!, on: app.db))
            #expect(edited.createdAt == start, "an edit keeps the creation time")
        }
    }

    @Test func a_signing_key_is_flagged_sixty_days_before_its_first_birthday_by_the_application_clock() async throws {
        try await withTestApp { app in
            let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)
            let clock = ManualClock(start)
            app.dependencies.clock = clock
            let w = try await EvaluationWorld.make(app)
            let (key, _) = try await app.write { db in try await CertificateService(app).activeKey(w.enterprise.id!, on: db) }
            #expect(key.createdAt == start)
            clock.advance(days: ExpiryWarning.keyLifetimeDays - ExpiryWarning.daysAhead - 1)
            _ = try await ExpiryCheck(app: app).run()
            #expect(try await !kinds(app).contains("signingKeyExpiring"), "61 days before: not yet")
            clock.advance(days: 1)
            _ = try await ExpiryCheck(app: app).run()
            #expect(try await kinds(app).contains("signingKeyExpiring"), "60 days before: told")
        }
    }
}
