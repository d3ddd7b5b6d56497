import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct TrainingPageTests {
    func location(_ res: TestingHTTPResponse) -> String { res.headers.first(name: .location) ?? "" }

    @Test func post_training_class_from_position_to_logged_hours_in_the_browser() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = Browser(app)
            _ = try await hr.login("hr")

            // Publish a position: a bad form names each problem and saves nothing.
            _ = try await hr.get("/positions/new")
            let bad = try await hr.post(
                "/positions",
                form: [
                    "title": "", "occupationCode": "6-18-02-04", "requiredLevel": "level4", "headcount": "abc",
                    "regionCode": "441900", "wageMin": "9000", "wageMax": "6000",
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("此项必填") && bad.body.string.contains("最高工资不能低于最低工资"))
            // What was typed comes back; the unticked front-line box stays unticked.
            #expect(bad.body.string.contains(#"value="9000""#) && !bad.body.string.contains(#"name="frontLine" checked"#))
            #expect(try await PositionRecord.query(on: app.db).count() == 0)
            let ok = try await hr.post(
                "/positions",
                form: [
                    "title": "焊接操作工", "occupationCode": "6-18-02-04", "requiredLevel": "level4", "headcount": "12",
                    "regionCode": "441900", "wageMin": "6000", "wageMax": "9000", "frontLine": "on",
                ])
            #expect(ok.status == .seeOther)
            let list = try await hr.get("/positions")
            #expect(list.body.string.contains("焊接操作工") && list.body.string.contains("一线岗位"))
            let position = try #require(try await PositionRecord.query(on: app.db).first())

            // Open a post + training class: hours outside the shares are explained, then accepted.
            _ = try await hr.get("/programs/new")
            var form = [
                "kind": "postTraining", "name": "焊工岗位+培训班", "occupationCode": "6-18-02-04", "targetLevel": "level4",
                "startDate": "2026-03-01", "endDate": "2026-08-31", "capacity": "30", "hoursGeneral": "150", "hoursBasics": "150",
                "hoursOperational": "300", "partnerIds[]": w.school.id!.uuidString, "positionIds[]": position.id!.uuidString,
                "cooperationTerms": "企业出岗位与师傅，学院出教师与课程",
            ]
            let badProgram = try await hr.post("/programs", form: form)
            #expect(badProgram.status == .unprocessableEntity)
            #expect(badProgram.body.string.contains("该类学时占比 25.0%，应在 10% 至 20% 之间"))
            #expect(try await ProgramRecord.query(on: app.db).count() == 0)
            form["hoursGeneral"] = "60"
            form["hoursBasics"] = "120"
            form["hoursOperational"] = "420"
            let created = try await hr.post("/programs", form: form)
            #expect(created.status == .seeOther)
            let programPath = location(created)
            let program = try #require(try await ProgramRecord.query(on: app.db).first())
            let agreement = try #require(try await AgreementRecord.query(on: app.db).first())
            #expect(try await hr.get(programPath).body.string.contains("校企合作协议尚未全部批准"))
            #expect(
                try await hr.post("/agreements/\(agreement.id!)/actions", form: ["action": "send", "terms": "企业出岗位与师傅，学院出教师与课程"]).status == .seeOther)

            // The school returns without a reason (refused, explained), then approves.
            let school = Browser(app)
            _ = try await school.login("school")
            let schoolView = try await school.get(programPath)
            #expect(schoolView.body.string.contains("同意并生效"))
            let noReason = try await school.post("/agreements/\(agreement.id!)/actions", form: ["action": "return", "reason": ""])
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("退回协议须说明原因"))
            #expect(try await school.post("/agreements/\(agreement.id!)/actions", form: ["action": "approve"]).status == .seeOther)
            #expect(try await AgreementRecord.find(agreement.id, on: app.db)?.status == "approved")

            // Enroll with both mentors, start, and the master logs hours on the apprentice's page.
            _ = try await hr.get(programPath)
            let enrolled = try await hr.post(
                "/programs/\(program.id!)/enrollments",
                form: [
                    "personId": w.apprentice.id!.uuidString,
                    "masterMembershipId": w.master.id!.uuidString,
                    "teacherMembershipId": w.teacher.id!.uuidString,
                ])
            #expect(enrolled.status == .seeOther)
            let enrollmentPath = location(enrolled)
            // Training cannot start before the learner's training agreement is approved: the page says why.
            let blocked = try await hr.post("/programs/\(program.id!)/status", form: ["action": "start"])
            #expect(blocked.status == .unprocessableEntity && blocked.body.string.contains("还有学员的培养协议未批准"))
            let training = try #require(try await AgreementRecord.query(on: app.db).filter(\.$kind == "training").first())
            _ = try await hr.get(enrollmentPath)
            #expect(
                try await hr.post("/agreements/\(training.id!)/actions", form: ["action": "send", "terms": "结业考核合格即录用为焊接操作工"]).status == .seeOther)
            let learner = Browser(app)
            _ = try await learner.login("learner")
            #expect(try await learner.get(enrollmentPath).body.string.contains("同意并生效"))
            #expect(try await learner.post("/agreements/\(training.id!)/actions", form: ["action": "approve"]).status == .seeOther)
            #expect(try await hr.post("/programs/\(program.id!)/status", form: ["action": "start"]).status == .seeOther)
            let master = Browser(app)
            _ = try await master.login("master")
            let page = try await master.get(enrollmentPath)
            #expect(page.body.string.contains("记录学时"))
            let badLog = try await master.post(
                enrollmentPath + "/progress", form: ["day": "2026-13-01", "category": "operationalSkills", "hours": "20", "attendance": "present"])
            #expect(badLog.status == .unprocessableEntity && badLog.body.string.contains("请按 YYYY-MM-DD 填写有效日期"))
            let logged = try await master.post(
                enrollmentPath + "/progress",
                form: [
                    "day": "2026-03-02", "category": "operationalSkills", "hours": "6",
                    "attendance": "present", "assessment": "焊缝平整",
                ])
            #expect(logged.status == .seeOther)
            let after = try await master.get(enrollmentPath)
            #expect(after.body.string.contains("累计出勤学时：6") && after.body.string.contains("焊缝平整"))

            // The enterprise claims the subsidy on the page; the region's bureau approves it on its page.
            _ = try await hr.get(enrollmentPath)
            let tooMuch = try await hr.post(
                "/subsidy-claims",
                form: [
                    "enrollmentId": location(enrolled).split(separator: "/").last.map(String.init) ?? "",
                    "yearIndex": "1", "advanceAmount": "9000",
                ])
            #expect(tooMuch.status == .unprocessableEntity && tooMuch.body.string.contains("预拨金额最多 2500 元（50%）"))
            let claimed = try await hr.post(
                "/subsidy-claims",
                form: [
                    "enrollmentId": location(enrolled).split(separator: "/").last.map(String.init) ?? "",
                    "yearIndex": "1", "advanceAmount": "2500",
                ])
            #expect(claimed.status == .seeOther)
            let gov = Browser(app)
            _ = try await gov.login("gov")
            #expect(try await gov.get("/").body.string.contains("审核 1 项补贴申请"))
            _ = try await gov.get(location(claimed))
            #expect(try await gov.post(location(claimed) + "/decision", form: ["decision": "approve"]).status == .seeOther)
            #expect(try await gov.get(location(claimed)).body.string.contains("已预拨"))
            #expect(try await SubsidyClaimRecord.query(on: app.db).first()?.advancePaid == 2500)

            // The same page in English.
            let english = try await master.get(enrollmentPath + "?lang=en")
            #expect(english.body.string.contains("Hours attended: 6") && english.body.string.contains("Log hours"))

            // Another enterprise cannot open the program or the apprentice.
            let outsider = Browser(app)
            _ = try await outsider.login("outsider")
            #expect(try await outsider.get(programPath).status == .notFound)
            #expect(try await outsider.get(enrollmentPath).status == .notFound)

            // Roster export: UTF-8 with BOM, masked ID numbers, hours by category.
            let csv = try await hr.get("/programs/\(program.id!)/roster.csv")
            let bytes = Array(csv.body.readableBytesView)
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(text.contains("李学徒") && text.contains(w.apprentice.citizenIDMasked) && !text.contains(Fixture.citizenID(0)))
            #expect(text.split(separator: "\r\n").count == 2)
        }
    }

    @Test func home_pages_point_each_role_to_its_next_step() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let api = try await APIClient(app, "hr")
            let (_, program) = try await api.call(.POST, "/api/v1/programs", w.programBody(kind: "postTraining"))
            let coop = try #require((program["cooperationAgreements"] as? [[String: Any]])?.first)
            _ = try await api.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "send"])
            let school = Browser(app)
            _ = try await school.login("school")
            #expect(try await school.get("/").body.string.contains("确认校企合作协议：焊工新型学徒班"))
            let hr = Browser(app)
            _ = try await hr.login("hr")
            #expect(try await hr.get("/").body.string.contains("推进开班：焊工新型学徒班"))
        }
    }
}

@Suite struct RosterImportServerTests {
    static let header = "姓名,身份证号,手机号,学历,人员类别\r\n"

    func importCSV(_ app: Application, _ bytes: [UInt8], user: String = "hr") async throws -> (HTTPStatus, [String: Any]) {
        let token = try await Fixture.token(app, user)
        var status: HTTPStatus = .ok
        var json: [String: Any] = [:]
        try await app.testing().test(
            .POST, "/api/v1/roster-imports", headers: ["Authorization": "Bearer \(token)", "Content-Type": "text/csv"],
            beforeRequest: { $0.body = ByteBuffer(bytes: bytes) }
        ) { res in
            status = res.status
            json = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any]) ?? [:]
        }
        return (status, json)
    }

    @Test func gb18030_file_from_excel_is_imported() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let text = Self.header + "王小二,\(Fixture.citizenID(501)),13800138011,技工学校,在职职工\r\n赵六,\(Fixture.citizenID(502)),13800138012,大专,学生\r\n"
            let gb = try #require(gb18030(text))
            let (status, body) = try await importCSV(app, gb)
            #expect(status == .created)
            #expect(body["imported"] as? Int == 2 && body["encoding"] as? String == "gb18030")
            let people = try await PersonRecord.query(on: app.db).filter(\.$organizationID == w.enterprise.id!).all().map(\.name)
            #expect(Set(people).isSuperset(of: ["王小二", "赵六"]))
            // Imported people are real people: their ID is sealed and found by its blind index.
            let found = try await PersonService(app).query(.init(q: Fixture.citizenID(501)), organizationID: w.enterprise.id!, on: app.db).all()
            #expect(found.map(\.name) == ["王小二"])
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "people.imported").count() == 1)
        }
    }

    @Test func one_bad_row_imports_nothing_and_reports_every_problem() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let before = try await PersonRecord.query(on: app.db).count()
            // Line 2 fine, line 3 duplicates someone already registered, line 4 has a bad ID and phone, line 5 repeats line 2.
            let text =
                "\u{FEFF}" + Self.header
                + "甲,\(Fixture.citizenID(601)),13800138021,本科,职工\r\n乙,\(w.apprentice.citizenIDMasked.isEmpty ? "" : try await plainID(app, w.apprentice)),13800138022,本科,职工\r\n"
                + "丙,440524188001010015,12345,本科,职工\r\n丁,\(Fixture.citizenID(601)),13800138024,本科,职工\r\n"
            let (status, body) = try await importCSV(app, Array(text.utf8))
            #expect(status == .unprocessableEntity)
            let fields = ((body["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String }
            #expect(fields == ["line 3: citizenId", "line 4: citizenId", "line 4: phone", "line 5: citizenId"])
            #expect(try await PersonRecord.query(on: app.db).count() == before)

            // The page shows the same problems and offers them as a download in the user's language.
            let browser = Browser(app)
            _ = try await browser.login("hr")
            _ = try await browser.get("/people/import")
            let page = try await browser.upload("/people/import", file: Array(text.utf8))
            #expect(page.status == .unprocessableEntity)
            let html = page.body.string
            #expect(html.contains("本机构已登记此身份证号") && html.contains("与第 2 行身份证号重复") && html.contains("没有导入任何人员"))
            let report = try #require(html.range(of: #"/people/import/[0-9a-f-]+/errors\.csv"#, options: .regularExpression).map { String(html[$0]) })
            let csv = try await browser.get(report)
            #expect(csv.headers.contentType?.subType == "csv")
            #expect(csv.body.string.contains("手机号"))
            // Another organization's admin cannot read the report.
            let other = Browser(app)
            _ = try await other.login("outsider")
            #expect(try await other.get(report).status == .notFound)
        }
    }

    func plainID(_ app: Application, _ p: PersonRecord) async throws -> String { try app.personalData.open(p.citizenIDSealed) }

    func gb18030(_ s: String) -> [UInt8]? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/iconv")
        p.arguments = ["-f", "UTF-8", "-t", "GB18030"]
        let input = Pipe()
        let output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        try? p.run()
        input.fileHandleForWriting.write(Data(s.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return p.terminationStatus == 0 ? Array(data) : nil
    }
}

@Suite struct StandardTests {
    @Test func eligibility_is_explained_through_the_api_and_on_the_page() async throws {
        try await withTestApp { app in
            _ = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let (status, standard) = try await hr.call(.GET, "/api/v1/occupations/6-18-02-04/standard")
            #expect(status == .ok && standard.string("documentNumber") == "GZB 6-18-02-04 (2018)")
            #expect((standard["clauses"] as? [Any])?.count == 10)
            #expect(try await hr.call(.GET, "/api/v1/occupations/9-99-99-99/standard").0 == .notFound)

            let (ok, result) = try await hr.call(
                .POST, "/api/v1/occupations/6-18-02-04/eligibility",
                ["certificates": [["level": "level4", "yearsWorkedSince": 2.5]], "yearsInOccupation": 7, "education": "associate"])
            #expect(ok == .ok)
            let levels = try #require(result["levels"] as? [[String: Any]])
            #expect(levels.map { $0["level"] as? String } == ["level5", "level4", "level3", "level2", "level1"])
            #expect(levels[2]["satisfiedBy"] as? String == "A-3-2")
            let level2 = try #require((levels[3]["clauses"] as? [[String: Any]])?.first)
            #expect(((level2["shortfalls"] as? [[String: Any]])?.first?["message"] as? String) == "需持有本职业（或相关职业）三级/高级工及以上证书")
            let (bad, problem) = try await hr.call(
                .POST, "/api/v1/occupations/6-18-02-04/eligibility", ["yearsInOccupation": 200, "education": "phd"])
            #expect(bad == .unprocessableEntity && Set(problem.errorFields) == ["yearsInOccupation", "education"])

            // The page explains the same in words.
            let b = Browser(app)
            _ = try await b.login("hr")
            let page = try await b.get(
                "/occupations/6-18-02-04?check=1&certificateLevel=level4&certificateYears=2.5&yearsInOccupation=7&education=associate")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("可申报，依据 A-3-2"))
            #expect(page.body.string.contains("A-2-1：需持有本职业（或相关职业）三级/高级工及以上证书"))
            #expect(try await b.get("/occupations/0-00-00-00").status == .notFound)
            #expect(!page.body.string.contains(#"name="finalYear" checked"#))
        }
    }

    @Test func enterprise_standards_are_versioned_and_private() async throws {
        try await withTestApp { app in
            _ = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let (empty, e) = try await hr.call(.POST, "/api/v1/occupations/6-18-02-04/enterprise-standards", ["requirements": ["level9": "x"]])
            #expect(empty == .unprocessableEntity && e.errorCodes == ["standard.enterprise.unknownLevel"])
            #expect(
                try await hr.call(.POST, "/api/v1/occupations/6-18-02-04/enterprise-standards", ["requirements": ["level4": "能独立完成 V 形坡口对接焊"]]).1[
                    "version"] as? Int == 1)
            #expect(
                try await hr.call(.POST, "/api/v1/occupations/6-18-02-04/enterprise-standards", ["requirements": ["level4": "能独立完成管板焊接"]]).1[
                    "version"] as? Int == 2)
            let mine = try await hr.call(.GET, "/api/v1/occupations/6-18-02-04/standard").1["enterpriseStandard"] as? [String: Any]
            #expect(mine?["version"] as? Int == 2)
            // Another enterprise sees its own (none), not ours; a school may not write one.
            let theirs = try await APIClient(app, "outsider").call(.GET, "/api/v1/occupations/6-18-02-04/standard").1
            #expect(theirs["enterpriseStandard"] == nil || theirs["enterpriseStandard"] is NSNull)
            #expect(
                try await APIClient(app, "school").call(
                    .POST, "/api/v1/occupations/6-18-02-04/enterprise-standards", ["requirements": ["level4": "x"]]
                ).0 == .forbidden)
            #expect(try await EnterpriseStandardRecord.query(on: app.db).count() == 2)
        }
    }
}
