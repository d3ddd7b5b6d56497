import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Correcting a question of the bank (`PATCH /api/v1/question-items/{id}`): a question never drawn on a paper is
/// edited in place; one already on a paper is retired (papers keep reading and scoring it as it was) and a new version
/// made in its place. Occupation and level stay those of the question.
struct QuestionEditService {
    let app: Application

    init(_ app: Application) { self.app = app }

    struct Result: Sendable {
        let item: QuestionItemRecord
        let revised: Bool
    }

    func edit(_ id: UUID, _ input: QuestionInput, actor: Actor) async throws -> Result {
        guard let old = try await QuestionItemRecord.find(id, on: app.db), old.retiredAt == nil else { throw DomainError.notFound }
        try actor.require(.manageQuestionBank, actor.scope(owner: old.organizationID))
        let current = ExamService.item(old)
        let merged = QuestionInput(
            occupationCode: old.occupationCode, level: old.level, kind: input.kind ?? current.kind.rawValue,
            area: input.area ?? current.area, tags: input.tags ?? current.tags.joined(separator: ";"),
            stem: input.stem ?? current.stem, options: input.options ?? current.options, answer: input.answer ?? current.answer)
        let (occupation, level, item) = try ExamService.validate(merged)
        let replacement = try ExamService.record(item, occupation: occupation, level: level, organization: old.organizationID)
        return try await app.write { db in
            guard let row = try await QuestionItemRecord.find(id, on: db), row.retiredAt == nil else {
                throw DomainError.conflict(code: "question.retired")
            }
            let used = try await ExamPaperRecord.query(on: db).filter(\.$itemIDs ~~ id.uuidString.lowercased()).first() != nil
            if used {
                row.retiredAt = app.now
                try await row.update(on: db)
                replacement.replacesID = id
                try await replacement.create(on: db)
                try await AuditLog.append(
                    .init(
                        action: "question.revised", objectType: "questionItem", objectID: replacement.id!.uuidString.lowercased(),
                        detail: ["replaces": id.uuidString.lowercased()]), actor: actor, on: db, now: app.now)
                return Result(item: replacement, revised: true)
            }
            row.kind = replacement.kind
            row.area = replacement.area
            row.tags = replacement.tags
            row.stem = replacement.stem
            row.options = replacement.options
            row.answer = replacement.answer
            try await row.update(on: db)
            try await AuditLog.append(
                .init(action: "question.edited", objectType: "questionItem", objectID: id.uuidString.lowercased()),
                actor: actor, on: db, now: app.now)
            return Result(item: row, revised: false)
        }
    }
}
