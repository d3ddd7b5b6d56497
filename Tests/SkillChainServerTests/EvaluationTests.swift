import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting
@testable import SkillChainServer

/// An enterprise with an approved evaluation filing, its judges (three assessors, one of them a master who mentors a
/// candidate), two proctors, a supervisor, candidates, an outside enterprise and the region's HR bureau.
struct EvaluationWorld {
    let enterprise: OrganizationRecord
    let outsider: OrganizationRecord
    let people: [String: PersonRecord]

    static let occupation = "6-18-02-04"

    static func make(_ app: Application) async throws -> EvaluationWorld {
        let enterprise = try await Fixture.org(app, name: "东莞精工")
        let outsider = try await Fixture.org(app, name: "别家企业")
        let gov = try await Fixture.org(app, kind: .governmentDepartment, region: "441900", name: "东莞人社局")
        try await Fixture.user(app, "hr", org: enterprise, role: .enterpriseAdmin)
        try await Fixture.user(app, "outsider", org: outsider, role: .enterpriseAdmin)
        try await Fixture.user(app, "gov", org: gov, role: .governmentOfficer)
        var people: [String: PersonRecord] = [:]
        for name in ["甲考评", "乙考评", "丙考评", "丁师傅", "监考一", "监考二", "督导", "考生一", "考生二", "考生三"] {
            people[name] = try await Fixture.person(app, org: enterprise, name: name)
        }
        people["外人"] = try await Fixture.person(app, org: outsider, name: "外人")
        for (username, role, name) in [("a1", Role.assessor, "甲考评"), ("a2", .assessor, "乙考评"), ("a3", .assessor, "丙考评"), ("a4", .assessor, "丁师傅"),
                                       ("sup", .supervisor, "督导"), ("learner", .learner, "考生一")] {
            try await Fixture.user(app, username, org: enterprise, role: role)
            let u = try await UserRecord.query(on: app.db).filter(\.$username == username).first()!
            u.personID = people[name]!.id
            try await u.update(on: app.db)
        }
        let hr = try await APIClient(app, "hr")
        let (created, filing) = try await hr.call(.POST, "/api/v1/evaluation-bodies", [
            "institutionType": "Y", "institutionCode": "0000", "siteSerial": "190001", "validFrom": "2026-01-01", "validUntil": "2028-12-31",
            "scopes": [["occupationCode": occupation, "levels": ["level4", "level3"]]]])
        #expect(created == .created)
        #expect(try await hr.call(.POST, "/api/v1/evaluation-bodies/\(filing.string("id"))/submit").0 == .ok)
        #expect(try await APIClient(app, "gov").call(.POST, "/api/v1/evaluation-bodies/\(filing.string("id"))/decision", ["decision": "approve"]).0 == .ok)
        for (name, level) in [("甲考评", "level2"), ("乙考评", "level2"), ("丙考评", "level5"), ("丁师傅", "level2")] {
            #expect(try await hr.call(.POST, "/api/v1/evaluation-staff", ["personId": people[name]!.id!.uuidString, "duty": "assessor",
                                                                          "occupationCode": occupation, "level": level]).0 == .created)
        }
        for (name, duty) in [("监考一", "proctor"), ("监考二", "proctor"), ("督导", "supervisor")] {
            #expect(try await hr.call(.POST, "/api/v1/evaluation-staff", ["personId": people[name]!.id!.uuidString, "duty": duty]).0 == .created)
        }
        return EvaluationWorld(enterprise: enterprise, outsider: outsider, people: people)
    }

    func id(_ name: String) -> String { people[name]!.id!.uuidString }

    static func batchBody(level: String = "level4", theoryDay: String? = nil) -> [String: Any] {
        let day = theoryDay ?? Day(Date()).plusDays(7).description
        return ["title": "焊工四级第一批", "occupationCode": occupation, "level": level, "method": "examination", "site": "实训楼 A",
                "theoryDay": day, "practicalDay": day, "theoryMinutes": 90, "theoryMinimumMinutes": 30, "questionCount": 10]
    }

    /// A batch with three assessors, two proctors in one room and the supervisor, open for registration.
    func openBatch(_ app: Application, assessors: [String] = ["甲考评", "乙考评", "丁师傅"]) async throws -> String {
        let hr = try await APIClient(app, "hr")
        let (_, batch) = try await hr.call(.POST, "/api/v1/evaluation-plans", Self.batchBody())
        let b = batch.string("id")
        for name in assessors { #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": id(name), "duty": "assessor"]).0 == .ok) }
        for name in ["监考一", "监考二"] { #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": id(name), "duty": "proctor", "room": "A101"]).0 == .ok) }
        #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": id("督导"), "duty": "supervisor"]).0 == .ok)
        #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "submitPlan"]).0 == .ok)
        #expect(try await APIClient(app, "gov").call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "approvePlan"]).0 == .ok)
        #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "openRegistration"]).0 == .ok)
        return b
    }

    func register(_ app: Application, _ batch: String, _ name: String, years: Double = 3) async throws -> (HTTPStatus, [String: Any]) {
        try await APIClient(app, "hr").call(.POST, "/api/v1/evaluation-plans/\(batch)/registrations", [
            "personId": id(name), "clauseId": "A-4-1", "yearsInOccupation": years + 1, "certificateOccupationCode": Self.occupation,
            "certificateLevel": "level5", "certificateYears": years])
    }
}

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
            #expect(try await APIClient(app, "outsider").call(.POST, "/api/v1/evaluation-plans", EvaluationWorld.batchBody()).1.errorCodes == ["batch.filing.missing"])

            let (_, batch) = try await hr.call(.GET, "/api/v1/evaluation-plans")
            let b = ((batch["items"] as? [[String: Any]]) ?? [])[0].string("id")
            // An even panel without a supervisor: every reason at once, nothing changes.
            for name in ["甲考评", "乙考评"] { _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": w.id(name), "duty": "assessor"]) }
            let (refused, why) = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "submitPlan"])
            #expect(refused == .unprocessableEntity)
            #expect(Set(why.errorCodes) == ["panel.assessors.tooFew", "panel.assessors.even", "room.proctors.tooFew", "batch.supervisor.missing"])
            #expect(try await EvaluationBatchRecord.find(UUID(uuidString: b)!, on: app.db)?.status == "planned")
            // An assessor holding a lower level than assessed may not sit; nor may someone outside the registry.
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": w.id("丙考评"), "duty": "assessor"]).1.errorCodes == ["batch.assessor.levelTooLow"])
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": w.id("考生二"), "duty": "proctor", "room": "A"]).1.errorCodes == ["batch.staff.notRegistered"])
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
            let (_, overridden) = try await hr.call(.POST, "/api/v1/registrations/\(r2)/eligibility", ["decision": "eligible", "reason": "社保记录显示已满两年"])
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
            let program = ProgramRecord()
            program.version = 1
            program.kind = "newApprenticeship"; program.name = "焊工学徒班"; program.leadOrganizationID = w.enterprise.id!; program.regionCode = "441900"
            program.occupationEdition = "2022"; program.occupationCode = EvaluationWorld.occupation; program.targetLevel = "level4"
            program.startDate = "2026-01-01"; program.endDate = "2026-12-31"; program.capacity = 10; program.hoursGeneral = 60; program.hoursBasics = 120
            program.hoursOperational = 420; program.subsidyPerYear = 0; program.status = "inTraining"
            try await program.create(on: app.db)
            let e = EnrollmentRecord()
            e.programID = program.id!; e.personID = w.people["考生一"]!.id!; e.status = "active"; e.masterMembershipID = master.id
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
            #expect(try await a4.call(.POST, "/api/v1/registrations/\(r1)/scores", ["subject": "practical", "score": 90]).1.errorCodes == ["score.recused"])
            let (_, seen) = try await a4.call(.GET, "/api/v1/evaluation-plans/\(b)/registrations")
            let rows = (seen["items"] as? [[String: Any]]) ?? []
            #expect(rows.map { $0.string("id") } == [r2])
            #expect(rows.allSatisfy { $0["citizenIdMasked"] == nil })
            // An assessor not on the batch does not see it at all.
            #expect(try await APIClient(app, "a3").call(.GET, "/api/v1/evaluation-plans/\(b)").0 == .notFound)

            // 考生一: two assessors remain (recusal), scores 80 and 84; theory on paper 75.
            let a1 = try await APIClient(app, "a1"), a2 = try await APIClient(app, "a2")
            #expect(try await a1.call(.POST, "/api/v1/registrations/\(r1)/scores", ["subject": "practical", "score": 80]).0 == .ok)
            #expect(try await a1.call(.POST, "/api/v1/registrations/\(r1)/scores", ["subject": "practical", "score": 81]).1.errorCodes == ["score.alreadySubmitted"])
            let (_, r1done) = try await a2.call(.POST, "/api/v1/registrations/\(r1)/scores", ["subject": "practical", "score": 84])
            #expect(r1done["practicalScore"] as? Double == 82)
            _ = try await hr.call(.POST, "/api/v1/registrations/\(r1)/scores", ["score": 75])
            // 考生二: the three assessors disagree by more than 15 points → reconciliation; sign-off waits.
            for (client, s) in [(a1, 60.0), (a2, 90.0), (a4, 70.0)] { _ = try await client.call(.POST, "/api/v1/registrations/\(r2)/scores", ["subject": "practical", "score": s]) }
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
            #expect(try await a1.call(.POST, "/api/v1/registrations/\(r1)/scores", ["subject": "practical", "score": 99]).1.errorCodes == ["score.signedOff"])
            #expect(try await hr.call(.POST, "/api/v1/registrations/\(r2)/corrections", ["subject": "theory", "score": 61]).1.errorCodes == ["score.correction.reasonRequired"])
            let (_, corrected) = try await hr.call(.POST, "/api/v1/registrations/\(r2)/corrections", ["subject": "theory", "score": 61, "reason": "复核发现漏计第 12 题"])
            #expect(corrected.string("outcome") == "passed")
            let audit = try await AuditEventRecord.query(on: app.db).filter(\.$action == "score.corrected").first()
            #expect(audit?.detail.contains("\"from\":\"55.0\"") == true && audit?.detail.contains("\"to\":\"61.0\"") == true)
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action ~~ ["score.submitted", "score.revised", "score.theoryEntered"]).count() == 9)

            // Public notice: 5 working days from today; both passed, masked; an objection blocks the final result.
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "publishNotice"]).0 == .ok)
            let notices = try await app.testing().sendRequest(.GET, "/api/v1/notices")
            let text = notices.body.string
            #expect(text.contains("考生一") && text.contains("**********") && !text.contains(w.people["考生一"]!.citizenIDMasked.replacingOccurrences(of: "*", with: "")))
            let batchID = UUID(uuidString: b)!
            let objection = try await NoticeService.object(batchID, .init(candidate: "考生二", text: "成绩存疑", contact: "13900139000"), app: app)
            let hrActor = try await DemoData.actor(app, username: "hr")!
            let later = Day(Date()).plusDays(30)
            await #expect(throws: ValidationFailure.self) {
                try await BatchService.transition(batchID, .init(event: "finalize"), actor: hrActor, app: app, today: later)
            }
            #expect(try await hr.call(.POST, "/api/v1/objections/\(objection.id!.uuidString)/resolution", ["status": "dismissed", "resolution": "经核实成绩无误"]).0 == .ok)
            await #expect(throws: ValidationFailure.self) {  // the notice is still running today
                try await BatchService.transition(batchID, .init(event: "finalize"), actor: hrActor, app: app)
            }
            try await BatchService.transition(batchID, .init(event: "finalize"), actor: hrActor, app: app, today: later)
            #expect(try await EvaluationBatchRecord.find(batchID, on: app.db)?.status == "final")
            #expect(try await AuditLog.verify(on: app.db).isIntact)
        }
    }

    @Test func the_online_exam_is_reproducible_saved_as_you_go_and_held_until_the_minimum_time() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let hr = try await APIClient(app, "hr")
            // A bank: 5 basic and 10 related items for level 4 (25 % / 75 % → 3 + 7 of 10).
            for i in 0..<15 {
                let (status, _) = try await hr.call(.POST, "/api/v1/question-items", [
                    "occupationCode": EvaluationWorld.occupation, "level": "level4", "kind": i % 3 == 2 ? "trueFalse" : "single",
                    "area": i < 5 ? "basicRequirements" : "relatedKnowledge", "stem": "题目 \(i)", "options": i % 3 == 2 ? [] : ["甲", "乙", "丙"],
                    "answer": i % 3 == 2 ? "T" : "B"])
                #expect(status == .created)
            }
            #expect(try await hr.call(.POST, "/api/v1/question-items", ["occupationCode": EvaluationWorld.occupation, "level": "level4", "kind": "single",
                                                                       "area": "relatedKnowledge", "stem": "?", "options": ["甲", "乙"], "answer": "AB"]).1.errorCodes == ["question.answer.single"])
            let b = try await w.openBatch(app)
            let r = try await w.register(app, b, "考生一").1.string("id")
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "closeRegistration"])

            let learner = try await DemoData.actor(app, username: "learner")!
            let rid = UUID(uuidString: r)!
            let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let paper = try await ExamService.open(rid, actor: learner, app: app, now: start)
            #expect(paper.items.count == 10)
            // The recorded seed rebuilds the same paper.
            let bank = try await ExamService.bank(organization: w.enterprise.id!, occupationCode: EvaluationWorld.occupation, level: "level4", on: app.db).map(ExamService.item)
            let weights = StandardLibrary.standard(for: OccupationCatalog.edition2022.occupation(EvaluationWorld.occupation)!).theoryWeights.map { (area: $0.area, percent: $0.percent[.level4] ?? 0) }
            #expect(try PaperAssembly.assemble(bank: bank, count: 10, weights: weights, seed: UInt64(paper.paper.seed)) == paper.items.map(\.id))
            let areaOf = Dictionary(uniqueKeysWithValues: bank.map { ($0.id, $0.area) })
            #expect(paper.items.filter { areaOf[$0.id] == "basicRequirements" }.count == 3)
            // Reopening gives the same paper; answers saved one by one survive.
            for item in paper.items { try await ExamService.saveAnswer(rid, .init(itemId: item.id, answer: item.kind == .trueFalse ? "T" : "B"), actor: learner, app: app, now: start) }
            let again = try await ExamService.open(rid, actor: learner, app: app, now: start.addingTimeInterval(60))
            #expect(again.items.map(\.id) == paper.items.map(\.id) && again.items.allSatisfy { !$0.given.isEmpty })
            await #expect(throws: DomainError.rule(code: "exam.tooEarly", args: ["29"])) {
                try await ExamService.submit(rid, actor: learner, app: app, now: start.addingTimeInterval(60))
            }
            try await ExamService.submit(rid, actor: learner, app: app, now: start.addingTimeInterval(31 * 60))
            #expect(try await RegistrationRecord.find(rid, on: app.db)?.theoryScore == 100)
            await #expect(throws: DomainError.rule(code: "exam.submitted")) {
                try await ExamService.saveAnswer(rid, .init(itemId: paper.items[0].id, answer: "A"), actor: learner, app: app, now: start.addingTimeInterval(32 * 60))
            }
            // Someone else's registration is not theirs to open.
            let r2 = try await RegistrationRecord.query(on: app.db).filter(\.$personID == w.people["考生一"]!.id!).first()!
            #expect(r2.id == rid)
        }
    }

    @Test func a_paper_left_open_is_handed_in_when_time_is_up() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let hr = try await APIClient(app, "hr")
            for i in 0..<12 {
                _ = try await hr.call(.POST, "/api/v1/question-items", ["occupationCode": EvaluationWorld.occupation, "level": "level4", "kind": "trueFalse",
                                                                       "area": i < 4 ? "basicRequirements" : "relatedKnowledge", "stem": "判断 \(i)", "answer": "F"])
            }
            let b = try await w.openBatch(app)
            let rid = UUID(uuidString: try await w.register(app, b, "考生一").1.string("id"))!
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "closeRegistration"])
            let learner = try await DemoData.actor(app, username: "learner")!
            let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let paper = try await ExamService.open(rid, actor: learner, app: app, now: start)
            for item in paper.items.prefix(5) { try await ExamService.saveAnswer(rid, .init(itemId: item.id, answer: "F"), actor: learner, app: app, now: start) }
            await #expect(throws: DomainError.rule(code: "exam.timeUp")) {
                try await ExamService.saveAnswer(rid, .init(itemId: paper.items[6].id, answer: "F"), actor: learner, app: app, now: start.addingTimeInterval(91 * 60))
            }
            let closed = try await ExamService.open(rid, actor: learner, app: app, now: start.addingTimeInterval(91 * 60))
            #expect(closed.submitted && closed.paper.score == 50)
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "exam.autoSubmitted").count() == 1)
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
            var day = today, added = 0
            while added < 3 { if WorkingCalendar().isWorkingDay(day) { try await CalendarService.add(.init(day: day.description, kind: "holiday", name: "测试假日"), actor: root, app: app); added += 1 }; day = day.next }
            let hrActor = try await DemoData.actor(app, username: "hr")!
            await #expect(throws: DomainError.notFound) { try await CalendarService.add(.init(day: "2026-10-01", kind: "holiday", name: "国庆"), actor: hrActor, app: app) }
            let b = try await w.openBatch(app)
            let hr = try await APIClient(app, "hr")
            let rid = try await w.register(app, b, "考生一").1.string("id")
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            for e in ["closeRegistration", "holdExams"] { _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": e]) }
            for u in ["a1", "a2", "a4"] { _ = try await APIClient(app, u).call(.POST, "/api/v1/registrations/\(rid)/scores", ["subject": "practical", "score": 80]) }
            _ = try await hr.call(.POST, "/api/v1/registrations/\(rid)/scores", ["score": 80])
            #expect(try await APIClient(app, "sup").call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "signOff"]).0 == .ok)
            let (_, published) = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "publishNotice"])
            let until = Day(published.string("noticeUntil"))!
            #expect(until > plain)
            #expect(WorkingCalendar(holidays: Set((try await CalendarDayRecord.query(on: app.db).all()).compactMap { Day($0.day) })).lastDay(ofWorkingDays: 5, from: today) == until)

            // The public form: five objections an hour per address, then 429; a bad one changes nothing.
            let browser = Browser(app)
            _ = try await browser.get("/notices")
            let bad = try await browser.post("/notices/\(b)/objections", form: ["candidate": "", "text": "", "contact": ""])
            #expect(bad.status == .unprocessableEntity)
            #expect(try await NoticeObjectionRecord.query(on: app.db).count() == 0)
            for _ in 0..<4 {
                #expect(try await browser.post("/notices/\(b)/objections", form: ["candidate": "考生一", "text": "请核实", "contact": "13900139000"]).status == .seeOther)
            }
            #expect(try await browser.post("/notices/\(b)/objections", form: ["candidate": "考生一", "text": "请核实", "contact": "13900139000"]).status == .tooManyRequests)
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
            do { _ = try await RegistrationService.importCSV(b, bad, actor: hrActor, app: app); Issue.record("accepted a bad roster") } catch let f as ValidationFailure {
                #expect(f.errors.map(\.code) == ["question.import.row"] && f.errors[0].args.first == "3")
            }
            #expect(try await RegistrationRecord.query(on: app.db).count() == 0)
            let good = "\(try idNumber("考生一")),A-4-1,4,6-18-02-04,五级,3,焊装\n\(try idNumber("考生二")),A-4-1,5,6-18-02-04,level5,4,焊装\n"
            #expect(try await RegistrationService.importCSV(b, good, actor: hrActor, app: app) == 2)
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            for e in ["closeRegistration", "holdExams"] { _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": e]) }
            // Paper theory scores: 考生一 fails theory (50), 考生二 passes.
            #expect(try await RegistrationService.importTheory(b, "身份证号,理论成绩\n\(try idNumber("考生一")),50\n\(try idNumber("考生二")),88\n", actor: hrActor, app: app) == 2)
            // Score sheets: one score per criterion of the standard's skill table; an unknown criterion is refused.
            let regs = try await RegistrationRecord.query(on: app.db).filter(\.$batchID == b).all()
            let r1 = regs.first { $0.personID == w.people["考生一"]!.id }!.id!.uuidString, r2 = regs.first { $0.personID == w.people["考生二"]!.id }!.id!.uuidString
            let a1 = try await APIClient(app, "a1")
            #expect(try await a1.call(.POST, "/api/v1/registrations/\(r2)/scores", ["subject": "practical", "criteria": ["speed": 80]]).1.errorFields.contains("criteria.speed"))
            for u in ["a1", "a2"] {
                for r in [r1, r2] { _ = try await APIClient(app, u).call(.POST, "/api/v1/registrations/\(r)/scores", ["subject": "practical", "criteria": ["skillRequirements": 80]]) }
            }
            // 丁师傅 (a4) scores both: 考生一 is not his apprentice in this test.
            for r in [r1, r2] { _ = try await APIClient(app, "a4").call(.POST, "/api/v1/registrations/\(r)/scores", ["subject": "practical", "criteria": ["skillRequirements": 77]]) }
            let sheet = try await PracticalScoreRecord.query(on: app.db).first()!
            #expect(sheet.criteria.contains("skillRequirements"))
            #expect(try await APIClient(app, "sup").call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "signOff"]).0 == .ok)
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "publishNotice"])
            try await BatchService.transition(b, .init(event: "finalize"), actor: hrActor, app: app, today: Day(Date()).plusDays(30))
            #expect(try await RegistrationRecord.find(UUID(uuidString: r1)!, on: app.db)?.outcome == "failed")

            // The next batch: 考生一 retakes only theory; the practical (79) is carried over and not scored again.
            let b2 = try await w.openBatch(app)
            let (_, retake) = try await w.register(app, b2, "考生一")
            let rr = try await RegistrationRecord.find(UUID(uuidString: retake.string("id"))!, on: app.db)!
            #expect(rr.retakeSubject == "theory" && rr.practicalScore == 79 && rr.retakeOf == UUID(uuidString: r1))
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b2)/eligibility")
            for e in ["closeRegistration", "holdExams"] { _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b2)/transitions", ["event": e]) }
            #expect(try await a1.call(.POST, "/api/v1/registrations/\(retake.string("id"))/scores", ["subject": "practical", "score": 90]).1.errorCodes == ["score.carriedOver"])
            let (_, passed) = try await hr.call(.POST, "/api/v1/registrations/\(retake.string("id"))/scores", ["score": 72])
            #expect(passed.string("outcome") == "passed")
            // A second failure of the retake leaves no further retake.
            #expect(RetakeRule.subject(after: .init(level: .level4, scores: [.theory: 50, .practical: 79], wasRetake: true, resultDay: Day(Date())), on: Day(Date()), rules: EvaluationRules()) == nil)
        }
    }
}
