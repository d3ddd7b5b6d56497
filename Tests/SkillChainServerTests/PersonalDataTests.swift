import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// A learner's rights over their data: see it all, download it, ask for a correction that HR accepts or refuses.
@Suite struct PersonalDataTests {
    struct World {
        let enterprise: OrganizationRecord
        let school: OrganizationRecord
        let atSchool: PersonRecord
        let atWork: PersonRecord
    }

    func world(_ app: Application) async throws -> World {
        let enterprise = try await Fixture.org(app, name: "东莞精工")
        let school = try await Fixture.org(app, kind: .technicalCollege, name: "东莞技师学院")
        let other = try await Fixture.org(app, name: "别家企业")
        try await Fixture.user(app, "hr", org: enterprise, role: .enterpriseAdmin)
        try await Fixture.user(app, "school", org: school, role: .schoolAdmin)
        try await Fixture.user(app, "outsider", org: other, role: .enterpriseAdmin)
        let atSchool = try await Fixture.person(app, org: school, id: "440524188001010014", name: "黄小明")
        let atWork = try await Fixture.person(app, org: enterprise, id: "440524188001010014", name: "黄小名")
        try await Fixture.user(app, "learner", org: school, role: .learner)
        try await UserRecord.query(on: app.db).filter(\.$username == "learner").set(\.$personID, to: atSchool.id).update()
        return World(enterprise: enterprise, school: school, atSchool: atSchool, atWork: atWork)
    }

    @Test func a_learner_sees_and_downloads_what_every_organization_holds_about_them() async throws {
        try await withTestApp { app in
            let w = try await world(app)
            let learner = try await APIClient(app, "learner")
            let (status, data) = try await learner.call(.GET, "/api/v1/me/data")
            #expect(status == .ok)
            let records = (data["records"] as? [[String: Any]]) ?? []
            #expect(Set(records.map { $0.string("organization") }) == ["东莞精工", "东莞技师学院"])
            #expect(
                records.allSatisfy { $0.string("citizenId") == "440524188001010014" && $0.string("phone") == "13800138000" }, "their own data in full"
            )
            #expect((data["account"] as? [String: Any])?.string("username") == "learner")

            let b = Browser(app)
            _ = try await b.login("learner")
            let page = try await b.get("/account/data")
            #expect(page.status == .ok && page.body.string.contains("东莞精工") && page.body.string.contains("4405**********0014"))
            let file = try await b.get("/account/data.json")
            #expect(file.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            #expect(file.headers.first(name: .cacheControl) == "no-store" && file.body.string.contains("黄小名"))
            _ = w
        }
    }

    @Test func a_correction_asked_by_the_learner_is_accepted_by_hr_and_the_record_changes_with_history() async throws {
        try await withTestApp { app in
            let w = try await world(app)
            let b = Browser(app)
            _ = try await b.login("learner")
            _ = try await b.get("/account/data")
            let atWork = w.atWork.id!.uuidString.lowercased()
            let bad = try await b.post("/account/data/corrections", form: ["personId": atWork, "field": "salary", "value": ""])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("field-error"))
            #expect(try await CorrectionRequestRecord.query(on: app.db).count() == 0)
            let sent = try await b.post(
                "/account/data/corrections", form: ["personId": atWork, "field": "name", "value": "黄小明", "explanation": "名字录错了"])
            #expect(sent.status == .seeOther)
            let request = try #require(try await CorrectionRequestRecord.query(on: app.db).first())
            #expect(request.organizationID == w.enterprise.id && !request.requestedValueSealed.contains("黄小明"))
            // Someone else's record cannot be the subject of a request.
            let (notMine, _) = try await APIClient(app, "learner").call(
                .POST, "/api/v1/me/corrections",
                ["personId": UUID().uuidString, "field": "name", "value": "x"])
            #expect(notMine == .notFound)

            // HR sees it on the person's page; the school and another enterprise cannot decide it.
            let hr = Browser(app)
            _ = try await hr.login("hr")
            // HR's home lists it, linked to the person's page where it is decided.
            let hrHome = try await hr.get("/").body.string
            #expect(hrHome.contains("处理个人信息更正申请") && hrHome.contains("href=\"/people/\(atWork)#corrections\""))
            let page = try await hr.get("/people/\(atWork)").body.string
            #expect(page.contains("本人更正申请") && page.contains("黄小明") && page.contains("名字录错了"))
            let path = "/api/v1/correction-requests/\(request.id!.uuidString.lowercased())/decision"
            #expect(try await APIClient(app, "outsider").call(.POST, path, ["decision": "accept"]).0 == .notFound)
            #expect(try await APIClient(app, "school").call(.POST, path, ["decision": "accept"]).0 == .notFound)
            let noReason = try await hr.post("/corrections/\(request.id!.uuidString.lowercased())/decision", form: ["decision": "refuse"])
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("须写明原因"))
            let accepted = try await hr.post("/corrections/\(request.id!.uuidString.lowercased())/decision", form: ["decision": "accept"])
            #expect(accepted.status == .seeOther)
            #expect(try await PersonRecord.find(w.atWork.id, on: app.db)?.name == "黄小明")
            #expect(try await APIClient(app, "hr").call(.POST, path, ["decision": "refuse", "reason": "晚了"]).0 == .conflict)
            let history = try await hr.get("/people/\(atWork)").body.string
            #expect(history.contains("本人申请更正") && history.contains("同意更正") && history.contains("黄小名 → 黄小明"))
            let (_, data) = try await APIClient(app, "learner").call(.GET, "/api/v1/me/data")
            let record = ((data["records"] as? [[String: Any]]) ?? []).first { $0.string("organization") == "东莞精工" }
            #expect(((record?["corrections"] as? [[String: Any]])?.first)?.string("status") == "accepted")
        }
    }
}
