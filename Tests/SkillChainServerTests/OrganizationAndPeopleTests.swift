import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct OrganizationAndPeopleTests {
    func adminToken(_ app: Application) async throws -> HTTPHeaders {
        let op = try await Fixture.org(app, kind: .hrServiceAgency)
        try await Fixture.user(app, "root", org: op, role: .platformAdmin)
        return ["Authorization": "Bearer \(try await Fixture.token(app, "root"))"]
    }

    @Test func admin_registers_an_organization_and_bad_input_changes_nothing() async throws {
        try await withTestApp { app in
            let auth = try await adminToken(app)
            let before = try await OrganizationRecord.query(on: app.db).count()
            let good = OrganizationInput(
                name: "东莞测试精工有限公司", kind: "enterprise", creditCode: Fixture.creditCode(900),
                regionCode: "441900", flags: ["specialisedSME"], insuredEmployees: 350)
            try await app.testing().test(.POST, "/api/v1/organizations", headers: auth, beforeRequest: { try $0.content.encode(good) }) { res in
                #expect(res.status == .created)
                let org = try res.content.decode(OrganizationResponse.self)
                #expect(org.regionName == "广东省 东莞市")
                #expect(org.flags == ["specialisedSME"])
            }
            var badCode = good
            let valid901 = Fixture.creditCode(901)
            badCode.creditCode = String(valid901.dropLast()) + (valid901.last == "0" ? "1" : "0")
            badCode.name = "另一家"
            try await app.testing().test(.POST, "/api/v1/organizations?lang=en", headers: auth, beforeRequest: { try $0.content.encode(badCode) }) {
                res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.headers.contentType?.description == "application/problem+json; charset=utf-8")
                let p = try JSONDecoder().decode(Problem.self, from: Data(res.body.readableBytesView))
                #expect(p.code == "validation")
                #expect(p.errors?.first?.field == "creditCode")
                #expect(p.errors?.first?.code == "creditCode.checkCharacter")
                #expect(p.errors?.first?.message == "The credit code's check character is wrong; please check it.")
            }
            var badRegion = good
            badRegion.regionCode = "441999"
            badRegion.creditCode = Fixture.creditCode(902)
            badRegion.name = "第三家"
            try await app.testing().test(.POST, "/api/v1/organizations", headers: auth, beforeRequest: { try $0.content.encode(badRegion) }) { res in
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("不是有效的行政区划代码"))
            }
            try await app.testing().test(
                .POST, "/api/v1/organizations", headers: auth.merging(["Content-Type": "application/json"]),
                beforeRequest: { $0.body = ByteBuffer(string: #"{"name": 5, "kind": []}"#) }
            ) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("malformed-body"))
                #expect(res.body.string.contains("字段 name 的类型不正确"))
            }
            try await app.testing().test(.POST, "/api/v1/organizations", headers: auth, beforeRequest: { try $0.content.encode(good) }) { res in
                #expect(res.status == .unprocessableEntity, "duplicate credit code")
                #expect(res.body.string.contains("organization.creditCode.taken"))
            }
            #expect(try await OrganizationRecord.query(on: app.db).count() == before + 1)
        }
    }

    @Test func oversized_bodies_are_refused_by_the_running_server() async throws {
        try await withTestApp { app in
            let auth = try await adminToken(app)
            let live = try app.testing(method: .running(hostname: "127.0.0.1", port: Int.random(in: 20_000...40_000)))
            try await live.test(
                .POST, "/api/v1/organizations", headers: auth.merging(["Content-Type": "application/json"]),
                body: ByteBuffer(string: "{\"name\":\"" + String(repeating: "x", count: 2_000_000) + "\"}")
            ) { res in
                #expect(res.status == .payloadTooLarge)
                #expect(res.body.string.contains("payload-too-large"))
            }
            #expect(try await OrganizationRecord.query(on: app.db).count() == 1)
        }
    }

    @Test func only_the_platform_admin_registers_organizations() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "hr", org: org, role: .enterpriseAdmin)
            let token = try await Fixture.token(app, "hr")
            try await app.testing().test(
                .POST, "/api/v1/organizations", headers: ["Authorization": "Bearer \(token)"],
                beforeRequest: { try $0.content.encode(["name": "x"]) }
            ) { res in
                #expect(res.status == .forbidden)
            }
        }
    }

    @Test func organization_page_search_and_pagination() async throws {
        try await withTestApp { app in
            for i in 0..<22 { try await Fixture.org(app, name: String(format: "分页企业%02d", i)) }
            try await Fixture.org(app, kind: .technicalCollege, name: "东莞测试技师学院")
            let me = try await Fixture.org(app, name: "我的企业")
            try await Fixture.user(app, "viewer", org: me, role: .master)
            let browser = Browser(app)
            _ = try await browser.login("viewer")
            let first = try await browser.get("/organizations?q=分页企业".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)
            #expect(first.body.string.contains("第 1/2 页，共 22 条"))
            #expect(first.body.string.contains("分页企业00"))
            #expect(!first.body.string.contains("分页企业21"))
            let colleges = try await browser.get("/organizations?kind=technicalCollege&lang=en")
            #expect(colleges.body.string.contains("东莞测试技师学院"))
            #expect(colleges.body.string.contains("Page 1 of 1, 1 in all"))
        }
    }

    @Test func people_are_masked_scoped_and_searchable_by_exact_id() async throws {
        try await withTestApp { app in
            let mine = try await Fixture.org(app)
            let theirs = try await Fixture.org(app)
            try await Fixture.user(app, "hr", org: mine, role: .enterpriseAdmin)
            let id = "440524188001010014"
            let person = try await Fixture.person(app, org: mine, id: id, name: "王五")
            let stranger = try await Fixture.person(app, org: theirs, name: "赵六")
            let auth: HTTPHeaders = ["Authorization": "Bearer \(try await Fixture.token(app, "hr"))"]
            try await app.testing().test(.GET, "/api/v1/people", headers: auth) { res in
                #expect(res.status == .ok)
                let page = try res.content.decode(APIPage<PersonResponse>.self)
                #expect(page.items.map(\.name) == ["王五"])
                #expect(page.items.first?.citizenId == "4405**********0014")
                #expect(page.items.first?.phone == "138****8000")
                #expect(page.nextCursor == nil)
                #expect(!res.body.string.contains(id))
            }
            try await app.testing().test(.GET, "/api/v1/people/\(stranger.id!)", headers: auth) { res in #expect(res.status == .notFound) }
            try await app.testing().test(.GET, "/api/v1/people/\(person.id!)", headers: auth) { res in
                #expect(res.status == .ok)
                let detail = try res.content.decode(PersonResponse.self)
                #expect(detail.birthDate == "1880-01-01")
            }
            let browser = Browser(app)
            _ = try await browser.login("hr")
            _ = try await browser.get("/people")
            let found = try await browser.post("/people/search", form: ["q": id])
            #expect(found.status == .ok)
            #expect(found.body.string.contains("王五"))
            #expect(!found.body.string.contains("赵六"))
            let byURL = try await browser.get("/people?q=\(id)&category=employee")
            #expect(byURL.status == .seeOther, "an ID number in a URL is redirected away")
            #expect(byURL.headers.first(name: .location) == "/people?category=employee")
            let byName = try await browser.post("/people/search", form: ["q": "王"])
            #expect(byName.headers.first(name: .location) == "/people?q=%E7%8E%8B")
            #expect(found.body.string.contains("4405**********0014"))
            #expect(!found.body.string.contains(">\(id)<"))
            #expect(try await browser.get("/people/\(stranger.id!)").status == .notFound)
            let revealed = try await browser.get("/people/\(person.id!)?reveal=1")
            #expect(revealed.body.string.contains(id), "the organization's admin may see the full number")
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "person.identityRevealed").count() == 1)
        }
    }

    @Test func person_form_keeps_input_and_shows_field_errors() async throws {
        try await withTestApp { app in
            let mine = try await Fixture.org(app)
            try await Fixture.user(app, "hr", org: mine, role: .enterpriseAdmin)
            let browser = Browser(app)
            _ = try await browser.login("hr")
            _ = try await browser.get("/people/new")
            let res = try await browser.post(
                "/people",
                form: [
                    "name": "钱七", "citizenId": "110105194912310021", "phone": "12345",
                    "education": "associate", "category": "nope",
                ])
            #expect(res.status == .unprocessableEntity)
            let html = res.body.string
            #expect(html.contains("公民身份号码校验码不正确"))
            #expect(html.contains("请输入 11 位手机号码"))
            #expect(html.contains("请选择列表中的选项"))
            #expect(html.contains("value=\"钱七\""))
            #expect(try await PersonRecord.query(on: app.db).count() == 0)
            let dup = ["name": "孙八", "citizenId": "11010519491231002X", "phone": "13900000000", "education": "associate", "category": "employee"]
            #expect(try await browser.post("/people", form: dup).status == .seeOther)
            let again = try await browser.post("/people", form: dup)
            #expect(again.status == .unprocessableEntity)
            #expect(again.body.string.contains("本机构已登记此身份证号的人员"))
        }
    }

    @Test func the_database_file_never_holds_a_clear_citizen_id() async throws {
        try await withTestApp { app in
            guard case .sqlite(let path) = app.config.database else { return }
            let org = try await Fixture.org(app)
            let ids = ["11010519491231002X", "440524188001010014", "34052419800101001X", "370101190102039973"]
            for (i, id) in ids.enumerated() { try await Fixture.person(app, org: org, id: id, name: "人员\(i)") }
            var bytes = Data()
            for suffix in ["", "-wal"] {
                if let d = FileManager.default.contents(atPath: path + suffix) { bytes.append(d) }
            }
            #expect(bytes.count > 0)
            for id in ids {
                #expect(bytes.range(of: Data(id.utf8)) == nil, "clear ID found in the database file")
                #expect(bytes.range(of: Data(id.dropLast(4).utf8)) == nil)
            }
        }
    }
}
