import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// One person through the whole chain, through the API only: enrolled in a post + training class → hours →
/// registered → theory and practical passed → notice → certificate → verified → matched → placed → on the pay grid
/// → nominated. Each step checks what the next one relies on.
@Suite struct LoopTests {
    @Test func one_person_goes_through_training_evaluation_use_and_incentives() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let school = try await Fixture.org(app, kind: .technicalCollege, name: "东莞技师学院")
            try await Fixture.user(app, "school", org: school, role: .schoolAdmin)
            let master = try await Fixture.user(app, "master", org: w.enterprise, role: .master)
            let teacher = try await Fixture.user(app, "teacher", org: school, role: .teacher)
            let hr = try await APIClient(app, "hr")
            let gov = try await APIClient(app, "gov")
            let learner = try await APIClient(app, "learner")
            let schoolAPI = try await APIClient(app, "school")
            let masterAPI = try await APIClient(app, "master")
            let person = w.people["考生一"]!

            // Training: a position, a post + training class for it with the school, the person enrolled, hours logged.
            let (_, position) = try await hr.call(
                .POST, "/api/v1/positions",
                [
                    "title": "焊接工", "occupationCode": EvaluationWorld.occupation, "requiredLevel": "level4", "headcount": 3, "regionCode": "441900",
                    "wageMin": 6000, "wageMax": 9000, "frontLine": true, "description": "",
                ])
            let (createdProgram, program) = try await hr.call(
                .POST, "/api/v1/programs",
                [
                    "kind": "postTraining", "name": "焊接工 岗位+培训班", "occupationCode": EvaluationWorld.occupation, "targetLevel": "level4",
                    "startDate": "2026-03-01", "endDate": "2026-12-31", "capacity": 30, "hoursGeneral": 60, "hoursBasics": 120,
                    "hoursOperational": 420,
                    "subsidyPerYear": 5000, "partnerIds": [school.id!.uuidString], "positionIds": [position.string("id")],
                    "cooperationTerms": "企业先开班，校企共同培养",
                ])
            #expect(createdProgram == .created)
            let pid = program.string("id")
            let coop = try #require((program["cooperationAgreements"] as? [[String: Any]])?.first)
            _ = try await hr.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "send"])
            #expect(
                try await schoolAPI.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "approve"]).1.string("status")
                    == "approved")
            let (enrolled, enrollment) = try await hr.call(
                .POST, "/api/v1/programs/\(pid)/enrollments",
                [
                    "personId": person.id!.uuidString, "contractStart": "2026-03-01", "contractEnd": "2029-02-28",
                    "masterMembershipId": master.id!.uuidString, "teacherMembershipId": teacher.id!.uuidString, "trainingTerms": "培养目标：四级",
                ])
            #expect(enrolled == .created)
            if let training = enrollment["trainingAgreement"] as? [String: Any] {
                _ = try await hr.call(.POST, "/api/v1/agreements/\(training.string("id"))/actions", ["action": "send"])
                _ = try await learner.call(.POST, "/api/v1/agreements/\(training.string("id"))/actions", ["action": "approve"])
            }
            #expect(try await hr.call(.POST, "/api/v1/programs/\(pid)/status", ["action": "start"]).1.string("status") == "inTraining")
            let (logged, _) = try await masterAPI.call(
                .POST, "/api/v1/enrollments/\(enrollment.string("id"))/progress",
                ["day": "2026-03-02", "category": "operationalSkills", "hours": 6, "attendance": "present", "score": 90])
            #expect(logged == .created)

            // Evaluation: registered, scored, signed off, on notice, final — the certificate is issued with the results.
            let batch = try await w.openBatch(app)
            let (registered, registration) = try await w.register(app, batch, "考生一")
            #expect(registered == .created)
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(batch)/eligibility")
            for e in ["closeRegistration", "holdExams"] {
                _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(batch)/transitions", ["event": e])
            }
            for u in ["a1", "a2", "a4"] {
                _ = try await APIClient(app, u).call(
                    .POST, "/api/v1/registrations/\(registration.string("id"))/scores", ["subject": "practical", "score": 82])
            }
            _ = try await hr.call(.POST, "/api/v1/registrations/\(registration.string("id"))/scores", ["score": 78])
            #expect(try await APIClient(app, "sup").call(.POST, "/api/v1/evaluation-plans/\(batch)/transitions", ["event": "signOff"]).0 == .ok)
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(batch)/transitions", ["event": "publishNotice"]).0 == .ok)
            // The notice runs 5 working days: finalizing is refused until then (the clock is moved on for the rest).
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(batch)/transitions", ["event": "finalize"]).0 == .unprocessableEntity)
            try await BatchService(app).transition(
                UUID(uuidString: batch)!, .init(event: "finalize"), actor: try await DemoData.actor(app, username: "hr")!,
                today: Day(Date()).plusDays(30))
            let (_, certificates) = try await hr.call(.GET, "/api/v1/certificates")
            let certificate = try #require((certificates["items"] as? [[String: Any]])?.first { $0.string("holderName") == "考生一" })
            let (_, verified) = try await APIClient(app, "outsider").call(.GET, "/api/v1/verify/\(certificate.string("number"))")
            #expect(verified.string("status") == "valid")

            // Use: in the pool, matched (with the training for this post and the master's assessment counted), invited, placed.
            _ = try await learner.call(.POST, "/api/v1/talent-pool/consent", ["consent": true])
            let (_, matches) = try await hr.call(.GET, "/api/v1/positions/\(position.string("id"))/matches")
            let match = try #require((matches["items"] as? [[String: Any]])?.first { $0.string("name") == "考生一" })
            let factors = (match["factors"] as? [[String: Any]] ?? []).map { $0.string("factor") }
            #expect(factors == ["occupationExact", "levelMeets", "nearCompletion", "regionSame", "trainedForPosition", "mentorAssessment"])
            let (_, invitation) = try await hr.call(
                .POST, "/api/v1/positions/\(position.string("id"))/invitations", ["candidate": match.string("candidate")])
            _ = try await learner.call(.POST, "/api/v1/invitations/\(invitation.string("id"))/answer", ["answer": "accept"])
            #expect(
                try await hr.call(
                    .POST, "/api/v1/placements", ["invitation": invitation.string("id"), "startDate": Day(Date()).description, "monthlyWage": 6400]
                ).0 == .created)
            // The school sees where its trainee went.
            #expect((try await schoolAPI.call(.GET, "/api/v1/placements").1["items"] as? [Any])?.count == 1)

            // Incentives: on the pay grid (paid below the level-4 reference), then nominated.
            _ = try await hr.call(.POST, "/api/v1/pay-grids", ["bands": Payload.payBands])
            let id = try app.personalData.open(person.citizenIDSealed)
            try await app.testing().test(
                .POST, "/api/v1/pay-records", headers: hr.headers.merging(["Content-Type": "text/csv"]),
                beforeRequest: { req in
                    req.body = ByteBuffer(string: "姓名,身份证号,月份,月工资,岗位类别\n考生一,\(id),\(Day(Date()).description.prefix(7)),6400,技能\n")
                }
            ) { res in #expect(res.status == .created) }
            let (_, gaps) = try await hr.call(.GET, "/api/v1/pay-gaps")
            #expect((gaps["below"] as? [[String: Any]])?.map { $0["shortfall"] as? Int } == [100])
            let (_, campaign) = try await gov.call(
                .POST, "/api/v1/honours/campaigns",
                [
                    "name": "技术能手", "kind": "technicalExpert", "tier": "city", "year": 2026,
                    "quota": 1, "minimumLevel": "level4", "frontLineRequired": true, "minimumYearsOfService": 0,
                ])
            let (_, nomination) = try await hr.call(
                .POST, "/api/v1/honours/nominations",
                [
                    "campaign": campaign.string("id"), "person": person.id!.uuidString,
                    "frontLine": true, "yearsOfService": 1,
                ])
            #expect(nomination["eligible"] as? Bool == true && nomination.string("verifiedLevel") == "level4")

            // The region's dashboard counts this person at every stage.
            let (_, dashboard) = try await gov.call(.GET, "/api/v1/dashboard?region=441900")
            let funnel = Dictionary(
                uniqueKeysWithValues: (dashboard["funnel"] as? [[String: Any]] ?? []).map { ($0.string("stage"), $0["count"] as? Int ?? 0) })
            #expect(
                funnel["enrolled"] == 1 && funnel["evaluated"] == 1 && funnel["certified"] == 1 && funnel["placed"] == 1 && funnel["onPayGrid"] == 1)
        }
    }
}
