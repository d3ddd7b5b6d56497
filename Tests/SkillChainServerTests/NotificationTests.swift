import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Hand-overs notify the party who must act or is affected, in the same transaction as the change; the inbox (bell,
/// page, API) shows each message in the reader's language with a link to the record.
@Suite struct NotificationTests {
    func items(_ client: APIClient, _ query: String = "") async throws -> [[String: Any]] {
        (try await client.call(.GET, "/api/v1/notifications\(query)").1["items"] as? [[String: Any]]) ?? []
    }

    @Test func the_school_admin_is_told_an_agreement_waits_and_the_message_opens_it() async throws {
        try await withTestApp { app in
            let w = try await TrainingWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let school = try await APIClient(app, "school")
            let (_, program) = try await hr.call(.POST, "/api/v1/programs", w.programBody(partners: [w.school.id!]))
            let pid = program.string("id").lowercased()
            let coop = try #require((program["cooperationAgreements"] as? [[String: Any]])?.first)
            #expect(try await items(school).isEmpty)
            let browser = Browser(app)
            _ = try await browser.login("school")
            #expect(!(try await browser.get("/").body.string.contains(#"class="bell unread""#)))

            // The bell's count is remembered for a few seconds, but another user's change clears it at once.
            #expect(try await hr.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "send"]).0 == .ok)
            let inbox = try await items(school)
            #expect(inbox.count == 1)
            #expect(inbox.first?.string("kind") == "agreementSent")
            #expect(inbox.first?.string("link") == "/programs/\(pid)")
            #expect(inbox.first?.string("text").contains("焊工新型学徒班") == true)
            #expect(try await items(hr).isEmpty, "the sender is not told of their own act")
            let english = try await items(school, "?lang=en")
            #expect(english.first?.string("text").hasPrefix("An agreement of the programme") == true)

            // The bell on every page, the inbox page, and reading the message opens the programme.
            let home = try await browser.get("/")
            #expect(home.body.string.contains(#"class="bell unread""#))
            let page = try await browser.get("/inbox")
            #expect(page.status == .ok && page.body.string.contains("焊工新型学徒班"))
            let id = try #require(inbox.first?.string("id"))
            let opened = try await browser.post("/inbox/\(id)/read", form: [:])
            #expect(opened.status == .seeOther && opened.headers.first(name: .location) == "/programs/\(pid)")
            #expect(!(try await browser.get("/").body.string.contains(#"class="bell unread""#)))
            #expect(try await items(school).first?["readAt"] is String)

            // Returned with a reason: the lead's admins are told.
            _ = try await school.call(.POST, "/api/v1/agreements/\(coop.string("id"))/actions", ["action": "return", "reason": "请补充学时安排"])
            #expect(try await items(hr).map { $0.string("kind") } == ["agreementReturned"])
        }
    }

    @Test func a_change_that_rolls_back_notifies_nobody() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            let m = try await Fixture.user(app, "hr", org: org, role: .enterpriseAdmin)
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await app.write { db in
                    try await NotificationService(app).notify(
                        [NotificationDraft(kind: .agreementSent, recipient: m.userID, args: ["x"], link: "/")], on: db)
                    throw Refused()
                }
            }
            #expect(try await NotificationRecord.query(on: app.db).count() == 0)
        }
    }

    @Test func the_holder_is_told_of_a_suspension_and_no_one_else_can_read_it() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let batch = try await w.finalBatch(app)
            let cert = try #require(try await CertificateStore(app.db).ofBatch(batch).first { $0.holderName == "考生一" })
            try await Fixture.user(app, "holder", org: w.enterprise, role: .learner)
            let user = try #require(try await UserRecord.query(on: app.db).filter(\.$username == "holder").first())
            user.personID = w.people["考生一"]?.id
            try await user.update(on: app.db)

            let hr = try await APIClient(app, "hr")
            let (status, _) = try await hr.call(
                .POST, "/api/v1/certificates/\(cert.number)/status", ["action": "suspend", "category": "error", "reason": "核查中"])
            #expect(status == .ok)
            let holder = try await APIClient(app, "holder")
            let told = try await items(holder)
            #expect(told.map { $0.string("kind") } == ["certificateSuspended"])
            #expect(told.first?.string("text").contains(cert.number) == true)
            #expect(told.first?.string("text").contains("核查中") == false, "the sealed reason stays out of the message")

            let id = try #require(told.first?.string("id"))
            #expect(try await hr.call(.POST, "/api/v1/notifications/\(id)/read").0 == .notFound)
            #expect(try await holder.call(.POST, "/api/v1/notifications/\(id)/read").0 == .noContent)

            // Reinstated: a second message; pages of one follow the cursor, newest first.
            _ = try await hr.call(.POST, "/api/v1/certificates/\(cert.number)/status", ["action": "reinstate"])
            let (_, first) = try await holder.call(.GET, "/api/v1/notifications?limit=1")
            let page1 = try #require(first["items"] as? [[String: Any]])
            #expect(page1.map { $0.string("kind") } == ["certificateReinstated"])
            let next = try #require(first["nextCursor"] as? String)
            let (_, second) = try await holder.call(.GET, "/api/v1/notifications?limit=1&cursor=\(next)")
            #expect((second["items"] as? [[String: Any]])?.map { $0.string("kind") } == ["certificateSuspended"])
            #expect(second["nextCursor"] is NSNull)
        }
    }

    @Test func the_candidate_is_told_of_an_invitation_and_the_employer_of_the_answer() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)
            let hr = try await APIClient(app, "hr")
            let learner = try await APIClient(app, "learner")
            let (_, position) = try await hr.call(
                .POST, "/api/v1/positions",
                [
                    "title": "视觉检测工", "occupationCode": EvaluationWorld.occupation, "requiredLevel": "level4", "headcount": 1, "regionCode": "441900",
                    "wageMin": 6000, "wageMax": 9000, "frontLine": true, "description": "产线视觉检测",
                ])
            let pid = position.string("id")
            _ = try await learner.call(.POST, "/api/v1/talent-pool/consent", ["consent": true])
            let candidate = try #require((try await hr.call(.GET, "/api/v1/positions/\(pid)/matches").1["items"] as? [[String: Any]])?.first)
            let (_, invitation) = try await hr.call(.POST, "/api/v1/positions/\(pid)/invitations", ["candidate": candidate.string("candidate")])
            // (The batch told them of its own steps before; only the invitation is new.)
            let invitations: Set = ["invitationReceived", "invitationAccepted", "invitationDeclined"]
            let told = try await items(learner).filter { invitations.contains($0.string("kind")) }
            #expect(told.map { $0.string("kind") } == ["invitationReceived"])
            #expect(told.first?.string("text").contains("视觉检测工") == true && told.first?.string("link") == "/talent-pool")
            #expect(try await items(hr).filter { invitations.contains($0.string("kind")) }.isEmpty)

            _ = try await learner.call(.POST, "/api/v1/invitations/\(invitation.string("id"))/answer", ["answer": "accept"])
            let answered = try await items(hr, "?lang=en").filter { invitations.contains($0.string("kind")) }
            #expect(answered.map { $0.string("kind") } == ["invitationAccepted"])
            #expect(answered.first?.string("text") == "A candidate accepted the invitation to “视觉检测工”; the placement can be recorded.")
            #expect(answered.first?.string("link") == "/placements")
        }
    }
}
