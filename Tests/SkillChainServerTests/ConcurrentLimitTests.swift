import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Limits and uniqueness hold when requests arrive at once (on SQLite and PostgreSQL): the check is made again inside
/// the writing transaction, under the lock of the row the limit belongs to.
@Suite struct ConcurrentLimitTests {
    /// Fires every body at once and returns the statuses.
    func burst(_ app: Application, _ client: APIClient, _ path: String, _ bodies: [[String: String]]) async throws -> [UInt] {
        try await withThrowingTaskGroup(of: UInt.self) { group in
            for body in bodies {
                group.addTask { UInt(try await client.call(.POST, path, body).0.code) }
            }
            var out: [UInt] = []
            for try await s in group { out.append(s) }
            return out
        }
    }

    func program(_ app: Application, _ w: TrainingWorld, _ hr: APIClient, capacity: Int) async throws -> String {
        var body = w.programBody()
        body["capacity"] = capacity
        let (status, program) = try await hr.call(.POST, "/api/v1/programs", body)
        #expect(status == .created)
        return program.string("id")
    }

    func enrollment(_ person: PersonRecord, master: MembershipRecord) -> [String: String] {
        ["personId": person.id!.uuidString, "contractStart": "2026-03-01", "contractEnd": "2029-02-28", "masterMembershipId": master.id!.uuidString]
    }

    @Test func concurrent_enrollments_neither_overfill_a_programme_nor_enroll_a_person_twice() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            var people: [PersonRecord] = []
            for i in 0..<6 { people.append(try await Fixture.person(app, org: w.enterprise, name: "学徒\(i)")) }

            let small = try await program(app, w, hr, capacity: 2)
            let statuses = try await burst(app, hr, "/api/v1/programs/\(small)/enrollments", people.map { enrollment($0, master: w.master) })
            #expect(statuses.filter { $0 == 201 }.count == 2, "\(statuses)")
            #expect(statuses.filter { $0 == 422 }.count == 4)
            #expect(try await EnrollmentRecord.query(on: app.db).filter(\.$programID == UUID(uuidString: small)!).count() == 2)

            let other = try await program(app, w, hr, capacity: 30)
            let twice = try await burst(
                app, hr, "/api/v1/programs/\(other)/enrollments",
                Array(repeating: enrollment(people[5], master: w.otherMaster), count: 4))
            #expect(twice.filter { $0 == 201 }.count == 1, "\(twice)")
            #expect(try await EnrollmentRecord.query(on: app.db).filter(\.$programID == UUID(uuidString: other)!).count() == 1)
        }
    }

    @Test func concurrent_enrollments_never_give_a_master_more_apprentices_than_allowed() async throws {
        try await withTestApp(adjust: { $0.trainingRules.maxApprenticesPerMaster = 2 }) { app in
            let w = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            var people: [PersonRecord] = []
            for i in 0..<5 { people.append(try await Fixture.person(app, org: w.enterprise, name: "徒弟\(i)")) }
            let pid = try await program(app, w, hr, capacity: 30)
            let statuses = try await burst(app, hr, "/api/v1/programs/\(pid)/enrollments", people.map { enrollment($0, master: w.master) })
            #expect(statuses.filter { $0 == 201 }.count == 2, "\(statuses)")
            #expect(try await EnrollmentRecord.query(on: app.db).filter(\.$masterMembershipID == w.master.id!).count() == 2)
        }
    }
}
