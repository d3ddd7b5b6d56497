import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// An assessor who leaves: off the panels not yet held, not assignable, past scores kept; back when reactivated.
@Suite struct StaffLifecycleTests {
    @Test func a_deactivated_assessor_leaves_future_panels_and_cannot_be_assigned_until_reactivated() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let b = try await w.openBatch(app)
            let batchID = UUID(uuidString: b)!
            let assessor = w.people["甲考评"]!.id!
            let entry = try #require(
                try await EvaluationStaffRecord.query(on: app.db).filter(\.$personID == assessor).filter(\.$duty == "assessor").first())
            let path = "/api/v1/evaluation-staff/\(entry.id!.uuidString.lowercased())"
            #expect(try await APIClient(app, "outsider").call(.POST, "\(path)/deactivation").0 == .notFound)
            #expect(try await APIClient(app, "a1").call(.POST, "\(path)/deactivation").0 == .forbidden)
            let hr = try await APIClient(app, "hr")
            let (ok, body) = try await hr.call(.POST, "\(path)/deactivation")
            #expect(ok == .ok && body["active"] as? Bool == false)
            #expect(try await BatchStaffRecord.query(on: app.db).filter(\.$batchID == batchID).filter(\.$personID == assessor).count() == 0)
            #expect(try await BatchStaffRecord.query(on: app.db).filter(\.$batchID == batchID).count() == 5, "the rest of the panel stays")
            let (refused, why) = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": w.id("甲考评"), "duty": "assessor"])
            #expect(refused == .unprocessableEntity && why.errorCodes == ["batch.staff.notRegistered"])
            #expect(try await hr.call(.POST, "\(path)/deactivation").0 == .conflict)
            // The page shows it, with the way back.
            let page = Browser(app)
            _ = try await page.login("hr")
            let staff = try await page.get("/evaluation-staff").body.string
            #expect(staff.contains("class=\"inactive\"") && staff.contains("/reactivation"))
            #expect(try await page.post("/evaluation-staff/\(entry.id!.uuidString.lowercased())/reactivation", form: [:]).status == .seeOther)
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/staff", ["personId": w.id("甲考评"), "duty": "assessor"]).0 == .ok)
        }
    }
}
