import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Lists read in one query (`ChainStore`, `PositionStore`) show what the per-row reads showed: every member, every
/// filter, the right totals and pages.
@Suite struct ListQueryTests {
    @Test func a_page_of_chains_carries_every_chains_members() async throws {
        try await withTestApp { app in
            let lead = try await Fixture.org(app, name: "链主企业")
            let school = try await Fixture.org(app, kind: .technicalCollege, name: "技师学院")
            try await Fixture.user(app, "hr", org: lead, role: .enterpriseAdmin)
            let hr = try await APIClient(app, "hr")
            var ids: [String] = []
            for n in 1...3 {
                let (status, chain) = try await hr.call(.POST, "/api/v1/chains", ["name": "链\(n)", "industry": "制造", "regionCode": "441900"])
                #expect(status == .created)
                let id = try #require(chain["id"] as? String)
                ids.append(id)
                if n != 2 {
                    let add = try await hr.call(
                        .POST, "/api/v1/chains/\(id)/members",
                        ["organizationId": school.id!.uuidString, "contributions": ["teachers"]])
                    #expect(add.0 == .created)
                }
            }
            let (status, page) = try await hr.call(.GET, "/api/v1/chains?limit=2")
            #expect(status == .ok)
            let items = try #require(page["items"] as? [[String: Any]])
            let rest = try await hr.call(.GET, "/api/v1/chains?cursor=\(try #require(page["nextCursor"] as? String))").1["items"] as? [[String: Any]]
            let all = items + (rest ?? [])
            #expect(Set(all.compactMap { $0["id"] as? String }) == Set(ids))
            for chain in all {
                let names = ((chain["members"] as? [[String: Any]]) ?? []).compactMap { $0["organizationName"] as? String }
                #expect(names.first == "链主企业")
                #expect(names.contains("技师学院") == (chain["id"] as? String != ids[1]))
            }
            // Another enterprise lists none of them.
            let other = try await Fixture.org(app, name: "别家企业")
            try await Fixture.user(app, "other", org: other, role: .enterpriseAdmin)
            #expect((try await APIClient(app, "other").call(.GET, "/api/v1/chains").1["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func the_positions_list_filters_counts_and_pages_like_before() async throws {
        try await withTestApp { app in
            let lead = try await Fixture.org(app, name: "甲企业")
            let other = try await Fixture.org(app, region: "440300", name: "乙企业")
            try await Fixture.user(app, "hr", org: lead, role: .enterpriseAdmin)
            try await Fixture.user(app, "hr2", org: other, role: .enterpriseAdmin)
            func post(_ client: APIClient, _ title: String, level: String, region: String, frontLine: Bool) async throws {
                let (status, _) = try await client.call(
                    .POST, "/api/v1/positions",
                    [
                        "title": title, "occupationCode": "6-18-02-04", "requiredLevel": level, "headcount": 2, "regionCode": region,
                        "wageMin": 5000, "wageMax": 8000, "frontLine": frontLine,
                    ])
                #expect(status == .created)
            }
            let hr = try await APIClient(app, "hr")
            let hr2 = try await APIClient(app, "hr2")
            for n in 1...21 { try await post(hr, "焊工\(n)号", level: "level4", region: "441900", frontLine: n % 2 == 0) }
            try await post(hr2, "装配工", level: "level3", region: "440300", frontLine: true)
            let b = Browser(app)
            _ = try await b.login("hr")
            // Distinct position titles on the page (a title may appear more than once in its row).
            func rows(_ html: String) -> Int {
                Set(html.matches(of: /焊工\d+号|装配工/).map { String($0.output) }).count
            }
            let first = try await b.get("/positions").body.string
            #expect(rows(first) == 20, "a page holds 20")
            #expect(first.contains("装配工") && first.contains("乙企业"), "the newest first, with the employer's name")
            #expect(first.contains("22"), "the total of every match")
            #expect(rows(try await b.get("/positions?page=2").body.string) == 2)
            #expect(rows(try await b.get("/positions?q=%E8%A3%85%E9%85%8D").body.string) == 1, "title contains 装配")
            #expect(rows(try await b.get("/positions?level=level3").body.string) == 1)
            #expect(rows(try await b.get("/positions?region=440300").body.string) == 1)
            #expect(rows(try await b.get("/positions?frontLine=true").body.string) == 11)
            #expect(rows(try await b.get("/positions?organization=\(other.id!.uuidString)").body.string) == 1)
            let beyond = try await b.get("/positions?page=9")
            #expect(beyond.status == .ok && rows(beyond.body.string) == 0)
        }
    }
}
