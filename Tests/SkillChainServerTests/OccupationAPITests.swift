import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct OccupationAPITests {
    @Test func search_filters_and_pages_the_stored_catalogue() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "reader", org: org, role: .learner)
            let auth: HTTPHeaders = ["Authorization": "Bearer \(try await Fixture.token(app, "reader"))"]
            let q = "焊工".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            try await app.testing().test(.GET, "/api/v1/occupations?q=\(q)", headers: auth) { res in
                #expect(res.status == .ok)
                let page = try res.content.decode(APIPage<OccupationAPI.Item>.self)
                #expect(page.items.contains { $0.code == "6-18-02-04" && $0.name == "焊工" && $0.edition == "2022" })
                #expect(page.items.allSatisfy { $0.name.contains("焊工") })
            }
            try await app.testing().test(.GET, "/api/v1/occupations?group=6-18&limit=100", headers: auth) { res in
                let page = try res.content.decode(APIPage<OccupationAPI.Item>.self)
                #expect(!page.items.isEmpty && page.items.allSatisfy { $0.code.hasPrefix("6-18-") })
            }
            var digital: [OccupationAPI.Item] = []
            var cursor: String?
            repeat {
                let path = "/api/v1/occupations?digital=true&limit=50" + (cursor.map { "&cursor=\($0)" } ?? "")
                try await app.testing().test(.GET, path, headers: auth) { res in
                    let page = try res.content.decode(APIPage<OccupationAPI.Item>.self)
                    digital += page.items
                    cursor = page.nextCursor
                }
            } while cursor != nil
            #expect(digital.count == 108, "84 digital + 24 digital-and-green, all pages walked")
            #expect(Set(digital.map(\.code)).count == 108)
            try await app.testing().test(.GET, "/api/v1/occupations?digital=maybe&limit=0", headers: auth) { res in
                #expect(res.status == .unprocessableEntity)
            }
        }
    }
}

@Suite struct OccupationPageTests {
    @Test func browse_by_group_name_and_marker() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app, kind: .technicalCollege)
            try await Fixture.user(app, "teacher", org: org, role: .teacher)
            let b = Browser(app)
            _ = try await b.login("teacher")
            let welders = try await b.get("/occupations?q=" + "焊工".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)
            #expect(welders.status == .ok)
            #expect(welders.body.string.contains("<code>6-18-02-04</code>"))
            let digital = try await b.get("/occupations?flag=digital")
            #expect(digital.body.string.contains("第 1/6 页，共 108 条"))
            let none = try await b.get("/occupations?q=" + "不存在".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)
            #expect(none.body.string.contains("没有符合条件的职业"))
            let group = try await b.get("/occupations?group=6-18&lang=en")
            #expect(group.body.string.contains("National occupation catalogue"))
            #expect(group.body.string.contains("<code>6-18-02-04</code>"))
            #expect(!group.body.string.contains("<code>6-19-"))
        }
    }
}
