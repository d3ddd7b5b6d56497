import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct FilingServerTests {
    @Test func an_enterprise_files_and_the_regions_bureau_decides() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let farGov = try await Fixture.org(app, kind: .governmentDepartment, region: "110000")
            try await Fixture.user(app, "fargov", org: farGov, role: .governmentOfficer)
            let hr = try await APIClient(app, "hr")
            let gov = try await APIClient(app, "gov")

            var bad = Payload.filing
            bad["institutionType"] = "S"
            bad["institutionCode"] = "12"
            bad["siteSerial"] = "000000"
            bad["validUntil"] = "2035-01-01"
            bad["scopes"] = [["occupationCode": "9-99-99-99", "levels": ["apprentice"]]]
            let (badStatus, problem) = try await hr.call(.POST, "/api/v1/evaluation-bodies", bad)
            #expect(badStatus == .unprocessableEntity)
            #expect(
                Set(problem.errorCodes).isSuperset(of: [
                    "filing.type.notForKind", "filing.institutionCode.format", "filing.siteSerial.format",
                    "filing.validity.tooLong", "occupation.unknown", "field.invalidChoice",
                ]))
            #expect(try await EvaluationFilingRecord.query(on: app.db).count() == 0)

            let (created, filing) = try await hr.call(.POST, "/api/v1/evaluation-bodies", Payload.filing)
            #expect(created == .created && filing.string("status") == "draft" && filing.string("certificatePrefix") == "Y000044190001")
            #expect(filing["canOpenBatches"] as? Bool == false)
            let id = filing.string("id")
            #expect(try await hr.call(.POST, "/api/v1/evaluation-bodies", Payload.filing).1.errorCodes == ["filing.already"])
            // The bureau cannot decide a draft; the enterprise cannot approve itself; a bureau elsewhere cannot see it.
            #expect(
                try await gov.call(.POST, "/api/v1/evaluation-bodies/\(id)/decision", ["decision": "approve"]).1.errorCodes == [
                    "filing.transition.notAllowed"
                ])
            #expect(try await hr.call(.POST, "/api/v1/evaluation-bodies/\(id)/decision", ["decision": "approve"]).0 == .forbidden)
            #expect(try await hr.call(.POST, "/api/v1/evaluation-bodies/\(id)/submit").1.string("status") == "submitted")
            #expect(try await APIClient(app, "fargov").call(.GET, "/api/v1/evaluation-bodies/\(id)").0 == .notFound)
            #expect(try await APIClient(app, "outsider").call(.GET, "/api/v1/evaluation-bodies/\(id)").0 == .notFound)
            let (noReason, nr) = try await gov.call(.POST, "/api/v1/evaluation-bodies/\(id)/decision", ["decision": "return"])
            #expect(noReason == .unprocessableEntity && nr.errorFields == ["reason"])
            #expect(
                try await gov.call(.POST, "/api/v1/evaluation-bodies/\(id)/decision", ["decision": "return", "reason": "请补充考评员名单"]).1.string("status")
                    == "returned")
            _ = try await hr.call(.POST, "/api/v1/evaluation-bodies/\(id)/submit")
            let (_, approved) = try await gov.call(.POST, "/api/v1/evaluation-bodies/\(id)/decision", ["decision": "approve"])
            #expect(approved.string("status") == "approved")
            let (_, suspended) = try await gov.call(.POST, "/api/v1/evaluation-bodies/\(id)/decision", ["decision": "suspend", "reason": "考务违规"])
            #expect(suspended.string("status") == "suspended" && suspended["canOpenBatches"] as? Bool == false)
            let actions = try await AuditEventRecord.query(on: app.db).filter(\.$objectType == "filing").all().map(\.action)
            #expect(actions == ["filing.created", "filing.submit", "filing.sendBack", "filing.submit", "filing.approve", "filing.suspend"])
            _ = w
        }
    }

    @Test func the_filing_pages_work_in_the_browser() async throws {
        try await withTestApp { app in
            _ = try await TrainingWorld.make(app)
            let school = Browser(app)
            _ = try await school.login("school")
            _ = try await school.get("/evaluation-bodies/new")
            let bad = try await school.post(
                "/evaluation-bodies",
                form: [
                    "institutionType": "S", "institutionCode": "0000", "siteSerial": "190002",
                    "validFrom": "2026-01-01", "validUntil": "2028-12-31", "scope1Code": "6-18-02-04",
                ])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("此项必填"))
            let ok = try await school.post(
                "/evaluation-bodies",
                form: [
                    "institutionType": "S", "institutionCode": "0000", "siteSerial": "190002",
                    "validFrom": "2026-01-01", "validUntil": "2028-12-31", "scope1Code": "6-31-01-03",
                    "scope1Levels[]": "level4",
                ])
            #expect(ok.status == .seeOther)
            let path = ok.headers.first(name: .location) ?? ""
            #expect(try await school.get(path).body.string.contains("S000044190002"))
            #expect(try await school.post(path + "/submit", form: [:]).status == .seeOther)
            let gov = Browser(app)
            _ = try await gov.login("gov")
            #expect(try await gov.get("/").body.string.contains("审核评价机构备案"))
            _ = try await gov.get(path)
            #expect(try await gov.post(path + "/decision", form: ["decision": "approve"]).status == .seeOther)
            #expect(try await school.get(path + "?lang=en").body.string.contains("The filing is in force"))
        }
    }
}
