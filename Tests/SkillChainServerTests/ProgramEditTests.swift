import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// HR corrects a programme: anything while planning, after the start only end date, capacity and hours, with a reason.
@Suite struct ProgramEditTests {
    @Test func a_programme_is_corrected_within_what_its_state_allows() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let (_, program) = try await hr.call(.POST, "/api/v1/programs", w.programBody(kind: "projectTraining", partners: []))
            let id = program.string("id").lowercased()
            let path = "/api/v1/programs/\(id)"
            let token = try await Fixture.token(app, "hr")
            #expect(
                try await app.testing().sendRequest(.GET, path, headers: ["Authorization": "Bearer \(token)"]).headers.first(name: .eTag) == "\"1\"")
            let (renamed, body) = try await hr.call(.PATCH, path, ["name": "焊工项目制培训（春季班）", "capacity": 25])
            #expect(renamed == .ok && body.string("name") == "焊工项目制培训（春季班）" && body["version"] as? Int == 2)
            // A plan that would break the rules is refused as a whole.
            let (bad, problem) = try await hr.call(.PATCH, path, ["hoursGeneral": 500])
            #expect(bad == .unprocessableEntity && problem.errorFields.contains("hoursGeneral"))
            #expect(try await APIClient(app, "outsider").call(.PATCH, path, ["name": "x"]).0 == .notFound)
            #expect(try await APIClient(app, "school").call(.PATCH, path, ["name": "x"]).0 == .forbidden)

            // Started: the name is locked, the end date moves only with a reason.
            // (Starting needs learners and agreements, tested in TrainingAPITests; here the state is what matters.)
            try await ProgramRecord.query(on: app.db).filter(\.$id == UUID(uuidString: id)!).set(\.$status, to: ProgramStatus.inTraining.rawValue)
                .update()
            let (locked, lockedBody) = try await hr.call(.PATCH, path, ["name": "改名", "endDate": "2027-03-31"])
            #expect(locked == .unprocessableEntity && Set(lockedBody.errorFields) == ["name", "reason"])
            let (moved, movedBody) = try await hr.call(.PATCH, path, ["endDate": "2027-03-31", "reason": "企业生产安排调整"])
            #expect(moved == .ok && movedBody.string("endDate") == "2027-03-31")
            let entries = try await AuditEventRecord.query(on: app.db).filter(\.$action == "program.updated").all()
            #expect(entries.count == 2 && entries[1].detail.contains("企业生产安排调整"))
        }
    }
}

@Suite struct ProgramEditPageTests {
    @Test func hr_corrects_a_programme_on_its_page_and_after_the_start_needs_a_reason() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let (_, program) = try await hr.call(.POST, "/api/v1/programs", w.programBody(kind: "projectTraining", partners: []))
            let id = program.string("id").lowercased()
            let b = Browser(app)
            _ = try await b.login("hr")
            #expect(try await b.get("/programs/\(id)").body.string.contains("/programs/\(id)/edit"))
            #expect(try await b.get("/programs/\(id)/edit").body.string.contains("name=\"version\" value=\"1\""))
            var form = [
                "version": "1", "name": "焊工项目制培训（秋季班）", "startDate": "2026-03-01", "endDate": "2027-02-28", "capacity": "24",
                "hoursGeneral": "60", "hoursBasics": "120", "hoursOperational": "420",
            ]
            #expect(try await b.post("/programs/\(id)", form: form).status == .seeOther)
            #expect(try await ProgramRecord.find(UUID(uuidString: id)!, on: app.db)?.name == "焊工项目制培训（秋季班）")
            let programPage = try await b.get("/programs/\(id)").body.string
            #expect(programPage.contains("修改记录") && programPage.contains("项目名称：焊工新型学徒班 → 焊工项目制培训（秋季班）"))
            try await ProgramRecord.query(on: app.db).filter(\.$id == UUID(uuidString: id)!).set(\.$status, to: ProgramStatus.inTraining.rawValue)
                .update()
            let started = try await b.get("/programs/\(id)/edit").body.string
            #expect(!started.contains("id=\"name\"") && started.contains("id=\"reason\""))
            form = ["version": "2", "endDate": "2027-03-31", "capacity": "24", "hoursGeneral": "60", "hoursBasics": "120", "hoursOperational": "420"]
            let noReason = try await b.post("/programs/\(id)", form: form)
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("须写明原因"))
            form["reason"] = "生产旺季顺延"
            #expect(try await b.post("/programs/\(id)", form: form).status == .seeOther)
            #expect(try await ProgramRecord.find(UUID(uuidString: id)!, on: app.db)?.endDate == "2027-03-31")
        }
    }
}
