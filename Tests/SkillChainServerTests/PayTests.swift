import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct PayTests {
    @Test func the_grid_is_checked_and_the_gap_report_names_who_is_paid_below_their_verified_level() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)  // 考生一 and 考生二 certified at level 4
            let hr = try await APIClient(app, "hr")
            // A grid whose level 3 pays less than level 4 is refused, naming the level; nothing is saved.
            var bad = Payload.payBands
            bad[3]["minimum"] = 5500
            let refused = try await hr.call(.POST, "/api/v1/pay-grids", ["bands": bad, "middleManagerPay": 16000])
            #expect(refused.0 == .unprocessableEntity && refused.1.errorFields == ["bands.level3"] && refused.1.errorCodes == ["payGrid.decreasing"])
            #expect(try await PayGridRecord.query(on: app.db).count() == 0)
            let (saved, grid) = try await hr.call(
                .POST, "/api/v1/pay-grids", ["bands": Payload.payBands, "middleManagerPay": 16000, "seniorManagerPay": 26000])
            #expect(saved == .ok && (grid["bands"] as? [Any])?.count == 8)
            #expect((try await APIClient(app, "outsider").call(.GET, "/api/v1/pay-grids").1["items"] as? [Any])?.isEmpty == true)
            #expect((try await APIClient(app, "gov").call(.GET, "/api/v1/pay-grids").1["items"] as? [Any])?.count == 1)

            // Actual pay: one bad row refuses the whole file.
            let ids = try ["考生一", "考生二", "甲考评"].map { try app.personalData.open(w.people[$0]!.citizenIDSealed) }
            let bodyBad = "姓名,身份证号,月份,月工资,岗位类别\n考生一,\(ids[0]),2026-10,6200,技能\n外人,\(ids[1]),2026-13,abc,技能\n"
            var status: HTTPStatus = .ok
            try await app.testing().test(
                .POST, "/api/v1/pay-records", headers: hr.headers.merging(["Content-Type": "text/csv"]),
                beforeRequest: { req in
                    req.body = ByteBuffer(string: bodyBad)
                }
            ) { res in status = res.status }
            #expect(status == .unprocessableEntity)
            #expect(try await PayRecordRecord.query(on: app.db).count() == 0)
            let body = "姓名,身份证号,月份,月工资,岗位类别\n考生一,\(ids[0]),2026-10,6200,技能\n考生二,\(ids[1]),2026-10,7100,技能岗\n甲考评,\(ids[2]),2026-10,16500,管理\n"
            try await app.testing().test(
                .POST, "/api/v1/pay-records", headers: hr.headers.merging(["Content-Type": "text/csv"]),
                beforeRequest: { req in
                    req.body = ByteBuffer(string: body)
                }
            ) { res in status = res.status }
            #expect(status == .created)
            let (_, gaps) = try await hr.call(.GET, "/api/v1/pay-gaps")
            let below = try #require(gaps["below"] as? [[String: Any]])
            #expect(below.map { $0.string("name") } == ["考生一"])
            #expect(below.first?["reference"] as? Int == 6500 && below.first?["shortfall"] as? Int == 300)
            #expect(try await APIClient(app, "outsider").call(.GET, "/api/v1/pay-gaps").1["below"].map { ($0 as? [Any])?.isEmpty } == true)
            #expect(try await APIClient(app, "gov").call(.GET, "/api/v1/pay-gaps").0 == .forbidden)

            // The page shows the same.
            let browser = Browser(app)
            try await browser.login("hr")
            let page = try await browser.get("/pay")
            #expect(page.status == .ok && page.body.string.contains("考生一") && page.body.string.contains("6500"))
        }
    }
}
