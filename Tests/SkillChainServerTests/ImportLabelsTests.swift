import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Every import accepts files written in the platform's own words, in either language, and the templates its page
/// offers (issue 15): the roster, registrations, theory scores, the question bank, actual pay and existing certificates.
@Suite struct ImportLabelsTests {
    /// A template as the page links it: downloaded from the href on the page, byte order mark dropped.
    func template(_ b: Browser, page: String, format: String, locale: String) async throws -> (header: String, example: String) {
        let href = "/import-templates/\(format)-\(locale).csv"
        #expect(try await b.get(page).body.string.contains("href=\"\(href)\""), "\(page) offers \(href)")
        let text = try await b.get(href).body.string
        let lines = String(text.drop { $0 == "\u{FEFF}" }).split(separator: "\r\n").map(String.init)
        return (lines[0], lines[1])
    }

    func label(_ app: Application, _ key: String, _ locale: AppLocale) -> String { app.localizer.catalogs[locale]![key]! }

    @Test func a_roster_in_the_platforms_own_labels_or_from_either_template_imports() async throws {
        try await withTestApp { app in
            _ = try await TrainingWorld.make(app)
            let hr = Browser(app)
            _ = try await hr.login("hr")
            let ids = ["4419001990010112", "4419001991020223", "4419001992030334", "4419001993040445"].map { CitizenID.completing($0 + "1")!.value }
            // The dropdown's own words: 技工学校/中专 (zh) and Technical school (en), with English headers.
            let zh =
                "姓名,公民身份号码,手机号码,学历,人员类别\n张一,\(ids[0]),13800138001,\(label(app, "education.technicalSchool", .zhHans)),"
                + "\(label(app, "category.employee", .zhHans))\n"
            let en =
                "Name,Citizen ID number,Mobile phone,Education,Category\nLi Er,\(ids[1]),13800138002,"
                + "\(label(app, "education.technicalSchool", .en)),\(label(app, "category.student", .en))\n"
            for (text, expected) in [(zh, 1), (en, 2)] {
                let res = try await hr.upload("/people/import", file: Array(text.utf8))
                #expect(res.status == .ok && res.body.string.contains("已导入 1 人"), "\(res.body.string.prefix(300))")
                #expect(try await PersonRecord.query(on: app.db).filter(\.$name ~~ ["张一", "Li Er"]).count() == expected)
            }
            // The page lists the accepted values and both templates; each template, its example row given new numbers, imports.
            let page = try await hr.get("/people/import").body.string
            #expect(page.contains("技工学校/中专") && page.contains("在职职工") && page.contains("各列填写说明"))
            for (locale, id, phone) in [("zh-Hans", ids[2], "13800138003"), ("en", ids[3], "13800138004")] {
                let t = try await template(hr, page: "/people/import", format: "roster", locale: locale)
                let row = t.example.replacingOccurrences(of: "11010519491231002X", with: id).replacingOccurrences(of: "13800138000", with: phone)
                let res = try await hr.upload("/people/import", file: Array("\(t.header)\n\(row)\n".utf8))
                #expect(res.status == .ok && res.body.string.contains("已导入 1 人"), "\(locale)")
            }
            #expect(try await PersonRecord.query(on: app.db).filter(\.$citizenIDIndex ~~ ids.map(app.personalData.blindIndex)).count() == 4)
            // A word no column accepts is named.
            let bad =
                "Name,Citizen ID number,Mobile phone,Education,Category\nWang,\(CitizenID.completing("44190019940505561")!.value),13800138009,幼儿园,Employee\n"
            let refused = try await hr.upload("/people/import", file: Array(bad.utf8))
            #expect(refused.body.string.contains("“幼儿园”不是可接受的值"))
        }
    }

    @Test func registrations_scores_and_questions_take_english_headers_labels_and_templates() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            func idNumber(_ name: String) throws -> String { try app.personalData.open(w.people[name]!.citizenIDSealed) }
            let b = try await w.openBatch(app)
            let hr = Browser(app)
            _ = try await hr.login("hr")
            let page = "/evaluation-plans/\(b)"
            // Registrations: the English template's header, levels as the pages show them in both languages.
            let t = try await template(hr, page: page, format: "registrations", locale: "en")
            #expect(t.header.hasPrefix("Citizen ID number,Eligibility clause"))
            let csv =
                "\(t.header)\n\(try idNumber("考生一")),A-4-1,4,6-18-02-04,\(label(app, "level.level5", .en)),3,Welding\n"
                + "\(try idNumber("考生二")),A-4-1,5,6-18-02-04,\(label(app, "level.level5", .zhHans)),4,焊装\n"
            let registered = try await hr.post("\(page)/registrations/import", form: ["csv": csv])
            #expect(registered.status == .seeOther, "\(registered.body.string.prefix(500))")
            #expect(try await RegistrationRecord.query(on: app.db).count() == 2)
            #expect(try await RegistrationRecord.query(on: app.db).all().allSatisfy { $0.facts.contains("level5") })
            let api = try await APIClient(app, "hr")
            _ = try await api.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            for e in ["closeRegistration", "holdExams"] { _ = try await api.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": e]) }
            // Theory scores with the Chinese template's header.
            let s = try await template(hr, page: page, format: "scores", locale: "zh-Hans")
            let scored = try await hr.post(
                "\(page)/theory-scores", form: ["csv": "\(s.header)\n\(try idNumber("考生一")),72\n\(try idNumber("考生二")),88\n"])
            #expect(scored.status == .seeOther, "\(scored.body.string.prefix(500))")
            #expect(try await RegistrationRecord.query(on: app.db).all().compactMap(\.theoryScore).sorted() == [72, 88])

            // The question bank: the English template's example imports as it is; a file in Chinese labels does too.
            let bank = "/question-bank?occupationCode=\(EvaluationWorld.occupation)&level=level4"
            let q = try await template(hr, page: bank, format: "questions", locale: "en")
            let form = ["occupationCode": EvaluationWorld.occupation, "level": "level4"]
            let first = try await hr.post("/question-bank/import", form: form.merging(["csv": "\(q.header)\n\(q.example)\n"]) { a, _ in a })
            #expect(first.status == .seeOther, "\(first.body.string.prefix(500))")
            let chinese =
                "题型,鉴定范围,标签,题干,A,B,C,D,E,F,答案\n\(label(app, "questionKind.trueFalse", .zhHans)),"
                + "\(label(app, "standard.area.relatedKnowledge", .zhHans)),安全,焊接时必须佩戴护目镜。,,,,,,,对\n"
                + "Multiple choice,Related knowledge,,Which are welding defects?,Porosity,Cracks,Paint,,,,AB\n"
            let second = try await hr.post("/question-bank/import", form: form.merging(["csv": chinese]) { a, _ in a })
            #expect(second.status == .seeOther, "\(second.body.string.prefix(500))")
            let items = try await QuestionItemRecord.query(on: app.db).all()
            #expect(items.count == 3 && items.contains { $0.kind == "trueFalse" && $0.answer == "T" } && items.contains { $0.kind == "multiple" })
        }
    }

    @Test func pay_uploads_or_pastes_with_the_labels_and_month_forms_people_write_and_certificates_take_english_headers() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let ids = try ["考生一", "考生二", "甲考评"].map { try app.personalData.open(w.people[$0]!.citizenIDSealed) }
            let hr = Browser(app)
            _ = try await hr.login("hr")
            // The English template's header, uploaded as a file; posts and months as people write them.
            let t = try await template(hr, page: "/pay", format: "pay", locale: "en")
            let file =
                "\(t.header)\n考生一,\(ids[0]),2026年10月,6200,\(label(app, "payPost.skill", .en))\n"
                + "考生二,\(ids[1]),2026/10,7100,\(label(app, "payPost.skill", .zhHans))\n甲考评,\(ids[2]),202610,16500,Management post\n"
            let uploaded = try await hr.upload("/pay/records", file: Array(file.utf8))
            #expect(uploaded.status == .ok && uploaded.body.string.contains("已导入 3 条工资记录"), "\(uploaded.body.string.prefix(400))")
            #expect(try await PayRecordRecord.query(on: app.db).all().allSatisfy { $0.month == "2026-10" })
            // Pasted, in the Chinese template's header; a post nobody uses is named.
            let z = try await template(hr, page: "/pay", format: "pay", locale: "zh-Hans")
            let pasted = try await hr.post("/pay/records", form: ["text": "\(z.header)\n考生一,\(ids[0]),2026-09,6100,车间\n"])
            #expect(pasted.status == .unprocessableEntity && pasted.body.string.contains("“车间”不是可接受的值"))
            #expect(try await hr.post("/pay/records", form: ["text": "\(z.header)\n考生一,\(ids[0]),2026-09,6100,技能岗位\n"]).status == .ok)
            #expect(try await PayRecordRecord.query(on: app.db).count() == 4)

            // Existing certificates: English headers and the level as the English pages show it.
            let c = try await template(hr, page: "/certificates/import", format: "certificates", locale: "en")
            let certs = "\(c.header)\n考生一,\(ids[0]),\(EvaluationWorld.occupation),,\(label(app, "level.level4", .en)),2019-06-30,0944190301400012\n"
            let imported = try await hr.post("/certificates/import", form: ["text": certs])
            #expect(imported.status == .ok && imported.body.string.contains("已导入 1 张证书"), "\(imported.body.string.prefix(400))")
        }
    }
}
