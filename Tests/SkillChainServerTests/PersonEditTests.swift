import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Correcting a person, as HR does in the first week: a name typed wrong, a new phone, an ID number entered wrongly.
@Suite struct PersonEditTests {
    struct World {
        let enterprise: OrganizationRecord
        let person: PersonRecord
    }

    func world(_ app: Application) async throws -> World {
        let enterprise = try await Fixture.org(app, name: "东莞精工")
        let other = try await Fixture.org(app, name: "别家企业")
        try await Fixture.user(app, "hr", org: enterprise, role: .enterpriseAdmin)
        try await Fixture.user(app, "hr2", org: enterprise, role: .enterpriseAdmin)
        try await Fixture.user(app, "master", org: enterprise, role: .master)
        try await Fixture.user(app, "outsider", org: other, role: .enterpriseAdmin)
        let person = try await Fixture.person(app, org: enterprise, id: "440524188001010014", name: "张三")
        return World(enterprise: enterprise, person: person)
    }

    @Test func hr_fixes_a_name_and_a_phone_and_sees_the_history_with_personal_data_masked() async throws {
        try await withTestApp { app in
            let w = try await world(app)
            let id = w.person.id!.uuidString.lowercased()
            let hr = Browser(app)
            _ = try await hr.login("hr")
            let form = try await hr.get("/people/\(id)/edit")
            #expect(form.status == .ok && form.body.string.contains("name=\"version\" value=\"1\""))
            #expect(form.body.string.contains("action=\"/people/\(id)\""), "the form posts to the person")

            // Bad input: every problem named, nothing changed.
            let bad = try await hr.post(
                "/people/\(id)", form: ["version": "1", "name": "", "phone": "12345", "education": "associate", "category": "employee"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("field-error"))
            #expect(try await PersonRecord.find(w.person.id, on: app.db)?.version == 1)

            let saved = try await hr.post(
                "/people/\(id)", form: ["version": "1", "name": "李四", "phone": "139 0013 9000", "education": "bachelor", "category": "employee"])
            #expect(saved.status == .seeOther && saved.headers.first(name: .location) == "/people/\(id)")
            let p = try #require(try await PersonRecord.find(w.person.id, on: app.db))
            #expect(p.name == "李四" && p.version == 2 && p.phoneMasked == "139****9000")
            #expect(try app.personalData.open(p.phoneSealed) == "13900139000")

            let page = try await hr.get("/people/\(id)").body.string
            // The page shows the name as it was (the page shows names anyway); the log holds it masked (below).
            #expect(page.contains("修改记录") && page.contains("张三 → 李四") && page.contains("138****8000 → 139****9000"))
            #expect(!page.contains("本人更正申请"), "no empty corrections section")
            #expect(page.contains("大专 → 本科"))
            // The audit entry holds the masked forms only.
            let entry = try #require(try await AuditEventRecord.query(on: app.db).filter(\.$action == "person.updated").first())
            #expect(!entry.detail.contains("李四") && !entry.detail.contains("13900139000") && entry.detail.contains("李*"))
            #expect(try await AuditLog.verify(on: app.db).isIntact)
        }
    }

    @Test func a_stale_form_shows_what_changed_meanwhile_instead_of_overwriting() async throws {
        try await withTestApp { app in
            let w = try await world(app)
            let id = w.person.id!.uuidString.lowercased()
            let first = Browser(app)
            let second = Browser(app)
            _ = try await first.login("hr")
            _ = try await second.login("hr2")
            _ = try await first.get("/people/\(id)/edit")
            _ = try await second.get("/people/\(id)/edit")
            #expect(
                try await first.post(
                    "/people/\(id)",
                    form: [
                        "version": "1", "name": "张山", "phone": "13800138000", "education": "associate",
                        "category": "employee",
                    ]
                ).status == .seeOther)
            let stale = try await second.post(
                "/people/\(id)",
                form: [
                    "version": "1", "name": "张珊", "phone": "13800138000", "education": "associate",
                    "category": "employee",
                ])
            #expect(stale.status == .conflict)
            let body = stale.body.string
            #expect(body.contains("已被他人修改") && body.contains("张珊") && body.contains("张山"))
            #expect(body.contains("name=\"version\" value=\"2\""), "saving again is a deliberate overwrite")
            #expect(try await PersonRecord.find(w.person.id, on: app.db)?.name == "张山")
            #expect(
                try await second.post(
                    "/people/\(id)",
                    form: [
                        "version": "2", "name": "张珊", "phone": "13800138000", "education": "associate",
                        "category": "employee",
                    ]
                ).status == .seeOther)
            #expect(try await PersonRecord.find(w.person.id, on: app.db)?.name == "张珊")
        }
    }

    @Test func the_api_serves_an_etag_and_a_patch_with_a_stale_if_match_answers_412() async throws {
        try await withTestApp { app in
            let w = try await world(app)
            let path = "/api/v1/people/\(w.person.id!.uuidString.lowercased())"
            let token = try await Fixture.token(app, "hr")
            func send(_ method: HTTPMethod, _ body: [String: String]? = nil, ifMatch: String? = nil, as user: String? = nil) async throws
                -> TestingHTTPResponse
            {
                var headers: HTTPHeaders = ["Authorization": "Bearer \(user == nil ? token : try await Fixture.token(app, user!))"]
                if let ifMatch { headers.replaceOrAdd(name: .ifMatch, value: ifMatch) }
                return try await app.testing().sendRequest(
                    method, path, headers: headers,
                    beforeRequest: { req in
                        if let body { try req.content.encode(body) }
                    })
            }
            let got = try await send(.GET)
            #expect(got.headers.first(name: .eTag) == "\"1\"")
            let patched = try await send(.PATCH, ["phone": "13900139000"], ifMatch: "\"1\"")
            #expect(patched.status == .ok && patched.headers.first(name: .eTag) == "\"2\"")
            #expect(patched.body.string.contains("139****9000") && patched.body.string.contains("\"name\":\"张三\""), "only the given field changed")
            let stale = try await send(.PATCH, ["name": "王五"], ifMatch: "\"1\"")
            #expect(stale.status == .preconditionFailed && stale.headers.first(name: .eTag) == "\"2\"")
            #expect(try await PersonRecord.find(w.person.id, on: app.db)?.name == "张三")
            #expect(try await send(.PATCH, ["name": "王五"], ifMatch: "W/\"2\"").status == .preconditionFailed, "weak tags never match")
            let invalid = try await send(.PATCH, ["phone": "123", "category": "astronaut"], ifMatch: "\"2\"")
            #expect(invalid.status == .unprocessableEntity)
            #expect(try await PersonRecord.find(w.person.id, on: app.db)?.version == 2)
            #expect(try await send(.PATCH, ["name": "王五"], as: "outsider").status == .notFound)
            #expect(try await send(.PATCH, ["name": "王五"], as: "master").status == .forbidden)
            #expect(try await send(.PATCH, ["name": "王五"]).status == .ok, "without If-Match the edit applies to what is current")
        }
    }

    @Test func an_id_number_is_corrected_only_with_a_reason_and_sex_and_birth_date_follow() async throws {
        try await withTestApp { app in
            let w = try await world(app)
            let actor = try #require(try await DemoData.actor(app, username: "hr"))
            await #expect(throws: ValidationFailure.self) {
                try await PersonEditService(app).update(w.person.id!, .init(citizenId: "11010519491231002X"), expected: .none, actor: actor)
            }
            let p = try await PersonEditService(app).update(
                w.person.id!, .init(citizenId: "11010519491231002X", reason: "录入时抄错"), expected: .none,
                actor: actor)
            #expect(p.birthDate == "1949-12-31" && p.sex == "female" && p.citizenIDMasked == "1101**********002X")
            #expect(p.citizenIDIndex == app.personalData.blindIndex("11010519491231002X"))
            let entry = try #require(try await AuditEventRecord.query(on: app.db).filter(\.$action == "person.updated").first())
            #expect(entry.detail.contains("录入时抄错") && !entry.detail.contains("11010519491231002X"))
            // Another person of the organization already holding a number: refused, nothing changed.
            let other = try await Fixture.person(app, org: w.enterprise, id: "34052419800101001X", name: "王五")
            await #expect(throws: ValidationFailure.self) {
                try await PersonEditService(app).update(
                    other.id!, .init(citizenId: "11010519491231002X", reason: "x"), expected: .none, actor: actor)
            }
            #expect(try await PersonRecord.find(other.id, on: app.db)?.version == 1)
        }
    }
}
