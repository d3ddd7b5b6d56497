import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// HR corrects a published position: any field while open, the headcount at any time but never below the placements made.
@Suite struct PositionEditTests {
    @Test func a_position_is_corrected_with_its_version_and_the_headcount_never_drops_below_placements() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let (_, position) = try await hr.call(
                .POST, "/api/v1/positions",
                [
                    "title": "焊接操作工", "occupationCode": "6-18-02-04", "requiredLevel": "level4",
                    "headcount": 3, "regionCode": "441900", "wageMin": 6000, "wageMax": 9000,
                ])
            let id = position.string("id").lowercased()
            let path = "/api/v1/positions/\(id)"
            let token = try await Fixture.token(app, "hr")
            func patch(_ body: [String: Any], ifMatch: String? = nil, token t: String? = nil) async throws -> TestingHTTPResponse {
                var headers: HTTPHeaders = ["Authorization": "Bearer \(t ?? token)", "Content-Type": "application/json"]
                if let ifMatch { headers.replaceOrAdd(name: .ifMatch, value: ifMatch) }
                return try await app.testing().sendRequest(
                    .PATCH, path, headers: headers, body: ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
            }
            #expect(
                try await app.testing().sendRequest(.GET, path, headers: ["Authorization": "Bearer \(token)"]).headers.first(name: .eTag) == "\"1\"")
            let renamed = try await patch(["title": "焊接操作工（夜班）", "wageMax": 9500], ifMatch: "\"1\"")
            #expect(renamed.status == .ok && renamed.headers.first(name: .eTag) == "\"2\"")
            #expect(try await patch(["title": "旧版本的修改"], ifMatch: "\"1\"").status == .preconditionFailed)
            let badWage = try await patch(["wageMin": 12000])
            #expect(badWage.status == .unprocessableEntity && badWage.body.string.contains("wageMax"))
            #expect(try await patch(["headcount": 1], token: try await Fixture.token(app, "outsider")).status == .notFound)

            // Two placements made: the headcount cannot go below two; once filled only the headcount changes.
            for i in 0..<2 {
                let person = try await Fixture.person(app, org: w.enterprise, name: "就业\(i)")
                let p = PlacementRecord()
                p.positionID = UUID(uuidString: id)!
                p.organizationID = w.enterprise.id!
                p.personID = person.id!
                p.citizenIDIndex = person.citizenIDIndex
                p.regionCode = "441900"
                p.occupationCode = "6-18-02-04"
                p.startDate = "2026-03-01"
                p.monthlyWage = 7000
                try await p.create(on: app.db)
            }
            let tooFew = try await patch(["headcount": 1])
            #expect(tooFew.status == .unprocessableEntity && tooFew.body.string.contains("position.headcount.belowPlacements"))
            #expect(try await hr.call(.POST, "\(path)/status", ["status": "filled"]).0 == .ok)
            let notOpen = try await patch(["title": "改名"])
            #expect(notOpen.status == .unprocessableEntity && notOpen.body.string.contains("position.edit.notOpen"))
            #expect(try await patch(["headcount": 2]).status == .ok)
            let row = try #require(try await PositionRecord.find(UUID(uuidString: id)!, on: app.db))
            #expect(row.headcount == 2 && row.title == "焊接操作工（夜班）" && row.version == 3)
            let entries = try await AuditEventRecord.query(on: app.db).filter(\.$action == "position.updated").all()
            #expect(entries.count == 2 && entries[0].detail.contains("焊接操作工（夜班）"))
        }
    }
}

@Suite struct PositionEditPageTests {
    @Test func hr_corrects_a_position_on_its_page_and_a_stale_form_is_refused_with_the_current_values() async throws {
        try await withTestApp { app in
            _ = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let (_, position) = try await hr.call(
                .POST, "/api/v1/positions",
                [
                    "title": "装配工", "occupationCode": "6-18-02-04", "requiredLevel": "level4",
                    "headcount": 3, "regionCode": "441900", "wageMin": 6000, "wageMax": 9000,
                ])
            let id = position.string("id").lowercased()
            let b = Browser(app)
            _ = try await b.login("hr")
            #expect(try await b.get("/positions").body.string.contains("/positions/\(id)/edit"))
            let form = try await b.get("/positions/\(id)/edit").body.string
            #expect(form.contains("name=\"version\" value=\"1\"") && form.contains("value=\"装配工\"") && form.contains("action=\"/positions/\(id)\""))
            let fields = [
                "version": "1", "title": "精密装配工", "occupationCode": "6-18-02-04", "requiredLevel": "level4", "headcount": "5",
                "regionCode": "441900", "wageMin": "6500", "wageMax": "9000",
            ]
            var bad = fields
            bad["headcount"] = "0"
            #expect(try await b.post("/positions/\(id)", form: bad).status == .unprocessableEntity)
            #expect(try await b.post("/positions/\(id)", form: fields).status == .seeOther)
            let row = try #require(try await PositionRecord.find(UUID(uuidString: id)!, on: app.db))
            #expect(row.title == "精密装配工" && row.headcount == 5 && row.wageMin == 6500 && row.version == 2)
            let stale = try await b.post("/positions/\(id)", form: fields.merging(["title": "旧表单"]) { $1 })
            #expect(stale.status == .conflict && stale.body.string.contains("精密装配工") && stale.body.string.contains("name=\"version\" value=\"2\""))
        }
    }
}
