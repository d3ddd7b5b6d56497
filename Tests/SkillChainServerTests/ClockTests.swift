import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Time comes from the application's clock: a test moves it and drives dated workflows through HTTP alone.
@Suite struct ClockTests {
    @Test func a_batch_goes_from_public_notice_to_final_through_http_once_the_clock_passes_the_notice_period() async throws {
        try await withTestApp { app in
            let start = Date()
            let clock = ManualClock(start)
            app.dependencies.clock = clock
            let w = try await EvaluationWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let b = try await w.openBatch(app)
            var regs: [String] = []
            for name in ["考生一", "考生二"] { regs.append(try await w.register(app, b, name).1.string("id")) }
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            for e in ["closeRegistration", "holdExams"] {
                #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": e]).0 == .ok)
            }
            for r in regs {
                for u in ["a1", "a2", "a4"] {
                    _ = try await APIClient(app, u).call(.POST, "/api/v1/registrations/\(r)/scores", ["subject": "practical", "score": 75])
                }
                _ = try await hr.call(.POST, "/api/v1/registrations/\(r)/scores", ["score": 80])
            }
            #expect(try await APIClient(app, "sup").call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "signOff"]).0 == .ok)
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "publishNotice"]).0 == .ok)

            // While the notice runs, finalizing is refused and the public notice lists the batch as open.
            let (early, problem) = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "finalize"])
            #expect(early == .unprocessableEntity)
            let codes = (problem["errors"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(codes == ["batch.notice.running"])
            func notice() async throws -> [String: Any]? {
                var found: [String: Any]?
                try await app.testing().test(.GET, "/api/v1/notices") { res in
                    let list = (try? JSONSerialization.jsonObject(with: Data(res.body.readableBytesView))) as? [[String: Any]] ?? []
                    found = list.first { ($0["batchId"] as? String)?.lowercased() == b.lowercased() }
                }
                return found
            }
            #expect(try await notice()?["open"] as? Bool == true)

            // Twenty days later (the sign-in token, valid 30 days, still is): the notice has ended and the batch becomes final.
            clock.advance(days: 20)
            #expect(try await notice()?["open"] as? Bool == false)
            #expect(try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "finalize"]).0 == .ok)
            let certs = try await CertificateRecord.query(on: app.db).filter(\.$batchID == UUID(uuidString: b)!).all()
            #expect(certs.count == 2)
            // Issued on the clock's day, not the machine's.
            #expect(certs.allSatisfy { $0.issueDate == Day(start).plusDays(20).description })
            let batch = try #require(try await EvaluationBatchRecord.find(UUID(uuidString: b)!, on: app.db))
            #expect(batch.finalizedAt.map { abs($0.timeIntervalSince(start.addingTimeInterval(20 * 86_400))) < 1 } == true)
            #expect(try await notice() == nil, "final batches leave the notice")
            // Sign-in checks read the same clock: past its 30 days the token no longer opens anything.
            clock.advance(days: 11)
            #expect(try await hr.call(.GET, "/api/v1/me").0 == .unauthorized)
        }
    }
}
