import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct RegistryTests {
    @Test func the_bureau_registers_a_studio_the_host_reports_and_the_registry_counts_what_it_delivered() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let school = try await Fixture.org(app, kind: .vocationalCollege, name: "东莞技师学院")
            let gov = try await APIClient(app, "gov")
            let hr = try await APIClient(app, "hr")
            let outsider = try await APIClient(app, "outsider")
            #expect(try await hr.call(.POST, "/api/v1/skill-bases", ["name": "x"]).0 == .forbidden)
            // Every problem at once: an industrial college needs a school; spending nothing yet, a future year is refused.
            let bad = try await gov.call(
                .POST, "/api/v1/skill-bases",
                [
                    "kind": "industrialCollege", "name": "智能制造产业学院", "host": w.enterprise.id!.uuidString,
                    "tier": "city", "approvalYear": 2099, "fundingGranted": 300_000,
                ])
            #expect(bad.0 == .unprocessableEntity && Set(bad.1.errorCodes) == ["registry.hostKind.industrialCollege", "registry.yearInFuture"])
            #expect(try await SkillBaseRecord.query(on: app.db).count() == 0)
            let college = try await gov.call(
                .POST, "/api/v1/skill-bases",
                [
                    "kind": "industrialCollege", "name": "智能制造产业学院", "host": school.id!.uuidString,
                    "tier": "city", "approvalYear": 2025, "fundingGranted": 300_000,
                ])
            #expect(college.0 == .created)
            let (created, studio) = try await gov.call(
                .POST, "/api/v1/skill-bases",
                [
                    "kind": "masterStudio", "name": "丁师傅焊接技能大师工作室",
                    "host": w.enterprise.id!.uuidString, "tier": "national", "approvalYear": 2024,
                    "fundingGranted": 800_000,
                ])
            #expect(created == .created && (studio["notices"] as? [String]) == ["registry.outsideReference"])
            let sid = studio.string("id")

            // The host reports: a studio needs its master; spending above the grant is refused; only its own people.
            let noMaster = try await hr.call(.POST, "/api/v1/skill-bases/\(sid)/activity", ["fundingSpent": 900_000])
            #expect(Set(noMaster.1.errorCodes) == ["registry.spentOverGranted", "registry.studioNeedsMaster"])
            #expect(
                try await hr.call(.POST, "/api/v1/skill-bases/\(sid)/activity", ["fundingSpent": 1, "masters": [w.id("外人")]]).1.errorCodes == [
                    "registry.masterNotHosted"
                ])
            #expect(
                try await outsider.call(.POST, "/api/v1/skill-bases/\(sid)/activity", ["fundingSpent": 1, "masters": [w.id("外人")]]).0 == .notFound)
            // A program the enterprise leads, with two trainees, one of whom completes and is certified.
            let program = try await w.program(app, year: 2026, status: .inTraining, subsidyPerYear: 5000, capacity: 30, hours: (40, 80, 280))
            for (name, status) in [("考生一", "completed"), ("考生三", "enrolled")] {
                let e = EnrollmentRecord()
                e.programID = program.id!
                e.personID = w.people[name]!.id!
                e.status = status
                try await e.create(on: app.db)
            }
            _ = try await w.finalBatch(app)  // 考生一 and 考生二 certified at level 4
            let (reported, after) = try await hr.call(
                .POST, "/api/v1/skill-bases/\(sid)/activity",
                [
                    "fundingSpent": 250_000, "activity": "带徒 12 人，攻关 3 项", "programs": [program.id!.uuidString], "masters": [w.id("丁师傅")],
                ])
            #expect(reported == .ok)
            #expect(after["fundingSpent"] as? Int == 250_000 && (after["masterNames"] as? [String]) == ["丁师傅"])
            #expect(after["trainees"] as? Int == 2 && after["completed"] as? Int == 1 && after["certified"] as? Int == 1)

            // Who sees what: the bureau both; the host its own; another enterprise nothing.
            #expect(((try await gov.call(.GET, "/api/v1/skill-bases").1["items"] as? [Any]) ?? []).count == 2)
            #expect(
                ((try await hr.call(.GET, "/api/v1/skill-bases").1["items"] as? [[String: Any]]) ?? []).map { $0.string("name") } == ["丁师傅焊接技能大师工作室"])
            #expect(((try await outsider.call(.GET, "/api/v1/skill-bases").1["items"] as? [Any]) ?? []).isEmpty)
            let audit = try await AuditEventRecord.query(on: app.db).filter(\.$action ~~ ["registry.baseCreated", "registry.activityReported"])
                .count()
            #expect(audit == 3)

            // The pages: the bureau's list in English, the host's report form.
            let browser = Browser(app)
            _ = try await browser.login("hr")
            let page = try await browser.get("/registry/\(sid)")
            #expect(
                page.status == .ok && page.body.string.contains("丁师傅焊接技能大师工作室") && page.body.string.contains("带徒 12 人")
                    && page.body.string.contains("name=\"fundingSpent\""))
            let govBrowser = Browser(app)
            _ = try await govBrowser.login("gov")
            let list = try await govBrowser.get("/registry?lang=en")
            #expect(
                list.body.string.contains("Skill master studio") && list.body.string.contains("2 trained, 1 completed, 1 certified")
                    && list.body.string.contains("outside the published reference"))
        }
    }

    @Test func a_published_contest_placing_opens_the_contest_route_of_registration_once_a_year() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let gov = try await APIClient(app, "gov")
            let outsider = try await APIClient(app, "outsider")
            let day = Day(Date()).description
            // The enterprise holds its own contest; only the bureau records a city contest.
            #expect(
                try await hr.call(
                    .POST, "/api/v1/competitions",
                    [
                        "name": "市赛", "tier": "city", "occupationCode": EvaluationWorld.occupation,
                        "heldOn": day, "entrants": 20,
                    ]
                ).1.errorCodes == ["competition.tierNotYours"])
            let (created, contest) = try await hr.call(
                .POST, "/api/v1/competitions",
                [
                    "name": "精工杯焊工比武", "tier": "enterprise",
                    "occupationCode": EvaluationWorld.occupation, "heldOn": day, "entrants": 10,
                ])
            #expect(created == .created)
            let cid = contest.string("id")
            let id3 = try app.personalData.open(w.people["考生三"]!.citizenIDSealed)
            let id1 = try app.personalData.open(w.people["考生一"]!.citizenIDSealed)
            // All rows or none: a wrong name and a rank beyond the entrants are both named.
            let bad = try await hr.call(
                .POST, "/api/v1/competitions/\(cid)/results",
                [
                    "results": [
                        ["name": "考生三", "citizenId": id3, "rank": 1], ["name": "别人", "citizenId": id1, "rank": 11],
                    ]
                ])
            #expect(bad.0 == .unprocessableEntity && Set(bad.1.errorFields) == ["results[1].rank"])
            let misnamed = try await hr.call(
                .POST, "/api/v1/competitions/\(cid)/results",
                [
                    "results": [
                        ["name": "考生三", "citizenId": id3, "rank": 1], ["name": "别人", "citizenId": id1, "rank": 2],
                    ]
                ])
            #expect(misnamed.1.errorCodes == ["competition.nameMismatch"])
            #expect(try await CompetitionResultRecord.query(on: app.db).count() == 0)
            #expect(
                try await outsider.call(.POST, "/api/v1/competitions/\(cid)/results", ["results": [["name": "考生三", "citizenId": id3, "rank": 1]]]).0
                    == .notFound)
            let (published, results) = try await hr.call(
                .POST, "/api/v1/competitions/\(cid)/results",
                [
                    "results": [
                        ["name": "考生三", "citizenId": id3, "rank": 1], ["name": "考生一", "citizenId": id1, "rank": 5],
                    ]
                ])
            #expect(published == .ok)
            let recognised = ((results["items"] as? [[String: Any]]) ?? []).map { "\($0.string("name")):\($0["recognisedLevel"] as? String ?? "-")" }
            #expect(recognised == ["考生三:level4", "考生一:-"])  // top 30 % of 10 is the top 3
            #expect(!(results.description.contains(id3)))
            #expect(
                try await hr.call(.POST, "/api/v1/competitions/\(cid)/results", ["results": [["name": "考生一", "citizenId": id1, "rank": 2]]]).0
                    == .unprocessableEntity)
            #expect(((try await gov.call(.GET, "/api/v1/competitions").1["items"] as? [Any]) ?? []).count == 1)
            // Results come after the contest, not before.
            let (_, later) = try await hr.call(
                .POST, "/api/v1/competitions",
                [
                    "name": "下月比武", "tier": "enterprise", "occupationCode": EvaluationWorld.occupation,
                    "heldOn": Day(Date()).plusDays(10).description, "entrants": 10,
                ])
            #expect(
                try await hr.call(
                    .POST, "/api/v1/competitions/\(later.string("id"))/results", ["results": [["name": "考生三", "citizenId": id3, "rank": 1]]]
                )
                .1.errorCodes == ["competition.notHeldYet"])

            // Registration through the contest route: 考生三 (first place) is eligible for level 4; 考生二 is not.
            let batch = try await w.openBatch(app)
            let (_, via) = try await hr.call(
                .POST, "/api/v1/evaluation-plans/\(batch)/registrations", ["personId": w.id("考生三"), "clauseId": "C-4", "yearsInOccupation": 0])
            #expect(via["engineEligible"] as? Bool == true)
            let (_, other) = try await hr.call(
                .POST, "/api/v1/evaluation-plans/\(batch)/registrations", ["personId": w.id("考生二"), "clauseId": "C-4", "yearsInOccupation": 0])
            #expect(other["engineEligible"] as? Bool == false)
            #expect(((other["shortfalls"] as? [[String: Any]]) ?? []).map { $0.string("code") } == ["eligibility.short.contest"])

            // Honours take the placing from the published results, not from the nomination form.
            let (_, campaign) = try await gov.call(
                .POST, "/api/v1/honours/campaigns",
                [
                    "name": "技术能手", "kind": "technicalExpert", "tier": "city",
                    "year": Day(Date()).year, "quota": 3, "minimumLevel": "level5",
                ])
            let (_, nominated) = try await hr.call(
                .POST, "/api/v1/honours/nominations",
                [
                    "campaign": campaign.string("id"), "person": w.id("考生三"),
                    "frontLine": true, "yearsOfService": 4, "bestPlacing": 40,
                ])
            #expect(nominated["bestPlacing"] as? Int == 1)
        }
    }

    @Test func the_organizer_withdraws_a_published_result_with_a_reason_and_it_no_longer_counts() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let gov = try await APIClient(app, "gov")
            let outsider = try await APIClient(app, "outsider")
            let (_, contest) = try await hr.call(
                .POST, "/api/v1/competitions",
                [
                    "name": "精工杯焊工比武", "tier": "enterprise",
                    "occupationCode": EvaluationWorld.occupation, "heldOn": Day(Date()).description, "entrants": 10,
                ])
            let cid = contest.string("id")
            let id3 = try app.personalData.open(w.people["考生三"]!.citizenIDSealed)
            let id1 = try app.personalData.open(w.people["考生一"]!.citizenIDSealed)
            let (_, published) = try await hr.call(
                .POST, "/api/v1/competitions/\(cid)/results",
                [
                    "results": [
                        ["name": "考生三", "citizenId": id3, "rank": 1], ["name": "考生一", "citizenId": id1, "rank": 2],
                    ]
                ])
            let first = try #require((published["items"] as? [[String: Any]])?.first { $0.string("name") == "考生三" }).string("id")
            let path = "/api/v1/competitions/\(cid)/results/\(first)/withdrawal"

            // Only the organizer, and only with a reason; nothing changes otherwise.
            #expect(try await outsider.call(.POST, path, ["reason": "违规"]).0 == .notFound)
            #expect(try await gov.call(.POST, path, ["reason": "违规"]).0 == .forbidden)
            let empty = try await hr.call(.POST, path, ["reason": "  "])
            #expect(empty.0 == .unprocessableEntity && empty.1.errorFields == ["reason"])
            #expect(try await CompetitionResultRecord.query(on: app.db).filter(\.$withdrawnAt != nil).count() == 0)

            let (status, withdrawn) = try await hr.call(.POST, path, ["reason": "赛后查实代考，取消成绩"])
            #expect(status == .ok && withdrawn["withdrawnAt"] is String && withdrawn.string("withdrawalReason") == "赛后查实代考，取消成绩")
            #expect(withdrawn["recognisedLevel"] == nil || withdrawn["recognisedLevel"] is NSNull)
            #expect(try await hr.call(.POST, path, ["reason": "再次"]).0 == .conflict)
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "competition.resultWithdrawn").count() == 1)

            // The withdrawn placing no longer opens the contest route; the other one still counts on the list.
            let batch = try await w.openBatch(app)
            let (_, via) = try await hr.call(
                .POST, "/api/v1/evaluation-plans/\(batch)/registrations", ["personId": w.id("考生三"), "clauseId": "C-4", "yearsInOccupation": 0])
            #expect(via["engineEligible"] as? Bool == false)
            #expect(((via["shortfalls"] as? [[String: Any]]) ?? []).map { $0.string("code") } == ["eligibility.short.contest"])
            let listed = try #require((try await hr.call(.GET, "/api/v1/competitions").1["items"] as? [[String: Any]])?.first)
            #expect(listed["results"] as? Int == 1)

            // On the page: the row stays, marked with its reason; the organizer's form refuses an empty reason.
            let browser = Browser(app)
            try await browser.login("hr")
            let shown = try await browser.get("/competitions/\(cid)")
            let page = shown.body.string
            #expect(page.contains("已撤销") && page.contains("赛后查实代考"), "\(shown.status) \(page.suffix(1500))")
            let second = try #require((published["items"] as? [[String: Any]])?.first { $0.string("name") == "考生一" }).string("id")
            let refused = try await browser.post("/competitions/\(cid)/results/\(second)/withdrawal", form: ["reason": ""])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("撤销原因"))
            let done = try await browser.post("/competitions/\(cid)/results/\(second)/withdrawal", form: ["reason": "名次登记错误"])
            #expect(done.status == .seeOther)
        }
    }
}
