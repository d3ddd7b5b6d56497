import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Correcting the question bank: a question never on a paper is edited; one already on a paper is retired and a new
/// version takes its place, while the paper keeps reading and scoring the version it drew.
@Suite struct QuestionEditTests {
    @Test func an_unused_question_is_edited_and_a_used_one_is_revised_without_changing_the_paper() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let hr = try await APIClient(app, "hr")
            var ids: [String] = []
            for i in 0..<10 {
                let (_, q) = try await hr.call(
                    .POST, "/api/v1/question-items",
                    [
                        "occupationCode": EvaluationWorld.occupation, "level": "level4",
                        "kind": "trueFalse", "area": i < 3 ? "basicRequirements" : "relatedKnowledge",
                        "stem": "判断 \(i)", "answer": "T",
                    ])
                ids.append(q.string("id").lowercased())
            }
            // Unused: edited in place; bad input refused; another body's cannot.
            let (edited, body) = try await hr.call(.PATCH, "/api/v1/question-items/\(ids[0])", ["stem": "判断 0（修订）"])
            #expect(edited == .ok && body.string("stem") == "判断 0（修订）" && body["replacesId"] == nil)
            #expect(try await hr.call(.PATCH, "/api/v1/question-items/\(ids[0])", ["answer": "Q"]).0 == .unprocessableEntity)
            #expect(try await APIClient(app, "outsider").call(.PATCH, "/api/v1/question-items/\(ids[0])", ["stem": "x"]).0 == .notFound)

            // A paper draws all ten; then question 1 is corrected.
            let b = try await w.openBatch(app)
            let rid = UUID(uuidString: try await w.register(app, b, "考生一").1.string("id"))!
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "closeRegistration"])
            let learner = try #require(try await DemoData.actor(app, username: "learner"))
            let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let paper = try await ExamService(app).open(rid, actor: learner, now: start)
            #expect(Set(paper.items.map(\.id)) == Set(ids))
            let (revised, newVersion) = try await hr.call(.PATCH, "/api/v1/question-items/\(ids[1])", ["stem": "判断 1（新版）", "answer": "F"])
            #expect(revised == .created && newVersion.string("replacesId").lowercased() == ids[1])
            let old = try #require(try await QuestionItemRecord.find(UUID(uuidString: ids[1])!, on: app.db))
            #expect(old.retiredAt != nil && old.stem == "判断 1" && old.answer == "T", "the drawn version is untouched")
            #expect(
                try await hr.call(.PATCH, "/api/v1/question-items/\(ids[1])", ["stem": "again"]).0 == .notFound, "a retired version is not edited")
            // The paper still shows and scores the version it drew; new papers draw the new one.
            let again = try await ExamService(app).open(rid, actor: learner, now: start.addingTimeInterval(60))
            #expect(again.items.first { $0.id == ids[1] }?.stem == "判断 1")
            for item in again.items {
                try await ExamService(app).saveAnswer(rid, .init(itemId: item.id, answer: "T"), actor: learner, now: start)
            }
            try await ExamService(app).submit(rid, actor: learner, now: start.addingTimeInterval(31 * 60))
            #expect(try await RegistrationRecord.find(rid, on: app.db)?.theoryScore == 100)
            let current = try await ExamService.bank(
                organization: w.enterprise.id!, occupationCode: EvaluationWorld.occupation, level: "level4", on: app.db)
            #expect(current.count == 10 && !current.contains { $0.id?.uuidString.lowercased() == ids[1] })
        }
    }
}

@Suite struct QuestionEditPageTests {
    @Test func hr_corrects_a_question_from_the_bank_page() async throws {
        try await withTestApp { app in
            _ = try await EvaluationWorld.make(app)
            let hr = try await APIClient(app, "hr")
            let (_, q) = try await hr.call(
                .POST, "/api/v1/question-items",
                [
                    "occupationCode": EvaluationWorld.occupation, "level": "level4", "kind": "single",
                    "area": "relatedKnowledge", "stem": "焊条烘干温度？", "options": ["100", "350"], "answer": "B",
                ])
            let id = q.string("id").lowercased()
            let b = Browser(app)
            _ = try await b.login("hr")
            let bank = try await b.get("/question-bank?occupationCode=\(EvaluationWorld.occupation)&level=level4").body.string
            #expect(bank.contains("/question-bank/\(id)/edit"))
            #expect(try await b.get("/question-bank/\(id)/edit").body.string.contains("焊条烘干温度？"))
            let bad = try await b.post(
                "/question-bank/\(id)",
                form: [
                    "kind": "single", "area": "relatedKnowledge", "stem": "焊条烘干温度？",
                    "optionA": "100", "optionB": "350", "answer": "E",
                ])
            #expect(bad.status == .unprocessableEntity)
            let saved = try await b.post(
                "/question-bank/\(id)",
                form: [
                    "kind": "single", "area": "relatedKnowledge", "stem": "碱性焊条烘干温度？",
                    "optionA": "100", "optionB": "350", "optionC": "500", "answer": "B",
                ])
            #expect(saved.status == .seeOther)
            let row = try #require(try await QuestionItemRecord.find(UUID(uuidString: id)!, on: app.db))
            #expect(row.stem == "碱性焊条烘干温度？" && row.retiredAt == nil)
            #expect(try await APIClient(app, "outsider").call(.PATCH, "/api/v1/question-items/\(id)", ["stem": "x"]).0 == .notFound)
        }
    }
}
