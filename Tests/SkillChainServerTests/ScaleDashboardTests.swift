import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct ScaleDashboardTests {
    /// The benchmark data set, small: the dashboard's SQL aggregates agree with the seeder's own counts and with the
    /// pay-by-level rule computed in Swift from the rows (latest skill-post month, highest level valid today, cells of
    /// five or more); a period with nothing in it counts nothing.
    @Test func the_dashboard_counts_the_generated_data_set_exactly() async throws {
        try await withTestApp { app in
            let counts = try await ScaleSeeder.seed(app, people: 1_200)
            let operatorOrg = try await Fixture.org(app, kind: .hrServiceAgency, name: "平台运营")
            try await Fixture.user(app, "root", org: operatorOrg, role: .platformAdmin)
            let root = try await APIClient(app, "root")
            let (status, d) = try await root.call(.GET, "/api/v1/dashboard?region=440000")
            #expect(status == .ok)
            let funnel = Dictionary(
                uniqueKeysWithValues: (d["funnel"] as? [[String: Any]] ?? []).map { ($0.string("stage"), $0["count"] as? Int ?? -1) })
            let certificates = try await CertificateRecord.query(on: app.db).all()
            #expect(funnel["enrolled"] == counts.enrollments)
            #expect(funnel["evaluated"] == counts.registrations)
            #expect(funnel["certified"] == Set(certificates.filter { $0.status == "valid" }.map(\.citizenIDIndex)).count)
            #expect(funnel["placed"] == counts.placements)

            // Pay by level, recomputed in Swift with Core's rules.
            let pay = try await PayRecordRecord.query(on: app.db).filter(\.$post == "skill").all()
            var latest: [String: (month: String, pay: Int)] = [:]
            for r in pay where latest[r.citizenIDIndex].map({ $0.month < r.month || ($0.month == r.month && $0.pay < r.monthlyPay) }) ?? true {
                latest[r.citizenIDIndex] = (r.month, r.monthlyPay)
            }
            let levels = try await PayService.verifiedLevels(Set(latest.keys), on: app.db, today: app.today)
            var expected: [String: (Int, Int)] = [:]
            for (who, p) in latest {
                if let l = levels[who] {
                    expected[l.rawValue, default: (0, 0)].0 += 1
                    expected[l.rawValue, default: (0, 0)].1 += p.pay
                }
            }
            let cells = (d["payByLevel"] as? [[String: Any]]) ?? []
            #expect(!cells.isEmpty)
            for c in cells {
                let e = try #require(expected[c.string("level")])
                if e.0 >= 5 {
                    #expect(c["people"] as? Int == e.0 && c["averageMonthlyPay"] as? Int == e.1 / e.0)
                } else {
                    #expect(c["people"] == nil)
                }
            }
            #expect(Set(cells.map { $0.string("level") }) == Set(expected.keys))

            // With an occupation chosen, the people on the pay grid are those who hold a valid certificate of it.
            let occupation = ScaleSeeder.occupations[0]
            let gridOrgs = Set(try await PayGridRecord.query(on: app.db).all().map(\.organizationID))
            let holders = Set(certificates.filter { $0.status == "valid" && $0.occupationCode == occupation }.map(\.citizenIDIndex))
            let paid = Set(try await PayRecordRecord.query(on: app.db).all().filter { gridOrgs.contains($0.organizationID) }.map(\.citizenIDIndex))
            let (_, one) = try await root.call(.GET, "/api/v1/dashboard?region=440000&occupation=\(occupation)")
            let stages = Dictionary(
                uniqueKeysWithValues: (one["funnel"] as? [[String: Any]] ?? []).map { ($0.string("stage"), $0["count"] as? Int ?? -1) })
            #expect(stages["onPayGrid"] == paid.intersection(holders).count && paid.intersection(holders).count > 0)
            #expect(stages["onPayGrid"]! < funnel["onPayGrid"]!)

            // A period in the future: nothing evaluated, certified or placed in it; a reversed period is named.
            let (_, future) = try await root.call(.GET, "/api/v1/dashboard?region=440000&from=2099-01-01")
            let none = Dictionary(
                uniqueKeysWithValues: (future["funnel"] as? [[String: Any]] ?? []).map { ($0.string("stage"), $0["count"] as? Int ?? -1) })
            #expect(none["evaluated"] == 0 && none["certified"] == 0 && none["placed"] == 0 && none["enrolled"] == 0)
            let reversed = try await root.call(.GET, "/api/v1/dashboard?region=440000&from=2026-06-01&to=2026-01-01")
            #expect(reversed.0 == .unprocessableEntity && reversed.1.errorCodes == ["dashboard.period.reversed"])
            #expect(try await root.call(.GET, "/api/v1/dashboard?region=440000&chain=nope").1.errorCodes == ["dashboard.chain.unknown"])
        }
    }
}
