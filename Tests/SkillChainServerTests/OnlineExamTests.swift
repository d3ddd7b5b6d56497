import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct OnlineExamTests {
    @Test func the_online_exam_is_reproducible_saved_as_you_go_and_held_until_the_minimum_time() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let hr = try await APIClient(app, "hr")
            // A bank: 5 basic and 10 related items for level 4 (25 % / 75 % → 3 + 7 of 10).
            for i in 0..<15 {
                let (status, _) = try await hr.call(
                    .POST, "/api/v1/question-items",
                    [
                        "occupationCode": EvaluationWorld.occupation, "level": "level4", "kind": i % 3 == 2 ? "trueFalse" : "single",
                        "area": i < 5 ? "basicRequirements" : "relatedKnowledge", "stem": "题目 \(i)", "options": i % 3 == 2 ? [] : ["甲", "乙", "丙"],
                        "answer": i % 3 == 2 ? "T" : "B",
                    ])
                #expect(status == .created)
            }
            #expect(
                try await hr.call(
                    .POST, "/api/v1/question-items",
                    [
                        "occupationCode": EvaluationWorld.occupation, "level": "level4", "kind": "single",
                        "area": "relatedKnowledge", "stem": "?", "options": ["甲", "乙"], "answer": "AB",
                    ]
                ).1.errorCodes == ["question.answer.single"])
            let b = try await w.openBatch(app)
            let r = try await w.register(app, b, "考生一").1.string("id")
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "closeRegistration"])

            let learner = try await DemoData.actor(app, username: "learner")!
            let rid = UUID(uuidString: r)!
            let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let paper = try await ExamService(app).open(rid, actor: learner, now: start)
            #expect(paper.items.count == 10)
            // The recorded seed rebuilds the same paper.
            let bank = try await ExamService.bank(
                organization: w.enterprise.id!, occupationCode: EvaluationWorld.occupation, level: "level4", on: app.db
            ).map(ExamService.item)
            let weights = StandardLibrary.standard(for: OccupationCatalog.edition2022.occupation(EvaluationWorld.occupation)!).theoryWeights.map {
                (area: $0.area, percent: $0.percent[.level4] ?? 0)
            }
            #expect(try PaperAssembly.assemble(bank: bank, count: 10, weights: weights, seed: UInt64(paper.paper.seed)) == paper.items.map(\.id))
            let areaOf = Dictionary(uniqueKeysWithValues: bank.map { ($0.id, $0.area) })
            #expect(paper.items.filter { areaOf[$0.id] == "basicRequirements" }.count == 3)
            // Reopening gives the same paper; answers saved one by one survive.
            for item in paper.items {
                try await ExamService(app).saveAnswer(
                    rid, .init(itemId: item.id, answer: item.kind == .trueFalse ? "T" : "B"), actor: learner, now: start)
            }
            let again = try await ExamService(app).open(rid, actor: learner, now: start.addingTimeInterval(60))
            #expect(again.items.map(\.id) == paper.items.map(\.id) && again.items.allSatisfy { !$0.given.isEmpty })
            await #expect(throws: DomainError.rule(code: "exam.tooEarly", args: ["29"])) {
                try await ExamService(app).submit(rid, actor: learner, now: start.addingTimeInterval(60))
            }
            try await ExamService(app).submit(rid, actor: learner, now: start.addingTimeInterval(31 * 60))
            #expect(try await RegistrationRecord.find(rid, on: app.db)?.theoryScore == 100)
            await #expect(throws: DomainError.rule(code: "exam.submitted")) {
                try await ExamService(app).saveAnswer(
                    rid, .init(itemId: paper.items[0].id, answer: "A"), actor: learner, now: start.addingTimeInterval(32 * 60))
            }
            // Someone else's registration is not theirs to open.
            let r2 = try await RegistrationRecord.query(on: app.db).filter(\.$personID == w.people["考生一"]!.id!).first()!
            #expect(r2.id == rid)
        }
    }

    @Test func a_paper_left_open_is_handed_in_when_time_is_up() async throws {
        try await withTestApp { app in
            let w = try await EvaluationWorld.make(app)
            let hr = try await APIClient(app, "hr")
            for i in 0..<12 {
                _ = try await hr.call(
                    .POST, "/api/v1/question-items",
                    [
                        "occupationCode": EvaluationWorld.occupation, "level": "level4", "kind": "trueFalse",
                        "area": i < 4 ? "basicRequirements" : "relatedKnowledge", "stem": "判断 \(i)", "answer": "F",
                    ])
            }
            let b = try await w.openBatch(app)
            let rid = UUID(uuidString: try await w.register(app, b, "考生一").1.string("id"))!
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/eligibility")
            _ = try await hr.call(.POST, "/api/v1/evaluation-plans/\(b)/transitions", ["event": "closeRegistration"])
            let learner = try await DemoData.actor(app, username: "learner")!
            let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
            let paper = try await ExamService(app).open(rid, actor: learner, now: start)
            for item in paper.items.prefix(5) {
                try await ExamService(app).saveAnswer(rid, .init(itemId: item.id, answer: "F"), actor: learner, now: start)
            }
            await #expect(throws: DomainError.rule(code: "exam.timeUp")) {
                try await ExamService(app).saveAnswer(
                    rid, .init(itemId: paper.items[6].id, answer: "F"), actor: learner, now: start.addingTimeInterval(91 * 60))
            }
            let closed = try await ExamService(app).open(rid, actor: learner, now: start.addingTimeInterval(91 * 60))
            #expect(closed.submitted && closed.paper.score == 50)
            #expect(try await AuditEventRecord.query(on: app.db).filter(\.$action == "exam.autoSubmitted").count() == 1)
        }
    }
}
