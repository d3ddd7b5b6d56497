import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Each hand-over of the loop tells who must act or is affected: chains and filings go to the region's officers and
/// their decisions back; a batch's candidates hear of eligibility, exams, notice and certificates; the daily check warns
/// of lapsing filings and keys once.
@Suite struct NotificationLoopTests {
    func kinds(_ app: Application, _ user: String) async throws -> [String] {
        let client = try await APIClient(app, user)
        let items = (try await client.call(.GET, "/api/v1/notifications?limit=100").1["items"] as? [[String: Any]]) ?? []
        return items.map { $0.string("kind") }
    }

    func texts(_ app: Application, _ user: String) async throws -> [String] {
        let client = try await APIClient(app, user)
        let items = (try await client.call(.GET, "/api/v1/notifications?limit=100").1["items"] as? [[String: Any]]) ?? []
        return items.map { $0.string("text") }
    }

    @Test func a_chain_submitted_reaches_the_officers_of_its_region_only_and_the_decision_comes_back_to_the_lead() async throws {
        try await withTestApp { app in
            let lead = try await Fixture.org(app, flags: ["chainLeader"], name: "东莞精工")
            let gov = try await Fixture.org(app, kind: .governmentDepartment, region: "441900")
            let farGov = try await Fixture.org(app, kind: .governmentDepartment, region: "110000")
            try await Fixture.user(app, "hr", org: lead, role: .enterpriseAdmin)
            try await Fixture.user(app, "gov", org: gov, role: .governmentOfficer)
            try await Fixture.user(app, "fargov", org: farGov, role: .governmentOfficer)
            let hr = try await APIClient(app, "hr")
            let (_, chain) = try await hr.call(
                .POST, "/api/v1/chains", ["name": "智能传感链", "industry": "智能传感", "regionCode": "441900", "postsCommitted": 200])
            let id = chain.string("id")
            #expect(try await hr.call(.POST, "/api/v1/chains/\(id)/submit").0 == .ok)
            #expect(try await kinds(app, "gov") == ["chainSubmitted"])
            #expect(try await texts(app, "gov").first?.contains("智能传感链") == true)
            #expect(try await kinds(app, "fargov").isEmpty)
            let gov1 = try await APIClient(app, "gov")
            #expect(try await gov1.call(.POST, "/api/v1/chains/\(id)/decision", ["decision": "return", "reason": "成员不足"]).0 == .ok)
            #expect(try await kinds(app, "hr") == ["chainReturned"])
        }
    }

    @Test func a_batch_tells_the_bureau_of_its_plan_and_each_candidate_of_every_step_down_to_their_certificate() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            #expect(try await kinds(app, "gov") == ["filingSubmitted"])
            #expect(try await kinds(app, "hr") == ["filingApproved"])
            let batch = try await w.finalBatch(app)
            #expect(try await kinds(app, "gov").contains("planSubmitted"))
            #expect(try await kinds(app, "hr").contains("planApproved"))
            // 考生一 signs in as "learner": told of the exams, the notice and the certificate, newest first.
            let learner = try await kinds(app, "learner")
            #expect(learner.contains("examOpen") && learner.contains("resultsOnNotice"))
            let cert = try #require(try await CertificateStore(app.db).ofBatch(batch).first { $0.holderName == "考生一" })
            #expect(learner.first == "certificateIssued")
            #expect(try await texts(app, "learner").first?.contains(cert.number) == true)
        }
    }

    @Test func the_daily_check_warns_of_a_lapsing_filing_and_an_old_signing_key_once() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)  // the body now has a signing key
            let before = try await kinds(app, "hr").count
            #expect(try await ExpiryCheck(app: app).run() == 0)
            // 2028-11-09: the filing (valid until 2028-12-31) lapses in 52 days, and the key is well over a year old.
            app.dependencies.clock = ManualClock(Date(timeIntervalSince1970: 1_857_340_800))
            #expect(try await ExpiryCheck(app: app).run() == 2)
            let told = try await kinds(app, "hr")
            #expect(told.count == before + 2 && told.contains("filingExpiring") && told.contains("signingKeyExpiring"))
            #expect(try await texts(app, "hr").contains { $0.contains("2028-12-31") })
            #expect(try await ExpiryCheck(app: app).run() == 0, "each is told once")
        }
    }
}
