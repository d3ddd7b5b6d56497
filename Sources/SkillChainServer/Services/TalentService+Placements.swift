import Fluent
import Foundation
import SkillChainCore
import Vapor

extension TalentService {
    func invite(_ positionID: UUID, _ input: InvitationInput, actor: Actor) async throws -> InvitationRecord {
        let found = try await Self.matches(positionID, actor: actor, on: app.db, today: app.today, only: input.candidate ?? .nothing)
        try actor.require(.inviteCandidate, actor.scope(owner: found.position.organizationID))
        var v = Validator()
        if input.candidate == nil { v.add("candidate", "field.required") }
        let message = v.optional("message", input.message, max: 500) ?? ""
        try v.check()
        guard found.position.status == PositionStatus.open.rawValue else { throw DomainError.rule(code: "invitation.positionClosed") }
        guard let member = found.members.values.first(where: { $0.personID == input.candidate }),
            let match = found.ranked.first(where: { $0.candidateID == member.index })
        else {
            throw ValidationFailure([FieldError("candidate", "invitation.notInPool")])
        }
        return try await app.write { db in
            if try await InvitationRecord.query(on: db).filter(\.$positionID == positionID).filter(\.$citizenIDIndex == member.index).first() != nil {
                throw DomainError.conflict(code: "invitation.exists")
            }
            let r = InvitationRecord()
            r.positionID = positionID
            r.organizationID = found.position.organizationID
            r.personID = member.personID
            r.citizenIDIndex = member.index
            r.score = match.score
            r.reasons = Self.reasons(match)
            r.message = message
            r.status = InvitationStatus.invited.rawValue
            try await r.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "invitation.created", objectType: "invitation", objectID: r.id!.uuidString.lowercased(),
                    detail: ["position": positionID.uuidString.lowercased(), "score": String(match.score)]), actor: actor, on: db, now: app.now)
            try await NotificationService(app).notify(
                try await NotificationService.invitationDrafts(r, positionTitle: found.position.title, on: db), on: db)
            return r
        }
    }

    /// The learner's own citizen-ID index (invitations follow the person, whichever record they were found by).
    static func ownIndex(_ actor: Actor, on db: any Database) async throws -> String? {
        guard actor.role == .learner, let id = actor.personID else { return nil }
        return try await PersonRecord.find(id, on: db)?.citizenIDIndex
    }

    static func invitations(actor: Actor, on db: any Database) async throws -> [InvitationRecord] {
        let q = InvitationRecord.query(on: db).sort(\.$createdAt, .descending)
        if actor.role == .learner {
            guard let index = try await Self.ownIndex(actor, on: db) else { return [] }
            q.filter(\.$citizenIDIndex == index)
        } else if actor.role != .platformAdmin {
            guard actor.can(.inviteCandidate, .own) else { return [] }
            q.filter(\.$organizationID == actor.organizationID)
        }
        return try await q.limit(500).all()
    }

    func answer(_ id: UUID, _ input: InvitationAnswerInput, actor: Actor) async throws -> InvitationRecord {
        guard let r = try await InvitationRecord.find(id, on: app.db), let index = try await Self.ownIndex(actor, on: app.db),
            r.citizenIDIndex == index
        else {
            throw DomainError.notFound
        }
        var v = Validator()
        let answer = (input.answer ?? "").trimmingCharacters(in: .whitespaces)
        if !["accept", "decline"].contains(answer) { v.add("answer", answer.isEmpty ? "field.required" : "field.invalidChoice") }
        try v.check()
        guard r.status == InvitationStatus.invited.rawValue else { throw DomainError.rule(code: "invitation.notOpen") }
        return try await app.write { db in
            guard let row = try await InvitationRecord.find(id, on: db), row.status == InvitationStatus.invited.rawValue else {
                throw DomainError.changedMeanwhile
            }
            row.status = (answer == "accept" ? InvitationStatus.accepted : .declined).rawValue
            row.answeredAt = app.now
            try await row.update(on: db)
            try await AuditLog.append(
                .init(action: "invitation.\(row.status)", objectType: "invitation", objectID: id.uuidString.lowercased()), actor: actor, on: db,
                now: app.now)
            let title = try await PositionRecord.find(row.positionID, on: db)?.title ?? ""
            try await NotificationService(app).notify(try await NotificationService.invitationDrafts(row, positionTitle: title, on: db), on: db)
            return row
        }
    }

    // MARK: Placements

    func place(_ input: PlacementInput, actor: Actor, today: Day? = nil) async throws -> PlacementRecord {
        let today = today ?? app.today
        var v = Validator()
        if input.invitation == nil { v.add("invitation", "field.required") }
        let start = v.day("startDate", input.startDate)
        if let w = input.monthlyWage {
            if !(1_000...1_000_000).contains(w) { v.add("monthlyWage", "field.outOfRange", ["1000", "1000000"]) }
        } else {
            v.add("monthlyWage", "field.required")
        }
        try v.check()
        guard let inv = try await InvitationRecord.find(input.invitation!, on: app.db) else { throw DomainError.notFound }
        try actor.require(.recordPlacement, actor.scope(owner: inv.organizationID))
        guard inv.status == InvitationStatus.accepted.rawValue else { throw DomainError.rule(code: "placement.notAccepted") }
        guard let position = try await PositionRecord.find(inv.positionID, on: app.db), let start else { throw DomainError.notFound }
        if start < today.plusDays(-365) { throw ValidationFailure([FieldError("startDate", "placement.startTooEarly")]) }
        return try await app.write { db in
            guard let row = try await InvitationRecord.find(inv.id!, on: db), row.status == InvitationStatus.accepted.rawValue else {
                throw DomainError.changedMeanwhile
            }
            // The headcount is read again under the position's lock: it may have been corrected meanwhile, and two
            // placements at once must not overfill it.
            try await RowLock.lock(PositionRecord.schema, [position.id!], on: db)
            let headcount = try await PositionRecord.find(position.id!, on: db)?.headcount ?? position.headcount
            let placed = try await PlacementRecord.query(on: db).filter(\.$positionID == position.id!).count()
            guard placed < headcount else { throw DomainError.rule(code: "placement.positionFull") }
            let p = PlacementRecord()
            p.positionID = position.id!
            p.organizationID = position.organizationID
            p.personID = row.personID
            p.citizenIDIndex = row.citizenIDIndex
            p.invitationID = row.id
            p.regionCode = position.regionCode
            p.occupationCode = position.occupationCode
            p.startDate = start.description
            p.monthlyWage = input.monthlyWage!
            try await p.create(on: db)
            row.status = "placed"
            try await row.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "placement.recorded", objectType: "placement", objectID: p.id!.uuidString.lowercased(),
                    detail: ["position": position.id!.uuidString.lowercased(), "invitation": row.id!.uuidString.lowercased()]),
                actor: actor, on: db, now: app.now)
            try await NotificationService(app).notify(try await NotificationService.placementDrafts(p, position: position, on: db), on: db)
            return p
        }
    }

    /// Placements the actor may see: the enterprise its own; the bureau its region's; a school those of people
    /// enrolled in programs it partners in (where its graduates went); a learner their own.
    static func placements(actor: Actor, on db: any Database) async throws -> [PlacementRecord] {
        let q = PlacementRecord.query(on: db).sort(\.$createdAt, .descending)
        switch actor.role {
        case .platformAdmin: break
        case .governmentOfficer: q.filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: actor.organizationRegion))
        case .enterpriseAdmin: q.filter(\.$organizationID == actor.organizationID)
        case .schoolAdmin:
            let programs = try await ProgramPartnerRecord.query(on: db).filter(\.$organizationID == actor.organizationID).all().map(\.programID)
            let people = try await EnrollmentRecord.query(on: db).filter(\.$programID ~~ programs).all().map(\.personID)
            let indexes = try await PersonRecord.query(on: db).filter(\.$id ~~ people).all().map(\.citizenIDIndex)
            q.filter(\.$citizenIDIndex ~~ Set(indexes))
        case .learner:
            guard let index = try await Self.ownIndex(actor, on: db) else { return [] }
            q.filter(\.$citizenIDIndex == index)
        default: return []
        }
        return try await q.limit(500).all()
    }
}
