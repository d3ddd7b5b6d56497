import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// An organization keeps its own details right; the credit code is the platform admin's, with a reason.
@Suite struct OrganizationEditTests {
    @Test func an_enterprise_admin_corrects_their_organization_and_only_the_platform_admin_the_credit_code() async throws {
        try await withTestApp { app in
            let operatorOrg = try await Fixture.org(app, kind: .hrServiceAgency, name: "平台运营")
            let enterprise = try await Fixture.org(app, name: "东莞精工")
            let other = try await Fixture.org(app, name: "别家企业")
            try await Fixture.user(app, "admin", org: operatorOrg, role: .platformAdmin)
            try await Fixture.user(app, "hr", org: enterprise, role: .enterpriseAdmin)
            try await Fixture.user(app, "outsider", org: other, role: .enterpriseAdmin)
            let id = enterprise.id!.uuidString.lowercased()

            // The page: bad input named field by field, nothing changed; then saved with the version.
            let hr = Browser(app)
            _ = try await hr.login("hr")
            let form = try await hr.get("/organizations/\(id)/edit")
            #expect(form.status == .ok && form.body.string.contains("name=\"version\" value=\"1\""))
            let bad = try await hr.post(
                "/organizations/\(id)",
                form: [
                    "version": "1", "name": "", "regionCode": "999999", "insuredEmployees": "many",
                    "retentionDays": "-3",
                ])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("field-error"))
            #expect(try await OrganizationRecord.find(enterprise.id, on: app.db)?.version == 1)
            let saved = try await hr.post(
                "/organizations/\(id)",
                form: [
                    "version": "1", "name": "东莞精工科技", "contact": "王经理 0769-22220000",
                    "address": "东莞市松山湖科技园", "regionCode": "441900", "insuredEmployees": "120",
                    "retentionDays": "1095",
                ])
            #expect(saved.status == .seeOther)
            let o = try #require(try await OrganizationRecord.find(enterprise.id, on: app.db))
            #expect(o.name == "东莞精工科技" && o.retentionDays == 1095 && o.version == 2 && o.address == "东莞市松山湖科技园")
            let page = try await hr.get("/organizations/\(id)").body.string
            #expect(page.contains("修改记录") && page.contains("东莞精工 → 东莞精工科技") && page.contains("东莞市松山湖科技园"))
            let outsider = Browser(app)
            _ = try await outsider.login("outsider")
            #expect(!(try await outsider.get("/organizations/\(id)").body.string.contains("修改记录")), "another enterprise sees no history")
            // A form from before that save is stale: refused, the current values shown.
            let stale = try await hr.post(
                "/organizations/\(id)", form: ["version": "1", "name": "旧名", "regionCode": "441900", "insuredEmployees": "1"])
            #expect(stale.status == .conflict && stale.body.string.contains("东莞精工科技"))

            // The API: another enterprise may not; HR may not touch the credit code; the platform admin may, with a reason.
            let path = "/api/v1/organizations/\(id)"
            #expect(try await APIClient(app, "outsider").call(.PATCH, path, ["name": "抢注"]).0 == .notFound)
            #expect(try await APIClient(app, "hr").call(.PATCH, path, ["creditCode": Fixture.creditCode(9001), "reason": "x"]).0 == .forbidden)
            let admin = try await APIClient(app, "admin")
            let (noReason, problem) = try await admin.call(.PATCH, path, ["creditCode": Fixture.creditCode(9001)])
            #expect(noReason == .unprocessableEntity && problem.errorFields == ["reason"])
            let (taken, takenBody) = try await admin.call(.PATCH, path, ["creditCode": other.creditCode, "reason": "录入错误"])
            #expect(taken == .unprocessableEntity && takenBody.errorCodes == ["organization.creditCode.taken"])
            let (ok, body) = try await admin.call(.PATCH, path, ["creditCode": Fixture.creditCode(9001), "reason": "录入错误"])
            #expect(ok == .ok && body.string("creditCode") == Fixture.creditCode(9001))
            let entries = try await AuditEventRecord.query(on: app.db).filter(\.$action == "organization.updated").all()
            #expect(entries.count == 2 && entries[1].detail.contains("录入错误"))
        }
    }
}
