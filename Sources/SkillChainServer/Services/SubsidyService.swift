import Fluent
import Foundation
import SkillChainCore
import Vapor

struct SubsidyClaimInput: Content, Sendable {
    var enrollmentId: UUID?
    var yearIndex: Int?
    var advanceAmount: Int?
}

struct SubsidySettlementInput: Content, Sendable {
    var outcome: String?
}

struct SubsidyDecisionInput: Content, Sendable {
    /// `approve` or `reject`.
    var decision: String?
    var reason: String?
}

struct SubsidyClaimResponse: Content {
    let id: UUID
    let enrollmentId: UUID
    let programId: UUID
    let organizationId: UUID
    let regionCode: String
    let yearIndex: Int
    let status: String
    let advanceRequested: Int
    let advancePaid: Int
    let outcome: String?
    let settlementTotal: Int?
    let payable: Int?
    let clawback: Int?
    let reason: String?

    init(_ r: SubsidyClaimRecord) {
        id = r.id!
        enrollmentId = r.enrollmentID
        programId = r.programID
        organizationId = r.organizationID
        regionCode = r.regionCode
        yearIndex = r.yearIndex
        status = r.status
        advanceRequested = r.advanceRequested
        advancePaid = r.advancePaid
        outcome = r.outcome
        settlementTotal = r.settlementTotal
        payable = r.payable
        clawback = r.clawback
        reason = r.reason
    }
}

struct SubsidyService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static func scope(_ c: SubsidyClaimRecord, actor: Actor) -> Scope { actor.scope(owner: c.organizationID, region: c.regionCode) }

    static func authorized(_ id: UUID, _ action: Action, actor: Actor, on db: any Database) async throws -> SubsidyClaimRecord {
        guard let c = try await SubsidyClaimRecord.find(id, on: db) else { throw DomainError.notFound }
        try actor.require(action, Self.scope(c, actor: actor))
        return c
    }

    static func query(actor: Actor, status: String?, on db: any Database) -> QueryBuilder<SubsidyClaimRecord> {
        let q = SubsidyClaimRecord.query(on: db)
        switch Policy.grant(actor.role, .listSubsidyClaims) {
        case .all: break
        case .region:
            q.group(.or) {
                $0.filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: actor.organizationRegion)).filter(
                    \.$organizationID == actor.organizationID)
            }
        case .own: q.filter(\.$organizationID == actor.organizationID)
        case .none: q.filter(\.$id == .nothing)
        }
        if let status, !status.isEmpty { q.filter(\.$status == status) }
        return q
    }

    /// The lead enterprise claims for one apprentice and programme year, asking for an advance of at most 50 %.
    func create(_ input: SubsidyClaimInput, actor: Actor) async throws -> SubsidyClaimRecord {
        var v = Validator()
        guard let enrollmentID = input.enrollmentId else {
            v.add("enrollmentId", "field.required")
            try v.check()
            throw DomainError.notFound
        }
        let (d, en) = try await EnrollmentService.enrollmentDetail(enrollmentID, .createSubsidyClaim, actor: actor, on: app.db)
        try ProgramService.requireLead(d, actor)
        let rules = app.config.subsidyRules
        guard let start = Day(d.program.startDate), let end = Day(d.program.endDate) else { throw DomainError.notFound }
        let year = v.number("yearIndex", input.yearIndex, in: 1...ProgramRules.years(start: start, end: end).count)
        let advance = v.number("advanceAmount", input.advanceAmount, in: 0...1_000_000)
        if !d.kind.isEmployerLed { v.add("enrollmentId", "subsidy.apprenticeshipOnly") }
        if d.status != .inTraining && d.status != .completed { v.add("enrollmentId", "subsidy.programNotStarted") }
        if en.status != .enrolled && en.status != .completed { v.add("enrollmentId", "enrollment.notActive") }
        for e in rules.advanceProblems(requested: advance, targetLevel: d.targetLevel) { v.add(e.field, e.code, e.args) }
        try v.check()
        return try await app.write { db in
            if try await SubsidyClaimRecord.query(on: db).filter(\.$enrollmentID == enrollmentID).filter(\.$yearIndex == year).first() != nil {
                throw ValidationFailure([FieldError("yearIndex", "subsidy.duplicate")])
            }
            let c = SubsidyClaimRecord()
            c.enrollmentID = enrollmentID
            c.programID = d.program.id!
            c.organizationID = d.program.leadOrganizationID
            c.regionCode = d.program.regionCode
            c.yearIndex = year
            c.status = SubsidyClaimStatus.advanceRequested.rawValue
            c.advanceRequested = advance
            c.advancePaid = 0
            try await c.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "subsidy.claimed", objectType: "subsidyClaim", objectID: c.id?.uuidString.lowercased(),
                    detail: ["advance": String(advance), "year": String(year)]), actor: actor, on: db, now: app.now)
            return c
        }
    }

    /// After the year: the enterprise states the outcome; a completed outcome needs the apprentice completed, and
    /// `notCompleted` a terminated apprentice.
    func requestSettlement(_ id: UUID, _ input: SubsidySettlementInput, actor: Actor) async throws -> SubsidyClaimRecord {
        let c = try await Self.authorized(id, .createSubsidyClaim, actor: actor, on: app.db)
        let (_, en) = try await EnrollmentService.enrollmentDetail(c.enrollmentID, .createSubsidyClaim, actor: actor, on: app.db)
        var v = Validator()
        let outcome = v.oneOf("outcome", input.outcome, TrainingOutcome.self)
        if let outcome {
            if outcome == .notCompleted && en.status != .terminated { v.add("outcome", "subsidy.outcome.notTerminated") }
            if outcome != .notCompleted && en.status != .completed { v.add("outcome", "subsidy.outcome.notCompleted") }
        }
        try v.check()
        return try await transition(c, .requestSettlement, actor: actor) { c in c.outcome = outcome!.rawValue }
    }

    func decide(_ id: UUID, _ input: SubsidyDecisionInput, actor: Actor) async throws -> SubsidyClaimRecord {
        let c = try await Self.authorized(id, .decideSubsidyClaim, actor: actor, on: app.db)
        var v = Validator()
        let decision = (input.decision ?? "").trimmingCharacters(in: .whitespaces)
        let event: SubsidyClaimStatus.Event? =
            switch decision {
            case "approve": .approve
            case "reject": .reject
            default: nil
            }
        if event == nil { v.add("decision", decision.isEmpty ? "field.required" : "field.invalidChoice") }
        let reason = v.optional("reason", input.reason, max: 1000)
        if event == .reject && reason == nil { v.add("reason", SubsidyClaimStatus.Problem.reasonRequired.rawValue) }
        try v.check()
        let rules = app.config.subsidyRules
        let settlement = c.outcome.flatMap(TrainingOutcome.init).map { rules.settle(outcome: $0, advancePaid: c.advancePaid) }
        return try await transition(c, event!, reason: reason, settlement: settlement, actor: actor) { c in
            c.reason = reason
            c.decidedAt = app.now
            if event == .approve && c.status == SubsidyClaimStatus.advanceApproved.rawValue { c.advancePaid = c.advanceRequested }
            if let settlement, c.status == SubsidyClaimStatus.settled.rawValue || c.status == SubsidyClaimStatus.clawedBack.rawValue {
                c.settlementTotal = settlement.total
                c.payable = settlement.payable
                c.clawback = settlement.clawback
            }
            if c.status == SubsidyClaimStatus.advanceApproved.rawValue && event == .reject { c.outcome = nil }
        }
    }

    func resubmit(_ id: UUID, _ input: SubsidyClaimInput, actor: Actor) async throws -> SubsidyClaimRecord {
        let c = try await Self.authorized(id, .createSubsidyClaim, actor: actor, on: app.db)
        let (d, _) = try await EnrollmentService.enrollmentDetail(c.enrollmentID, .createSubsidyClaim, actor: actor, on: app.db)
        var v = Validator()
        let advance = v.number("advanceAmount", input.advanceAmount ?? c.advanceRequested, in: 0...1_000_000)
        for e in app.config.subsidyRules.advanceProblems(requested: advance, targetLevel: d.targetLevel) { v.add(e.field, e.code, e.args) }
        try v.check()
        return try await transition(c, .resubmit, actor: actor) { c in
            c.advanceRequested = advance
            c.reason = nil
        }
    }

    private func transition(
        _ c: SubsidyClaimRecord, _ event: SubsidyClaimStatus.Event, reason: String? = nil,
        settlement: SubsidyRules.Settlement? = nil, actor: Actor, apply: @escaping @Sendable (SubsidyClaimRecord) -> Void
    ) async throws -> SubsidyClaimRecord {
        let status = SubsidyClaimStatus(rawValue: c.status) ?? .advanceRequested
        let next: SubsidyClaimStatus
        do { next = try status.applying(event, reason: reason, settlement: settlement) } catch { throw DomainError.rule(code: error.rawValue) }
        let id = c.id!
        return try await app.write { db in
            guard let fresh = try await SubsidyClaimRecord.find(id, on: db), fresh.status == status.rawValue else {
                throw DomainError.changedMeanwhile
            }
            fresh.status = next.rawValue
            apply(fresh)
            try await fresh.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "subsidy.\(event.rawValue)", objectType: "subsidyClaim", objectID: id.uuidString.lowercased(),
                    detail: [
                        "status": next.rawValue, "advancePaid": String(fresh.advancePaid),
                        "payable": fresh.payable.map(String.init) ?? "", "clawback": fresh.clawback.map(String.init) ?? "",
                    ]),
                actor: actor, on: db, now: app.now)
            if event == .approve || event == .reject {
                try await NotificationService(app).notify(try await NotificationService.subsidyDrafts(fresh, on: db), on: db)
            }
            return fresh
        }
    }
}
