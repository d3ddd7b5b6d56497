import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// A new pay grid replaces the current one; the one it replaces stays readable as an earlier version.
@Suite struct PayGridVersionTests {
    @Test func each_saved_grid_is_kept_as_a_version_and_the_old_one_stays_readable() async throws {
        try await withTestApp { app in
            let enterprise = try await Fixture.org(app, name: "东莞精工")
            let other = try await Fixture.org(app, name: "别家企业")
            try await Fixture.user(app, "hr", org: enterprise, role: .enterpriseAdmin)
            try await Fixture.user(app, "outsider", org: other, role: .enterpriseAdmin)
            let hr = try await APIClient(app, "hr")
            #expect(try await hr.call(.POST, "/api/v1/pay-grids", ["bands": Payload.payBands]).0 == .ok)
            var raised = Payload.payBands
            raised[1]["minimum"] = 5200
            #expect(try await hr.call(.POST, "/api/v1/pay-grids", ["bands": raised]).0 == .ok)
            // A refused grid is no version.
            var bad = Payload.payBands
            bad[3]["minimum"] = 1
            #expect(try await hr.call(.POST, "/api/v1/pay-grids", ["bands": bad]).0 == .unprocessableEntity)

            let (_, versions) = try await hr.call(.GET, "/api/v1/pay-grids/versions")
            let items = (versions["items"] as? [[String: Any]]) ?? []
            #expect(items.map { $0["version"] as? Int } == [2, 1])
            let first = (items.last?["bands"] as? [[String: Any]])?.first { $0.string("level") == "level5" }
            #expect(first?["minimum"] as? Int == 5000, "version 1 reads as it was saved")
            #expect(((try await APIClient(app, "outsider").call(.GET, "/api/v1/pay-grids/versions").1["items"] as? [Any]) ?? [1]).isEmpty)

            let b = Browser(app)
            _ = try await b.login("hr")
            let page = try await b.get("/pay").body.string
            #expect(page.contains("历史版本") && page.contains("第 1 版") && page.contains("5000–6500"))
        }
    }
}
