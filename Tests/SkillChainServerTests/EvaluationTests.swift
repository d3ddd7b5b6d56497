import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct EvaluationTests {
    @Test func a_batch_needs_the_filed_scope_and_a_complete_panel_before_its_plan_goes_to_the_bureau() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let hr = try await APIClient(app, "hr")
            var body = EvaluationWorld.batchBody(level: "level2")
            body["theoryMinutes"] = 30
            let (bad, problem) = try await hr.call(.POST, "/api/v1/evaluation-plans", body)
            #expect(bad == .unprocessableEntity)
            #expect(Set(problem.errorCodes) == ["batch.scope.notFiled", "exam.duration.range"])
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans", EvaluationWorld.batchBody()).0 == .created)
            // The outsider has no filing.
            #expect(
                try await APIClient(app, "outsider").call(.POST, "/api/v1/evaluation-plans", EvaluationWorld.batchBody()).1.errorCodes == [
                    "batch.filing.missing"
                ])

            let (_, batch) = try await hr.call(.GET, "/api/v1/evaluation-plans")
            let b = ((batch["items"] as? [[String: Any]]) ?? [])[0].string("id")
            // An even panel without a supervisor: every reason at once, nothing changes.
            for name in ["甲考评", "乙考评"] {
                _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": w.id(name), "duty": "assessor"])
            }
            let (refused, why) = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "submitPlan"])
            #expect(refused == .unprocessableEntity)
            #expect(Set(why.errorCodes) == ["panel.assessors.tooFew", "panel.assessors.even", "room.proctors.tooFew", "batch.supervisor.missing"])
            #expect(try await EvaluationBatchRecord.find(UUID(uuidString: b)!, on: app.db)?.status == "planned")
            // An assessor holding a lower level than assessed may not sit; nor may someone outside the registry.
            #expect(
                try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": w.id("丙考评"), "duty": "assessor"]).1.errorCodes == [
                    "batch.assessor.levelTooLow"
                ])
            #expect(
                try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": w.id("考生二"), "duty": "proctor", "room": "A"]).1
                    .errorCodes == ["batch.staff.notRegistered"])
            // The enterprise cannot approve its own plan; another enterprise cannot even see it.
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "approvePlan"]).0 == .forbidden)
            #expect(try await APIClient(app, "outsider").call(.GET, "/api/v1/evaluation-plans/\(b)").0 == .notFound)
        }
    }

    @Test func registration_explains_eligibility_and_overrides_need_a_reason() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let b = try await w.openBatch(app)
            let hr = try await APIClient(app, "hr")
            let (ok, met) = try await w.register(app, b, "考生一", years: 3)
            #expect(ok == .created)
            #expect(met["engineEligible"] as? Bool == true && met.string("eligibility") == "pending")
            let (_, short) = try await w.register(app, b, "考生二", years: 1)
            #expect(short["engineEligible"] as? Bool == false)
            let shortfalls = (short["shortfalls"] as? [[String: Any]]) ?? []
            #expect(shortfalls.map { $0.string("code") } == ["eligibility.short.years"])
            #expect(shortfalls.first?.string("message").contains("2") == true)
            #expect(try await w.register(app, b, "考生一").1.errorCodes == ["registration.duplicate"])
            #expect(try await w.register(app, b, "外人").1.errorFields == ["personId"])
            let r2 = short.string("id")
            let (noReason, problem) = try await hr.call(.POST, "/api/v1/registrations/\(r2)/eligibility", ["decision": "eligible"])
            #expect(noReason == .unprocessableEntity && problem.errorCodes == ["registration.override.reasonRequired"])
            let (_, overridden) = try await hr.call(
                .POST, "/api/v1/registrations/\(r2)/eligibility", ["decision": "eligible", "reason": "社保记录显示已满两年"])
            #expect(overridden.string("eligibility") == "eligible" && overridden.string("overrideReason") == "社保记录显示已满两年")
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "registration.overridden").count() == 1)
            let (_, all) = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            #expect(all["reviewed"] as? Int == 1)
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "closeRegistration"]).0 == .ok)
            #expect(try await w.register(app, b, "考生三").1.errorCodes == ["registration.closed"])
        }
    }

    @Test func assessors_score_blind_recused_where_they_mentor_and_every_change_is_audited() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            // 丁师傅 mentors 考生一 in an apprenticeship: give him that enrollment.
            let master = try await MembershipRecord.query(on: app.db).join(UserRecord.self, on: \MembershipRecord.$userID == \UserRecord.$id)
                .filter(UserRecord.self, \.$username == "a4").first()!
            let program = try await w.program(app, year: 2026, status: .inTraining, subsidyPerYear: 0)
            let e = EnrollmentRecord()
            e.programID = program.id!
            e.personID = w.people["考生一"]!.id!
            e.status = "active"
            e.masterMembershipID = master.id
            try await e.create(on: app.db)

            let b = try await w.openBatch(app, assessors: ["甲考评", "乙考评", "丁师傅"])
            let hr = try await APIClient(app, "hr")
            let r1 = try await w.register(app, b, "考生一").1.string("id")
            let r2 = try await w.register(app, b, "考生二").1.string("id")
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "closeRegistration"])
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "holdExams"])

            // The master stands aside for his apprentice and does not even see him; assessors see no ID numbers.
            let a4 = try await APIClient(app, "a4")
            #expect(
                try await a4.call(.POST, "/api/v1/registrations/\(r1)/scores", ["subject": "practical", "score": 90]).1.errorCodes == [
                    "score.recused"
                ])
            let (_, seen) = try await a4.call(.GET, "/api/v1/evaluation-plans/\(b)/registrations")
            let rows = (seen["items"] as? [[String: Any]]) ?? []
            #expect(rows.map { $0.string("id") } == [r2])
            #expect(rows.allSatisfy { $0["citizenIdMasked"] == nil })
            // An assessor not on the batch does not see it at all.
            #expect(try await APIClient(app, "a3").call(.GET, "/api/v1/evaluation-plans/\(b)").0 == .notFound)

            // 考生一: two assessors remain (recusal), scores 80 and 84; theory on paper 75.
            let a1 = try await APIClient(app, "a1")
            let a2 = try await APIClient(app, "a2")
            #expect(try await a1.call(.POST, "/api/v1/registrations/\(r1)/scores", ["subject": "practical", "score": 80]).0 == .ok)
            #expect(
                try await a1.call(.POST, "/api/v1/registrations/\(r1)/scores", ["subject": "practical", "score": 81]).1.errorCodes == [
                    "score.alreadySubmitted"
                ])
            let (_, r1done) = try await a2.call(.POST, "/api/v1/registrations/\(r1)/scores", ["subject": "practical", "score": 84])
            #expect(r1done["practicalScore"] as? Double == 82)
            _ = try await hr.call(.POST, "/api/v1/registrations/\(r1)/scores", ["score": 75])
            // 考生二: the three assessors disagree by more than 15 points → reconciliation; sign-off waits.
            for (client, s) in [(a1, 60.0), (a2, 90.0), (a4, 70.0)] {
                _ = try await client.call(.POST, "/api/v1/registrations/\(r2)/scores", ["subject": "practical", "score": s])
            }
            let (_, theory2) = try await hr.call(.POST, "/api/v1/registrations/\(r2)/scores", ["score": 55])
            #expect(theory2["needsReconciliation"] as? Bool == true && theory2["outcome"] == nil)
            let sup = try await APIClient(app, "sup")
            let (blocked, why) = try await sup.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "signOff"])
            #expect(blocked == .unprocessableEntity && why.errorCodes == ["batch.scores.reconcile"])
            _ = try await a1.call(.POST, "/api/v1/registrations/\(r2)/scores", ["subject": "practical", "score": 76])
            let (_, revised) = try await a2.call(.POST, "/api/v1/registrations/\(r2)/scores", ["subject": "practical", "score": 80])
            #expect(revised["needsReconciliation"] as? Bool == false && revised["practicalScore"] as? Double == 75.3)
            #expect(revised.string("outcome") == "failed")  // theory 55 < 60

            // Only the batch's supervisor signs off; after that scores change only by a reasoned correction.
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "signOff"]).0 == .forbidden)
            #expect(try await sup.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "signOff"]).0 == .ok)
            #expect(
                try await a1.call(.POST, "/api/v1/registrations/\(r1)/scores", ["subject": "practical", "score": 99]).1.errorCodes == [
                    "score.signedOff"
                ])
            #expect(
                try await hr.call(.POST, "/api/v1/registrations/\(r2)/corrections", ["subject": "theory", "score": 61]).1.errorCodes == [
                    "score.correction.reasonRequired"
                ])
            let (_, corrected) = try await hr.call(
                .POST, "/api/v1/registrations/\(r2)/corrections", ["subject": "theory", "score": 61, "reason": "复核发现漏计第 12 题"])
            #expect(corrected.string("outcome") == "passed")
            let audit = try await AuditEventRecord.query(on: app.db).filter(\.$action == "score.corrected").first()
            #expect(audit?.detail.contains("\"from\":\"55.0\"") == true && audit?.detail.contains("\"to\":\"61.0\"") == true)
            #expect(
                try await AuditEventRecord.query(on: app.db).filter(\.$action ~~ ["score.submitted", "score.revised", "score.theoryEntered"]).count()
                    == 9)

            // Public notice: 5 working days from today; both passed, masked; an objection blocks the final result.
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "publishNotice"]).0 == .ok)
            let notices = try await app.testing().sendRequest(.GET, "/api/v1/notices")
            let text = notices.body.string
            #expect(
                text.contains("考生一") && text.contains("**********")
                    && !text.contains(w.people["考生一"]!.citizenIDMasked.replacingOccurrences(of: "*", with: "")))
            let batchID = UUID(uuidString: b)!
            let objection = try await NoticeService(app).object(batchID, .init(candidate: "考生二", text: "成绩存疑", contact: "13900139000"))
            let hrActor = try await DemoData.actor(app, username: "hr")!
            let later = Day(Date()).plusDays(30)
            await #expect(throws: ValidationFailure.self) {
                try await BatchService(app).transition(batchID, .init(event: "finalize"), actor: hrActor, today: later)
            }
            #expect(
                try await hr.call(
                    .POST, "/api/v1/objections/\(objection.id!.uuidString)/resolution", ["status": "dismissed", "resolution": "经核实成绩无误"]
                ).0 == .ok)
            await #expect(throws: ValidationFailure.self) {  // the notice is still running today
                try await BatchService(app).transition(batchID, .init(event: "finalize"), actor: hrActor)
            }
            try await BatchService(app).transition(batchID, .init(event: "finalize"), actor: hrActor, today: later)
            #expect(try await EvaluationBatchRecord.find(batchID, on: app.db)?.status == "final")
            #expect(try await AuditLog.verify(on: app.db).isIntact)
        }
    }

    @Test func holidays_lengthen_the_notice_and_objections_are_rate_limited() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            try await Fixture.user(app, "root", org: try await Fixture.org(app, kind: .hrServiceAgency), role: .platformAdmin)
            let root = try await DemoData.actor(app, username: "root")!
            let today = Day(Date())
            let plain = WorkingCalendar().lastDay(ofWorkingDays: 5, from: today)
            // Make the next three working days holidays: the notice ends three working days later.
            var day = today
            var added = 0
            while added < 3 {
                if WorkingCalendar().isWorkingDay(day) {
                    try await CalendarService(app).add(.init(day: day.description, kind: "holiday", name: "测试假日"), actor: root)
                    added += 1
                }
                day = day.next
            }
            let hrActor = try await DemoData.actor(app, username: "hr")!
            await #expect(throws: DomainError.notFound) {
                try await CalendarService(app).add(.init(day: "2026-10-01", kind: "holiday", name: "国庆"), actor: hrActor)
            }
            let b = try await w.openBatch(app)
            let hr = try await APIClient(app, "hr")
            let rid = try await w.register(app, b, "考生一").1.string("id")
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            for e in ["closeRegistration", "holdExams"] { _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": e]) }
            for u in ["a1", "a2", "a4"] {
                _ = try await APIClient(app, u).call(.POST, "/api/v1/registrations/\(rid)/scores", ["subject": "practical", "score": 80])
            }
            _ = try await hr.call(.POST, "/api/v1/registrations/\(rid)/scores", ["score": 80])
            #expect(try await APIClient(app, "sup").call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "signOff"]).0 == .ok)
            let (_, published) = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "publishNotice"])
            let until = Day(published.string("noticeUntil"))!
            #expect(until > plain)
            #expect(
                WorkingCalendar(holidays: Set((try await CalendarDayRecord.query(on: app.db).all()).compactMap { Day($0.day) })).lastDay(
                    ofWorkingDays: 5, from: today) == until)

            // The public form: five objections an hour per address, then 429; a bad one changes nothing.
            let browser = Browser(app)
            _ = try await browser.get("/notices")
            let bad = try await browser.post("/notices/\(b)/objections", form: ["candidate": "", "text": "", "contact": ""])
            #expect(bad.status == .unprocessableEntity)
            #expect(try await NoticeObjectionRecord.query(on: app.db).count() == 0)
            for _ in 0..<4 {
                #expect(
                    try await browser.post("/notices/\(b)/objections", form: ["candidate": "考生一", "text": "请核实", "contact": "13900139000"]).status
                        == .seeOther)
            }
            #expect(
                try await browser.post("/notices/\(b)/objections", form: ["candidate": "考生一", "text": "请核实", "contact": "13900139000"]).status
                    == .tooManyRequests)
            #expect(try await NoticeObjectionRecord.query(on: app.db).count() == 4)
            // The contact is sealed at rest and shown to the body only.
            let stored = try await NoticeObjectionRecord.query(on: app.db).first()!
            #expect(!stored.contactSealed.contains("13900139000"))
        }
    }

    @Test func rosters_paper_scores_and_score_sheets_import_whole_and_a_single_failed_subject_is_retaken() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let hrActor = try await DemoData.actor(app, username: "hr")!
            func idNumber(_ name: String) throws -> String { try app.personalData.open(w.people[name]!.citizenIDSealed) }
            let b = UUID(uuidString: try await w.openBatch(app))!
            // One bad line (an unknown person) and nothing is registered; the error names the line.
            let bad = "身份证号,申报条件,本职业年限,原证书职业编码,原证书等级,取证后年限,部门\n\(try idNumber("考生一")),A-4-1,4,6-18-02-04,五级,3,焊装\n110101199003070000,A-4-1,4,,,,\n"
            do {
                _ = try await RegistrationService(app).importCSV(b, bad, actor: hrActor)
                Issue.record("accepted a bad roster")
            } catch let f as ValidationFailure {
                #expect(f.errors.map(\.code) == ["question.import.row"] && f.errors[0].args.first == "3")
            }
            #expect(try await RegistrationRecord.query(on: app.db).count() == 0)
            let good = "\(try idNumber("考生一")),A-4-1,4,6-18-02-04,五级,3,焊装\n\(try idNumber("考生二")),A-4-1,5,6-18-02-04,level5,4,焊装\n"
            #expect(try await RegistrationService(app).importCSV(b, good, actor: hrActor) == 2)
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            for e in ["closeRegistration", "holdExams"] { _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": e]) }
            // Paper theory scores: 考生一 fails theory (50), 考生二 passes.
            #expect(
                try await RegistrationService(app).importTheory(
                    b, "身份证号,理论成绩\n\(try idNumber("考生一")),50\n\(try idNumber("考生二")),88\n", actor: hrActor) == 2)
            // Score sheets: one score per criterion of the standard's skill table; an unknown criterion is refused.
            let regs = try await RegistrationRecord.query(on: app.db).filter(\.$batchID == b).all()
            let r1 = regs.first { $0.personID == w.people["考生一"]!.id }!.id!.uuidString
            let r2 = regs.first { $0.personID == w.people["考生二"]!.id }!.id!.uuidString
            let a1 = try await APIClient(app, "a1")
            #expect(
                try await a1.call(.POST, "/api/v1/registrations/\(r2)/scores", ["subject": "practical", "criteria": ["speed": 80]]).1.errorFields
                    .contains("criteria.speed"))
            for u in ["a1", "a2"] {
                for r in [r1, r2] {
                    _ = try await APIClient(app, u).call(
                        .POST, "/api/v1/registrations/\(r)/scores", ["subject": "practical", "criteria": ["skillRequirements": 80]])
                }
            }
            // 丁师傅 (a4) scores both: 考生一 is not his apprentice in this test.
            for r in [r1, r2] {
                _ = try await APIClient(app, "a4").call(
                    .POST, "/api/v1/registrations/\(r)/scores", ["subject": "practical", "criteria": ["skillRequirements": 77]])
            }
            let sheet = try await PracticalScoreRecord.query(on: app.db).first()!
            #expect(sheet.criteria.contains("skillRequirements"))
            #expect(try await APIClient(app, "sup").call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "signOff"]).0 == .ok)
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "publishNotice"])
            try await BatchService(app).transition(b, .init(event: "finalize"), actor: hrActor, today: Day(Date()).plusDays(30))
            #expect(try await RegistrationRecord.find(UUID(uuidString: r1)!, on: app.db)?.outcome == "failed")

            // The next batch: 考生一 retakes only theory; the practical (79) is carried over and not scored again.
            let b2 = try await w.openBatch(app)
            let (_, retake) = try await w.register(app, b2, "考生一")
            let rr = try await RegistrationRecord.find(UUID(uuidString: retake.string("id"))!, on: app.db)!
            #expect(rr.retakeSubject == "theory" && rr.practicalScore == 79 && rr.retakeOf == UUID(uuidString: r1))
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b2)/eligibility")
            for e in ["closeRegistration", "holdExams"] { _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b2)/transitions", ["event": e]) }
            #expect(
                try await a1.call(.POST, "/api/v1/registrations/\(retake.string("id"))/scores", ["subject": "practical", "score": 90]).1.errorCodes
                    == ["score.carriedOver"])
            let (_, passed) = try await hr.call(.POST, "/api/v1/registrations/\(retake.string("id"))/scores", ["score": 72])
            #expect(passed.string("outcome") == "passed")
            // A second failure of the retake leaves no further retake.
            #expect(
                RetakeRule.subject(
                    after: .init(level: .level4, scores: [.theory: 50, .practical: 79], wasRetake: true, resultDay: Day(Date())), on: Day(Date()),
                    rules: EvaluationRules()) == nil)
        }
    }
}
