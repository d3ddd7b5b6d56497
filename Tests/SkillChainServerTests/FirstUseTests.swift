import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// What a new user tripped over (issue 15): status lines from the reader's side, to-dos that lead to the record,
/// a bad dashboard filter that comes back on the dashboard, and public pages that lead to each other.
@Suite struct FirstUseTests {
    /// A post + training class with its cooperation agreement sent to the school.
    func sentAgreement(_ app: Application, _ w: TrainingWorld, hr: Browser) async throws -> (program: String, agreement: UUID) {
        let position = try await hr.post(
            "/positions",
            form: [
                "title": "焊接操作工", "occupationCode": "6-18-02-04", "requiredLevel": "level4",
                "headcount": "12", "regionCode": "441900", "wageMin": "6000", "wageMax": "9000",
            ])
        #expect(position.status == .seeOther)
        let positionID = try #require(try await PositionRecord.query(on: app.db).first()?.id)
        let created = try await hr.post(
            "/programs",
            form: [
                "kind": "postTraining", "name": "焊工岗位+培训班", "occupationCode": "6-18-02-04", "targetLevel": "level4",
                "startDate": "2026-03-01", "endDate": "2026-08-31", "capacity": "30", "hoursGeneral": "60", "hoursBasics": "120",
                "hoursOperational": "420", "partnerIds[]": w.school.id!.uuidString, "positionIds[]": positionID.uuidString,
                "cooperationTerms": "企业出岗位与师傅，学院出教师与课程",
            ])
        #expect(created.status == .seeOther)
        let agreement = try #require(try await AgreementRecord.query(on: app.db).first())
        #expect(try await hr.post("/agreements/\(agreement.id!)/actions", form: ["action": "send", "terms": "企业出岗位与师傅"]).status == .seeOther)
        return (created.headers.first(name: .location) ?? "", agreement.id!)
    }

    @Test func an_agreement_says_waiting_for_you_to_the_party_who_must_act_and_names_them_to_the_other() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = Browser(app)
            _ = try await hr.login("hr")
            let (program, agreement) = try await sentAgreement(app, w, hr: hr)
            let school = Browser(app)
            _ = try await school.login("school")

            // The school, whose turn it is, reads "waiting for you" beside its buttons, never "the other party".
            let schoolView = try await school.get(program).body.string
            #expect(schoolView.contains("待您确认") && schoolView.contains("同意并生效"))
            #expect(!schoolView.contains("对方") && !schoolView.contains("当前由"))
            // The enterprise reads whom it waits for, by name.
            let hrView = try await hr.get(program).body.string
            #expect(hrView.contains("等待东莞技师学院确认") && !hrView.contains("待您确认"))
            // In English too.
            #expect(try await school.get(program + "?lang=en").body.string.contains("Waiting for you: approve or return it"))

            // The school's to-do leads to the agreement itself.
            let anchor = "\(program)#agreement-\(agreement.uuidString.lowercased())"
            _ = try await school.get("/?lang=zh-Hans")
            #expect(try await school.get("/").body.string.contains("href=\"\(anchor)\""))

            // Returned: the enterprise's to-do names the programme and leads to the agreement, not the programme list.
            #expect(try await school.post("/agreements/\(agreement)/actions", form: ["action": "return", "reason": "请补充实训安排"]).status == .seeOther)
            let home = try await hr.get("/").body.string
            #expect(home.contains("协议被退回，请修改后重新发送：焊工岗位+培训班") && home.contains("href=\"\(anchor)\""))
            #expect(try await hr.get(program).body.string.contains("已退回，待您修改后重新发送"))
            #expect(try await school.get(program).body.string.contains("已退回，等待东莞精工修改"))
        }
    }

    @Test func a_bad_dashboard_filter_comes_back_on_the_dashboard_with_the_field_named_and_the_filters_kept() async throws {
        try await withTestApp { app in
            _ = try await TrainingWorld.make(app)
            let gov = Browser(app)
            _ = try await gov.login("gov")
            let bad = try await gov.get("/dashboard?region=441900&occupation=9-99-99-99&from=2026-05-01&to=2026-04-01")
            let page = bad.body.string
            #expect(bad.status == .unprocessableEntity)
            // The dashboard itself, not an error page: the filter form with what was typed, each bad field named.
            #expect(page.contains("id=\"filter-errors\"") && page.contains("id=\"counted-at\""))
            #expect(page.contains(#"value="9-99-99-99""#) && page.contains(#"value="2026-05-01""#) && page.contains(#"value="2026-04-01""#))
            #expect(page.contains("id=\"occupation-error\"") && page.contains("职业编码不在 2022 版职业分类目录中"))
            #expect(page.contains("id=\"to-error\"") && page.contains("截止日期不能早于起始日期"))
            #expect(!page.contains("id=\"from-error\""))
            // A good filter is no error.
            #expect(try await gov.get("/dashboard?region=441900&from=2026-01-01&to=2026-12-31").status == .ok)
        }
    }

    @Test func every_public_page_leads_to_verification_and_the_public_notices() async throws {
        try await withTestApp { app in
            for path in ["/login", "/verify", "/notices", "/honours/notices"] {
                let page = try await app.testing().sendRequest(.GET, path).body.string
                #expect(page.contains(#"<a href="/verify""#) && page.contains(#"<a href="/notices""#), "\(path)")
                #expect(page.contains(#"<a href="/honours/notices""#) && page.contains(#"<a href="/login""#), "\(path)")
            }
        }
    }

    @Test func verification_says_exactly_what_failed() async throws {
        try await withTestApp { app in
            let visitor = Browser(app)
            // Sent empty: the field says so.
            let empty = try await visitor.get("/verify?number=&name=")
            #expect(empty.body.string.contains("请输入证书编号") && empty.body.string.contains(#"aria-invalid="true""#))
            _ = try await visitor.get("/verify")
            let noText = try await visitor.post("/verify", form: ["credential": "  "])
            #expect(noText.body.string.contains("请粘贴证书的 JSON 或 JWT"))
            // Plain text is "not a credential", not "tampered".
            let plain = try await visitor.post("/verify", form: ["credential": "张三 高级工 证书"])
            #expect(plain.body.string.contains("不是电子证书") && !plain.body.string.contains("已被篡改"))
            _ = try await visitor.get("/verify?lang=en")
            let english = try await visitor.post("/verify", form: ["credential": "hello"])
            #expect(english.body.string.contains("Not a credential"))
        }
    }

    @Test func deciding_a_filing_says_what_was_decided_and_what_follows() async throws {
        try await withTestApp { app in
            _ = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let id = try await hr.call(.POST, "/api/v1/evaluation-bodies", Payload.filing).1.string("id")
            #expect(try await hr.call(.POST, "/api/v1/evaluation-bodies/\(id)/submit").0 == .ok)
            let gov = Browser(app)
            _ = try await gov.login("gov")
            _ = try await gov.get("/evaluation-bodies/\(id)")
            let decided = try await gov.post("/evaluation-bodies/\(id)/decision", form: ["decision": "approve"])
            #expect(decided.status == .seeOther)
            let page = try await gov.get("/evaluation-bodies/\(id)").body.string
            #expect(page.contains("备案已批准：该机构现在可以在备案的职业和等级范围内制订评价计划") && !page.contains(">已处理。<"))
        }
    }

    @Test func an_invitation_sent_from_the_matches_page_says_so_and_waits_on_the_learners_home_page() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)
            let api = try await APIClient(app, "hr")
            let learnerAPI = try await APIClient(app, "learner")
            let pid = try await api.call(
                .POST, "/api/v1/positions",
                [
                    "title": "视觉检测工", "occupationCode": EvaluationWorld.occupation, "requiredLevel": "level4", "headcount": 1,
                    "regionCode": "441900", "wageMin": 6000, "wageMax": 9000,
                ]
            ).1.string("id")
            #expect(try await learnerAPI.call(.POST, "/api/v1/talent-pool/consent", ["consent": true]).0 == .ok)
            let candidate = try #require((try await api.call(.GET, "/api/v1/positions/\(pid)/matches").1["items"] as? [[String: Any]])?.first)
                .string("candidate")
            let hr = Browser(app)
            _ = try await hr.login("hr")
            _ = try await hr.get("/positions/\(pid)/matches")
            let sent = try await hr.post("/positions/\(pid)/invitations", form: ["candidate": candidate, "message": "欢迎面试"])
            #expect(sent.status == .seeOther)
            #expect(try await hr.get("/positions/\(pid)/matches").body.string.contains("邀请已发出"))
            // The learner's home lists the invitation, linked to where it is answered.
            let learner = Browser(app)
            _ = try await learner.login("learner")
            let invitation = try #require(try await InvitationRecord.query(on: app.db).first())
            let home = try await learner.get("/").body.string
            #expect(home.contains("答复岗位邀请：视觉检测工"))
            #expect(home.contains("href=\"/talent-pool#invitation-\(invitation.id!.uuidString.lowercased())\""))
            #expect(try await learner.get("/talent-pool").body.string.contains("id=\"invitation-\(invitation.id!.uuidString.lowercased())\""))
        }
    }
}
