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
        for (username, role, name) in [
            ("a1", Role.assessor, "甲考评"), ("a2", .assessor, "乙考评"), ("a3", .assessor, "丙考评"), ("a4", .assessor, "丁师傅"),
            ("sup", .supervisor, "督导"), ("learner", .learner, "考生一"),
        ] {
            try await Fixture.user(app, username, org: enterprise, role: role)
            let u = try await UserRecord.query(on: app.db).filter(\.$username == username).first()!
            u.personID = people[name]!.id
            try await u.update(on: app.db)
        }
        let hr = try await APIClient(app, "hr")
        let (created, filing) = try await hr.call(
            .POST, "/api/v1/evaluation-bodies",
            [
                "institutionType": "Y", "institutionCode": "0000", "siteSerial": "190001", "validFrom": "2026-01-01", "validUntil": "2028-12-31",
                "scopes": [["occupationCode": occupation, "levels": ["level4", "level3"]]],
            ])
        #expect(created == .created)
        #expect(try await hr.call(.POST, "/api/v1/evaluation-bodies/\(filing.string("id"))/submit").0 == .ok)
        #expect(
            try await APIClient(app, "gov").call(.POST, "/api/v1/evaluation-bodies/\(filing.string("id"))/decision", ["decision": "approve"]).0 == .ok
        )
        for (name, level) in [("甲考评", "level2"), ("乙考评", "level2"), ("丙考评", "level5"), ("丁师傅", "level2")] {
            #expect(
                try await hr.call(
                    .POST, "/api/v1/evaluation-staff",
                    [
                        "personId": people[name]!.id!.uuidString, "duty": "assessor",
                        "occupationCode": occupation, "level": level,
                    ]
                ).0 == .created)
        }
        for (name, duty) in [("监考一", "proctor"), ("监考二", "proctor"), ("督导", "supervisor")] {
            #expect(try await hr.call(.POST, "/api/v1/evaluation-staff", ["personId": people[name]!.id!.uuidString, "duty": duty]).0 == .created)
        }
        return EvaluationWorld(enterprise: enterprise, outsider: outsider, people: people)
    }

    func id(_ name: String) -> String { people[name]!.id!.uuidString }

    static func batchBody(level: String = "level4", theoryDay: String? = nil) -> [String: Any] {
        let day = theoryDay ?? Day(Date()).plusDays(7).description
        return [
            "title": "焊工四级第一批", "occupationCode": occupation, "level": level, "method": "examination", "site": "实训楼 A",
            "theoryDay": day, "practicalDay": day, "theoryMinutes": 90, "theoryMinimumMinutes": 30, "questionCount": 10,
        ]
    }

    /// A batch with three assessors, two proctors in one room and the supervisor, open for registration.
    func openBatch(_ app: Application, assessors: [String] = ["甲考评", "乙考评", "丁师傅"]) async throws -> String {
        let hr = try await APIClient(app, "hr")
        let (_, batch) = try await hr.call(.POST, "/api/v1/evaluation-plans", Self.batchBody())
        let b = batch.string("id")
        for name in assessors {
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": id(name), "duty": "assessor"]).0 == .ok)
        }
        for name in ["监考一", "监考二"] {
            #expect(
                try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": id(name), "duty": "proctor", "room": "A101"]).0 == .ok)
        }
        #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": id("督导"), "duty": "supervisor"]).0 == .ok)
        #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "submitPlan"]).0 == .ok)
        #expect(try await APIClient(app, "gov").call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "approvePlan"]).0 == .ok)
        #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "openRegistration"]).0 == .ok)
        return b
    }

    func register(_ app: Application, _ batch: String, _ name: String, years: Double = 3) async throws -> (HTTPStatus, [String: Any]) {
        try await APIClient(app, "hr").call(
            .POST, "/api/v1/evaluation-plans/\(batch)/registrations",
            [
                "personId": id(name), "clauseId": "A-4-1", "yearsInOccupation": years + 1, "certificateOccupationCode": Self.occupation,
                "certificateLevel": "level5", "certificateYears": years,
            ])
    }

    /// A batch run to final results through the API: 考生一 and 考生二 pass, 考生三 fails. The public notice is passed by
    /// moving the application's clock 30 days on for the finalization only (a fresh sign-in, as the old token has expired
    /// by then); afterwards the clock is the one it was.
    func finalBatch(_ app: Application) async throws -> UUID {
        let hr = try await APIClient(app, "hr")
        let b = try await openBatch(app)
        var regs: [String] = []
        for name in ["考生一", "考生二", "考生三"] { regs.append(try await register(app, b, name).1.string("id")) }
        _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
        for e in ["closeRegistration", "holdExams"] { _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": e]) }
        for (r, theory) in zip(regs, [80.0, 70, 40]) {
            for u in ["a1", "a2", "a4"] {
                _ = try await APIClient(app, u).call(.POST, "/api/v1/registrations/\(r)/scores", ["subject": "practical", "score": 75])
            }
            _ = try await hr.call(.POST, "/api/v1/registrations/\(r)/scores", ["score": theory])
        }
        _ = try await APIClient(app, "sup").call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "signOff"])
        _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "publishNotice"])
        let clock = app.dependencies.clock
        app.dependencies.clock = ManualClock(clock.now().addingTimeInterval(30 * 86_400))
        defer { app.dependencies.clock = clock }
        let (status, _) = try await APIClient(app, "hr").call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "finalize"])
        #expect(status == .ok)
        return UUID(uuidString: b)!
    }

    /// A welding apprenticeship the world's enterprise leads, in the world's occupation at level 4, for one calendar year.
    func program(
        _ app: Application, year: Int, status: ProgramStatus, subsidyPerYear: Int, capacity: Int = 10,
        hours: (general: Int, basics: Int, operational: Int) = (60, 120, 420)
    ) async throws -> ProgramRecord {
        let program = ProgramRecord()
        program.version = 1
        program.kind = "newApprenticeship"
        program.name = "焊工学徒班"
        program.leadOrganizationID = enterprise.id!
        program.regionCode = "441900"
        program.occupationEdition = "2022"
        program.occupationCode = EvaluationWorld.occupation
        program.targetLevel = "level4"
        program.startDate = "\(year)-01-01"
        program.endDate = "\(year)-12-31"
        program.capacity = capacity
        program.hoursGeneral = hours.general
        program.hoursBasics = hours.basics
        program.hoursOperational = hours.operational
        program.subsidyPerYear = subsidyPerYear
        program.status = status.rawValue
        try await program.create(on: app.db)
        return program
    }
}
