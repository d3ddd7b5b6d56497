import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// `skillchain retention run`: personal data kept past the organization's period is erased; counts and the log stay.
@Suite struct RetentionRunTests {
    @Test func people_past_the_period_with_nothing_open_are_erased_and_others_kept() async throws {
        try await withTestApp { app in
            let enterprise = try await Fixture.org(app, name: "东莞精工")
            let quiet = try await Fixture.org(app, name: "未设期限企业")
            try await Fixture.user(app, "hr", org: enterprise, role: .enterpriseAdmin)
            let gone = try await Fixture.person(app, org: enterprise, name: "早已离开")
            let asking = try await Fixture.person(app, org: enterprise, name: "正在申请更正")
            let elsewhere = try await Fixture.person(app, org: quiet, name: "另一家的人")
            let open = CorrectionRequestRecord()
            open.personID = asking.id!
            open.organizationID = enterprise.id!
            open.requestedBy = UUID()
            open.field = "phone"
            open.requestedValueSealed = try app.personalData.seal("13900139000")
            open.status = CorrectionStatus.open.rawValue
            open.createdAt = Date()
            // (requested_by references users: use HR's id)
            open.requestedBy = try await UserRecord.query(on: app.db).filter(\.$username == "hr").first()!.id!
            try await open.create(on: app.db)
            let hr = try await APIClient(app, "hr")
            #expect(try await hr.call(.PATCH, "/api/v1/organizations/\(enterprise.id!.uuidString.lowercased())", ["retentionDays": 30]).0 == .ok)

            let later = Date().addingTimeInterval(60 * 86_400)
            let dry = try await RetentionService(app).run(dryRun: true, now: later)
            #expect(dry.map(\.organization) == ["东莞精工"] && dry[0].due == 1 && dry[0].erased == 0)
            #expect(try await PersonRecord.find(gone.id, on: app.db)?.name == "早已离开", "a dry run changes nothing")
            #expect(try await RetentionService(app).run(dryRun: false, now: Date()).first?.due == 0, "not yet past the period")

            let report = try await RetentionService(app).run(dryRun: false, now: later)
            #expect(report.first?.erased == 1)
            let erased = try #require(try await PersonRecord.find(gone.id, on: app.db))
            #expect(erased.name == "—" && erased.citizenIDSealed.isEmpty && erased.phoneSealed.isEmpty && erased.erasedAt != nil)
            #expect(erased.citizenIDIndex != gone.citizenIDIndex, "the blind index is gone too")
            #expect(try await PersonRecord.find(asking.id, on: app.db)?.name == "正在申请更正", "an open request keeps the record")
            #expect(try await PersonRecord.find(elsewhere.id, on: app.db)?.name == "另一家的人", "no period, no erasure")
            #expect(try await PersonRecord.query(on: app.db).count() == 3, "the row stays for counts")
            let entry = try #require(try await AuditEventRecord.query(on: app.db).filter(\.$action == "person.erased").first())
            #expect(!entry.detail.contains("早已离开"))
            #expect(try await AuditLog.verify(on: app.db).isIntact)
            // Erased people are out of the list; the archive filter shows the row without a name.
            let b = Browser(app)
            _ = try await b.login("hr")
            #expect(!(try await b.get("/people").body.string.contains("—</a>")))
        }
    }
}
