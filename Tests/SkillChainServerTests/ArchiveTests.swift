import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Nothing others refer to is deleted: it is archived, hidden from lists by default, and restorable.
@Suite struct ArchiveTests {
    @Test func archiving_an_organization_stops_its_logins_at_once_and_restoring_brings_them_back() async throws {
        try await withTestApp { app in
            let operatorOrg = try await Fixture.org(app, kind: .hrServiceAgency, name: "平台运营")
            let enterprise = try await Fixture.org(app, name: "东莞精工")
            try await Fixture.user(app, "admin", org: operatorOrg, role: .platformAdmin)
            try await Fixture.user(app, "hr", org: enterprise, role: .enterpriseAdmin)
            let hrToken = try await Fixture.token(app, "hr")
            let admin = try await APIClient(app, "admin")
            let path = "/api/v1/organizations/\(enterprise.id!.uuidString.lowercased())"
            let (noReason, problem) = try await admin.call(.POST, "\(path)/archive", [:])
            #expect(noReason == .unprocessableEntity && problem.errorFields == ["reason"])
            #expect(try await APIClient(app, "hr").call(.POST, "\(path)/archive", ["reason": "x"]).0 == .forbidden)
            let (ok, body) = try await admin.call(.POST, "\(path)/archive", ["reason": "企业注销"])
            #expect(ok == .ok && body["archived"] as? Bool == true)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(hrToken)"]).status == .unauthorized)
            #expect(try await Browser(app).login("hr").status == .unauthorized)
            let (_, listed) = try await admin.call(.GET, "/api/v1/organizations")
            #expect(!((listed["items"] as? [[String: Any]]) ?? []).contains { $0.string("name") == "东莞精工" })
            let (_, archived) = try await admin.call(.GET, "/api/v1/organizations?archived=true")
            #expect(((archived["items"] as? [[String: Any]]) ?? []).map { $0.string("name") } == ["东莞精工"])
            #expect(try await admin.call(.GET, "/api/v1/organizations?archived=maybe").0 == .unprocessableEntity)
            #expect(try await admin.call(.GET, "/api/v1/organizations?archived=").0 == .unprocessableEntity, "an empty value is not a boolean")

            // Restored from its page by the platform admin.
            let b = Browser(app)
            _ = try await b.login("admin")
            let page = try await b.get("/organizations/\(enterprise.id!.uuidString.lowercased())").body.string
            #expect(page.contains("已归档") && page.contains("/restore"))
            #expect(try await b.post("/organizations/\(enterprise.id!.uuidString.lowercased())/restore", form: [:]).status == .seeOther)
            #expect(try await Browser(app).login("hr").status == .seeOther)
        }
    }

    @Test func an_archived_person_leaves_the_list_but_not_the_records_and_comes_back() async throws {
        try await withTestApp { app in
            let enterprise = try await Fixture.org(app, name: "东莞精工")
            try await Fixture.user(app, "hr", org: enterprise, role: .enterpriseAdmin)
            let person = try await Fixture.person(app, org: enterprise, name: "离职员工")
            let b = Browser(app)
            _ = try await b.login("hr")
            let id = person.id!.uuidString.lowercased()
            #expect(try await b.post("/people/\(id)/archive", form: [:]).status == .seeOther)
            #expect(!(try await b.get("/people").body.string.contains("离职员工")))
            #expect(try await b.get("/people?archived=1").body.string.contains("离职员工"))
            #expect(try await b.get("/people/\(id)").body.string.contains("已归档"))
            let (_, restored) = try await APIClient(app, "hr").call(.POST, "/api/v1/people/\(id)/restore")
            #expect(restored["archived"] as? Bool == false)
            #expect(try await b.get("/people").body.string.contains("离职员工"))
            #expect(try await APIClient(app, "hr").call(.POST, "/api/v1/people/\(id)/restore").0 == .conflict)
        }
    }
}
