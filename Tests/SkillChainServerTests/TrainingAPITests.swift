import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// A JSON client for the API: sends a body, returns status and the decoded object.
struct APIClient {
    let app: Application
    let headers: HTTPHeaders

    init(_ app: Application, _ username: String) async throws {
        self.app = app
        headers = ["Authorization": "Bearer \(try await Fixture.token(app, username))"]
    }

    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) async throws -> (HTTPStatus, [String: Any]) {
        var status: HTTPStatus = .ok
        var json: [String: Any] = [:]
        try await app.testing().test(
            method, path, headers: headers,
            beforeRequest: { req in
                if let body {
                    req.headers.contentType = .json
                    req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
                }
            }
        ) { res in
            status = res.status
            json = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any]) ?? [:]
        }
        return (status, json)
    }
}

extension Dictionary where Key == String, Value == Any {
    /// Field names of a problem+json body's errors.
    var errorFields: [String] { ((self["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String } }
    var errorCodes: [String] { ((self["errors"] as? [[String: Any]]) ?? []).compactMap { $0["code"] as? String } }
    func string(_ k: String) -> String { self[k] as? String ?? "" }
}

/// The training side: enterprise, partner school, master, teacher, apprentice and the region's HR bureau.
struct TrainingWorld {
    let enterprise: OrganizationRecord
    let school: OrganizationRecord
    let outsider: OrganizationRecord
    let gov: OrganizationRecord
    let master: MembershipRecord
    let otherMaster: MembershipRecord
    let teacher: MembershipRecord
    let apprentice: PersonRecord

    static func make(_ app: Application) async throws -> TrainingWorld {
        let enterprise = try await Fixture.org(app, flags: ["chainLeader"], name: "东莞精工")
        let school = try await Fixture.org(app, kind: .technicalCollege, name: "东莞技师学院")
        let outsider = try await Fixture.org(app, name: "别家企业")
        let gov = try await Fixture.org(app, kind: .governmentDepartment, region: "441900", name: "东莞人社局")
        try await Fixture.user(app, "hr", org: enterprise, role: .enterpriseAdmin)
        try await Fixture.user(app, "school", org: school, role: .schoolAdmin)
        try await Fixture.user(app, "outsider", org: outsider, role: .enterpriseAdmin)
        try await Fixture.user(app, "gov", org: gov, role: .governmentOfficer)
        let master = try await Fixture.user(app, "master", org: enterprise, role: .master)
        let otherMaster = try await Fixture.user(app, "master2", org: enterprise, role: .master)
        let teacher = try await Fixture.user(app, "teacher", org: school, role: .teacher)
        let apprentice = try await Fixture.person(app, org: enterprise, name: "李学徒")
        try await Fixture.user(app, "learner", org: enterprise, role: .learner)
        if let u = try await UserRecord.query(on: app.db).filter(\.$username == "learner").first() {
            u.personID = apprentice.id
            try await u.update(on: app.db)
        }
        return TrainingWorld(
            enterprise: enterprise, school: school, outsider: outsider, gov: gov, master: master, otherMaster: otherMaster,
            teacher: teacher, apprentice: apprentice)
    }

    func programBody(kind: String = "newApprenticeship", partners: [UUID]? = nil, positions: [String] = []) -> [String: Any] {
        [
            "kind": kind, "name": "焊工新型学徒班", "occupationCode": "6-18-02-04", "targetLevel": "level4",
            "startDate": "2026-03-01", "endDate": "2027-02-28", "capacity": 30,
            "hoursGeneral": 60, "hoursBasics": 120, "hoursOperational": 420, "subsidyPerYear": 5000,
            "partnerIds": (partners ?? [school.id!]).map { $0.uuidString }, "positionIds": positions,
            "cooperationTerms": "双方按一班一方案共同培养",
        ]
    }
}

@Suite struct TrainingAPITests {
    @Test func positions_are_published_validated_and_filtered() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let (bad, problem) = try await hr.call(
                .POST, "/api/v1/positions",
                [
                    "title": "", "occupationCode": "9-99-99-99", "requiredLevel": "level9",
                    "headcount": 0, "regionCode": "441900", "wageMin": 9000, "wageMax": 6000,
                ])
            #expect(bad == .unprocessableEntity)
            #expect(Set(problem.errorFields) == ["title", "occupationCode", "requiredLevel", "headcount", "wageMax"])
            #expect(try await PositionRecord.query(on: app.db).count() == 0)

            let (ok, position) = try await hr.call(
                .POST, "/api/v1/positions",
                [
                    "title": "焊接操作工", "occupationCode": "6-18-02-04", "requiredLevel": "level4",
                    "headcount": 12, "regionCode": "441900", "wageMin": 6000, "wageMax": 9000, "frontLine": true,
                ])
            #expect(ok == .created)
            #expect(position.string("occupationName") == "焊工")
            #expect(position.string("status") == "open")
            let (_, list) = try await hr.call(.GET, "/api/v1/positions?occupation=6-18&frontLine=true&region=440000")
            #expect((list["items"] as? [[String: Any]])?.count == 1)
            let (_, none) = try await hr.call(.GET, "/api/v1/positions?level=level3")
            #expect((none["items"] as? [[String: Any]])?.isEmpty == true)
            let (badFilter, _) = try await hr.call(.GET, "/api/v1/positions?frontLine=maybe")
            #expect(badFilter == .unprocessableEntity)

            // Another enterprise may read but not close it; a school may not publish.
            let outsider = try await APIClient(app, "outsider")
            let id = position.string("id")
            #expect(try await outsider.call(.GET, "/api/v1/positions/\(id)").0 == .ok)
            #expect(try await outsider.call(.POST, "/api/v1/positions/\(id)/status", ["status": "closed"]).0 == .notFound)
            #expect(try await APIClient(app, "school").call(.POST, "/api/v1/positions", [:]).0 == .forbidden)
            let (closed, c) = try await hr.call(.POST, "/api/v1/positions/\(id)/status", ["status": "filled"])
            #expect(closed == .ok && c.string("status") == "filled")
            _ = w
        }
    }

    @Test func apprenticeship_from_agreements_to_hours_and_subsidy() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let school = try await APIClient(app, "school")
            let gov = try await APIClient(app, "gov")
            let masterAPI = try await APIClient(app, "master")

            // Bad plan: hours mix, duration, class size — every problem named, nothing saved.
            var bad = w.programBody()
            bad["hoursGeneral"] = 200
            bad["endDate"] = "2026-09-01"
            bad["capacity"] = 50
            let (badStatus, problem) = try await hr.call(.POST, "/api/v1/programs", bad)
            #expect(badStatus == .unprocessableEntity)
            #expect(Set(problem.errorFields).isSuperset(of: ["hoursGeneral", "endDate", "capacity"]))
            #expect(try await ProgramRecord.query(on: app.db).count() == 0)

            let (created, program) = try await hr.call(.POST, "/api/v1/programs", w.programBody())
            #expect(created == .created)
            let pid = program.string("id")
            #expect(program.string("status") == "planning")
            let coop = try #require((program["cooperationAgreements"] as? [[String: Any]])?.first)
            #expect(coop.string("status") == "draft")

            // The school cannot approve before the enterprise sends; then it returns with a reason, and approves the revision.
            let (early, earlyBody) = try await school.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "approve"])
            #expect(early == .unprocessableEntity && earlyBody.errorCodes == ["agreement.notYourTurn"])
            #expect(try await hr.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "send"]).0 == .ok)
            let (noReason, nr) = try await school.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "return"])
            #expect(noReason == .unprocessableEntity && nr.errorFields == ["reason"])
            #expect(
                try await school.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "return", "reason": "请补充学时安排"]).1.string(
                    "status") == "returned")
            #expect(
                try await hr.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "send", "terms": "已补充学时安排"]).1.string("status")
                    == "awaitingCounterparty")
            #expect(
                try await APIClient(app, "outsider").call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "approve"]).0
                    == .notFound)
            #expect(
                try await school.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "approve"]).1.string("status")
                    == "approved")

            // Enrollment: a labour contract under a year is refused; with a year it is accepted with both mentors.
            let short: [String: Any] = [
                "personId": w.apprentice.id!.uuidString, "contractStart": "2026-03-01", "contractEnd": "2026-12-31",
                "masterMembershipId": w.master.id!.uuidString, "teacherMembershipId": w.teacher.id!.uuidString, "trainingTerms": "培养目标：四级焊工",
            ]
            let (shortStatus, shortProblem) = try await hr.call(.POST, "/api/v1/programs/\(pid)/enrollments", short)
            #expect(shortStatus == .unprocessableEntity && shortProblem.errorCodes == ["enrollment.contract.tooShort"])
            var good = short
            good["contractEnd"] = "2029-02-28"
            let (enrolled, enrollment) = try await hr.call(.POST, "/api/v1/programs/\(pid)/enrollments", good)
            #expect(enrolled == .created)
            let eid = enrollment.string("id")
            #expect((enrollment["master"] as? [String: Any])?["name"] as? String == "master")
            #expect(enrollment.string("citizenId").contains("*"))
            #expect(try await hr.call(.POST, "/api/v1/programs/\(pid)/enrollments", good).1.errorCodes == ["enrollment.person.already"])

            // Training cannot start until the apprentice's agreement is approved (by the apprentice).
            let (blocked, blockedBody) = try await hr.call(.POST, "/api/v1/programs/\(pid)/status", ["action": "start"])
            #expect(blocked == .unprocessableEntity && blockedBody.errorCodes == ["program.blocker.training"])
            let training = try #require(enrollment["trainingAgreement"] as? [String: Any])
            #expect(try await hr.call(.POST, "/api/v1/agreements/\(training.string("id"))/actions", ["action": "send"]).0 == .ok)
            #expect(
                try await APIClient(app, "learner").call(.POST, "/api/v1/agreements/\(training.string("id"))/actions", ["action": "approve"]).1
                    .string("status") == "approved")
            // Hours cannot be logged before training starts.
            #expect(
                try await masterAPI.call(
                    .POST, "/api/v1/enrollments/\(eid)/progress", ["day": "2026-03-02", "category": "operationalSkills", "hours": 4]
                ).1.errorCodes == ["progress.notInTraining"])
            #expect(try await hr.call(.POST, "/api/v1/programs/\(pid)/status", ["action": "start"]).1.string("status") == "inTraining")

            // The master logs hours; another master may not; bad entries are refused.
            let (logged, _) = try await masterAPI.call(
                .POST, "/api/v1/enrollments/\(eid)/progress",
                ["day": "2026-03-02", "category": "operationalSkills", "hours": 6, "attendance": "present", "assessment": "操作规范", "score": 88])
            #expect(logged == .created)
            #expect(
                try await APIClient(app, "master2").call(
                    .POST, "/api/v1/enrollments/\(eid)/progress", ["day": "2026-03-03", "category": "operationalSkills", "hours": 2]
                ).0 == .forbidden)
            let (badLog, badLogBody) = try await masterAPI.call(
                .POST, "/api/v1/enrollments/\(eid)/progress", ["day": "2025-01-01", "category": "sleeping", "hours": 30])
            #expect(badLog == .unprocessableEntity && Set(badLogBody.errorFields) == ["day", "category", "hours"])
            let (_, list) = try await hr.call(.GET, "/api/v1/programs/\(pid)/enrollments")
            let row = try #require((list["items"] as? [[String: Any]])?.first)
            #expect(row["totalHours"] as? Int == 6)
            // A master with no apprentice in the programme cannot read it or its enrollments, as their list says.
            #expect(try await APIClient(app, "master2").call(.GET, "/api/v1/programs/\(pid)/enrollments").0 == .notFound)
            #expect(try await APIClient(app, "master2").call(.GET, "/api/v1/programs/\(pid)").0 == .notFound)
            #expect(try await masterAPI.call(.GET, "/api/v1/programs/\(pid)").0 == .ok)
            // Mentors list only the programs of their own apprentices.
            #expect((try await masterAPI.call(.GET, "/api/v1/programs").1["items"] as? [Any])?.count == 1)
            #expect((try await APIClient(app, "master2").call(.GET, "/api/v1/programs").1["items"] as? [Any])?.isEmpty == true)

            // Subsidy: an advance over 50 % is refused; the bureau approves; settlement pays the rest.
            let (tooMuch, tooMuchBody) = try await hr.call(
                .POST, "/api/v1/subsidy-claims", ["enrollmentId": eid, "yearIndex": 1, "advanceAmount": 3000])
            #expect(tooMuch == .unprocessableEntity && tooMuchBody.errorCodes == ["subsidy.advance.tooHigh"])
            let (claimed, claim) = try await hr.call(.POST, "/api/v1/subsidy-claims", ["enrollmentId": eid, "yearIndex": 1, "advanceAmount": 2500])
            #expect(claimed == .created && claim.string("status") == "advanceRequested")
            let cid = claim.string("id")
            #expect(try await APIClient(app, "outsider").call(.GET, "/api/v1/subsidy-claims/\(cid)").0 == .notFound)
            #expect(try await hr.call(.POST, "/api/v1/subsidy-claims/\(cid)/decision", ["decision": "approve"]).0 == .forbidden)
            let (_, govList) = try await gov.call(.GET, "/api/v1/subsidy-claims?status=advanceRequested")
            #expect((govList["items"] as? [Any])?.count == 1)
            let (approved, a) = try await gov.call(.POST, "/api/v1/subsidy-claims/\(cid)/decision", ["decision": "approve"])
            #expect(approved == .ok && a["advancePaid"] as? Int == 2500)
            #expect(
                try await hr.call(.POST, "/api/v1/subsidy-claims/\(cid)/settlement", ["outcome": "intermediateCertificate"]).1.errorCodes == [
                    "subsidy.outcome.notCompleted"
                ])
            #expect(try await hr.call(.POST, "/api/v1/enrollments/\(eid)/decision", ["action": "complete"]).0 == .ok)
            #expect(
                try await hr.call(.POST, "/api/v1/subsidy-claims/\(cid)/settlement", ["outcome": "intermediateCertificate"]).1.string("status")
                    == "settlementRequested")
            let (settled, s) = try await gov.call(.POST, "/api/v1/subsidy-claims/\(cid)/decision", ["decision": "approve"])
            #expect(settled == .ok && s.string("status") == "settled" && s["payable"] as? Int == 2500 && s["settlementTotal"] as? Int == 5000)

            // Every step is in the audit log.
            let actions = try await AuditEventRecord.query(on: app.db).all().map(\.action)
            for a in [
                "program.created", "agreement.send", "agreement.return", "agreement.approve", "enrollment.enrolled", "program.start",
                "progress.logged", "subsidy.claimed", "subsidy.approve", "subsidy.requestSettlement",
            ] {
                #expect(actions.contains(a), "\(a) audited")
            }
        }
    }

    @Test func programs_are_private_to_their_members_and_the_region() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let (_, program) = try await hr.call(.POST, "/api/v1/programs", w.programBody(kind: "postTraining"))
            let pid = program.string("id")
            #expect(try await APIClient(app, "school").call(.GET, "/api/v1/programs/\(pid)").0 == .ok)
            #expect(try await APIClient(app, "gov").call(.GET, "/api/v1/programs/\(pid)").0 == .ok)
            #expect(try await APIClient(app, "outsider").call(.GET, "/api/v1/programs/\(pid)").0 == .notFound)
            let (_, outsiderList) = try await APIClient(app, "outsider").call(.GET, "/api/v1/programs")
            #expect((outsiderList["items"] as? [Any])?.isEmpty == true)
            // Only the parties sign: the platform operator can read the agreement but not approve it for the school.
            let operatorOrg = try await Fixture.org(app, kind: .hrServiceAgency)
            try await Fixture.user(app, "operator", org: operatorOrg, role: .platformAdmin)
            let coop = try #require((program["cooperationAgreements"] as? [[String: Any]])?.first)
            _ = try await hr.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "send"])
            #expect(
                try await APIClient(app, "operator").call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "approve"]).0
                    == .forbidden)
            #expect(try await APIClient(app, "operator").call(.GET, "/api/v1/programs/\(pid)").0 == .ok)
            // A post + training class needs a partner school; partners must be schools.
            let (noPartner, np) = try await hr.call(.POST, "/api/v1/programs", w.programBody(kind: "postTraining", partners: []))
            #expect(noPartner == .unprocessableEntity && np.errorFields == ["partnerIds"])
            let (wrongPartner, wp) = try await hr.call(.POST, "/api/v1/programs", w.programBody(kind: "postTraining", partners: [w.outsider.id!]))
            #expect(wrongPartner == .unprocessableEntity && wp.errorCodes == ["program.partner.mustBeSchool"])
        }
    }

    @Test func a_master_takes_at_most_eight_apprentices() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            var body = w.programBody(kind: "postTraining")
            body["startDate"] = "2026-03-01"
            body["endDate"] = "2026-09-30"
            let (_, program) = try await hr.call(.POST, "/api/v1/programs", body)
            let pid = program.string("id")
            for i in 0..<9 {
                let p = try await Fixture.person(app, org: w.enterprise, name: "学员\(i)")
                let (status, res) = try await hr.call(
                    .POST, "/api/v1/programs/\(pid)/enrollments",
                    ["personId": p.id!.uuidString, "masterMembershipId": w.master.id!.uuidString])
                if i < 8 {
                    #expect(status == .created)
                } else {
                    #expect(status == .unprocessableEntity && res.errorCodes == ["enrollment.master.full"])
                }
            }
        }
    }
}
