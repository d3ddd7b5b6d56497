import Fluent
import Foundation
import SkillChainCore
import Vapor

extension BatchService {
    static func event(_ raw: String?) throws -> BatchStatus.Event {
        var v = Validator()
        let e = v.oneOf("event", raw, BatchStatus.Event.self)
        try v.check()
        return e!
    }

    /// Moves a batch on. The body runs its batch, the HR bureau decides the pre-exam plan, the supervisor signs off.
    func transition(_ id: UUID, _ input: TransitionInput, actor: Actor, today: Day? = nil) async throws {
        let today = today ?? app.today
        let d = try await Self.authorized(id, .viewBatch, actor: actor, on: app.db)
        let event = try Self.event(input.event)
        let action: Action =
            switch BatchStatus.actor(for: event) {
            case .body: .manageBatch
            case .government: .decideBatchPlan
            case .supervisor: .signOffBatch
            }
        guard actor.can(action, d.scope(for: actor)) else { throw DomainError.forbidden }
        if action == .signOffBatch, actor.personID == nil || actor.personID != d.supervisorID { throw DomainError.forbidden }
        let reason = input.reason.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : String($0.prefix(1000)) }
        let rules = app.config.evaluationRules
        let calendar = try await CalendarService.calendar(on: app.db)
        // Papers whose time ran out count as handed in with the answers saved so far.
        if event == .signOff { try await ExamService(app).closeExpired(d) }
        // Final results are certified: numbered and signed first, outside the write lock; written in the same
        // transaction as the step (all certificates of the batch, or none). Prepared again if another issuance or a
        // correction got in between.
        for attempt in 1...3 {
            let prepared = event == .finalize && d.status == .inNotice ? try await CertificateService(app).prepare(d, today: today) : nil
            do {
                try await step(
                    d, event: event, reason: reason, prepared: prepared, rules: rules, calendar: calendar, actor: actor, today: today)
                if let prepared { AppMetrics.certificatesIssued(prepared.rows.count) }  // after the commit
                return
            } catch is CertificateService.StaleIssue where attempt < 3 {
                continue
            } catch is CertificateService.StaleIssue {
                throw DomainError.changedMeanwhile
            }
        }
    }

    private func step(
        _ d: BatchDetail, event: BatchStatus.Event, reason: String?, prepared: CertificateService.PreparedIssue?,
        rules: EvaluationRules, calendar: WorkingCalendar, actor: Actor, today: Day
    ) async throws {
        let id = d.batch.id!
        try await app.write { db in
            guard let b = try await EvaluationBatchRecord.find(id, on: db), b.status == d.batch.status else {
                throw DomainError.changedMeanwhile
            }
            let facts = try await Self.facts(d, rules: rules, on: db, today: today)
            let next: BatchStatus
            do { next = try d.status.applying(event, facts: facts, reason: reason) } catch let refusal as BatchStatus.Refusal {
                throw ValidationFailure(refusal.codes.map { FieldError("", $0) })
            }
            b.status = next.rawValue
            b.reason = BatchStatus.needsReason(event) ? reason : (event == .submitPlan ? nil : b.reason)
            switch event {
            case .signOff:
                b.signedOffAt = app.now
            case .publishNotice:
                let p = NoticePeriod(publishedOn: today, workingDays: rules.noticeWorkingDays, calendar: calendar)
                b.noticeFrom = p.from.description
                b.noticeUntil = p.until.description
            case .finalize:
                b.finalizedAt = app.now
            default: break
            }
            try await b.update(on: db)
            // Final results are certified in the same transaction: all certificates of the batch, or none.
            if let prepared { try await CertificateService.commit(prepared, batchID: id, actor: actor, on: db, now: app.now) }
            var detail = ["status": next.rawValue]
            if let until = b.noticeUntil, event == .publishNotice { detail["noticeUntil"] = until }
            if event == .closeRegistration {
                // Not eligible, not examined: their registrations stay on record with the reason.
                detail["eligible"] = String(facts.eligible)
            }
            try await AuditLog.append(
                .init(action: "batch.\(event.rawValue)", objectType: "batch", objectID: id.uuidString.lowercased(), detail: detail),
                actor: actor, on: db, now: app.now)
            let drafts = try await NotificationService.batchDrafts(d, event: event, noticeUntil: b.noticeUntil, issued: prepared?.rows ?? [], on: db)
            try await NotificationService(app).notify(drafts, on: db)
        }
    }
}
