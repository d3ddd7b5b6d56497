import Fluent
import Foundation
import SkillChainCore
import Vapor

struct HonourObjectionInput: Content, Sendable {
    var text: String?
    var contact: String?
}

struct HonourNoticeLineResponse: Content {
    let nomination: UUID
    let name: String
    let organizationName: String
    let verifiedLevel: String?
    let frontLine: Bool
    let yearsOfService: Double
}
struct HonourNoticeResponse: Content {
    let campaign: UUID
    let name: String
    let kind: String
    let tier: String
    let year: Int
    let noticeFrom: String
    let noticeUntil: String
    let open: Bool
    let nominees: [HonourNoticeLineResponse]
}
struct HonourObjectionResponse: Content {
    let id: UUID
    let nomination: UUID
    let nomineeName: String
    let text: String
    let contact: String?
    let status: String
    let resolution: String?
}

/// The public notice of honours: the shortlisted nominees of campaigns on notice, open to objections from anyone
/// for the notice period (working days, as for evaluation results); the bureau resolves each objection (an upheld
/// one takes the nominee off the shortlist) and awards only after the period, with none left open.
struct HonourNoticeService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static func current(on db: any Database, today: Day) async throws -> [HonourNoticeResponse] {
        let campaigns = try await HonourCampaignRecord.query(on: db).filter(\.$status == HonourService.Status.notice.rawValue).sort(\.$name).all()
        guard !campaigns.isEmpty else { return [] }
        let nominations = try await HonourNominationRecord.query(on: db).filter(\.$campaignID ~~ campaigns.compactMap(\.id)).filter(
            \.$status == NominationStatus.shortlisted.rawValue
        ).all()
        let responses = try await HonourService.nominationResponses(nominations, on: db)
        return campaigns.compactMap { c in
            guard let from = c.noticeFrom, let until = c.noticeUntil, let f = Day(from), let u = Day(until) else { return nil }
            return HonourNoticeResponse(
                campaign: c.id!, name: c.name, kind: c.kind, tier: c.tier, year: c.year, noticeFrom: from, noticeUntil: until,
                open: NoticePeriod(from: f, until: u).isOpen(on: today),
                nominees: responses.filter { $0.campaignId == c.id }.map {
                    HonourNoticeLineResponse(
                        nomination: $0.id, name: $0.name, organizationName: $0.organizationName, verifiedLevel: $0.verifiedLevel,
                        frontLine: $0.frontLine, yearsOfService: $0.yearsOfService)
                })
        }
    }

    /// Anyone may object to a shortlisted nominee while the notice runs; the contact is sealed.
    func object(_ nominationID: UUID, _ input: HonourObjectionInput, today: Day? = nil) async throws -> HonourObjectionRecord {
        let today = today ?? app.today
        var v = Validator()
        let text = v.required("text", input.text, max: 2000)
        let contact = v.required("contact", input.contact, max: 100)
        try v.check()
        guard let n = try await HonourNominationRecord.find(nominationID, on: app.db), n.status == NominationStatus.shortlisted.rawValue,
            let c = try await HonourCampaignRecord.find(n.campaignID, on: app.db), c.status == HonourService.Status.notice.rawValue,
            let from = c.noticeFrom.flatMap(Day.init), let until = c.noticeUntil.flatMap(Day.init)
        else { throw DomainError.notFound }
        guard NoticePeriod(from: from, until: until).isOpen(on: today) else { throw DomainError.rule(code: "objection.periodOver") }
        let sealed = try app.personalData.seal(contact)
        return try await app.write { db in
            let o = HonourObjectionRecord()
            o.campaignID = c.id!
            o.nominationID = nominationID
            o.text = text
            o.contactSealed = sealed
            o.status = ObjectionStatus.open.rawValue
            try await o.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "honour.objectionRaised", objectType: "honourCampaign", objectID: c.id!.uuidString.lowercased(),
                    detail: ["objection": o.id!.uuidString.lowercased(), "nomination": nominationID.uuidString.lowercased()]), actor: nil, on: db,
                now: app.now)
            return o
        }
    }

    func objections(_ campaignID: UUID, actor: Actor) async throws -> [HonourObjectionResponse] {
        let c = try await HonourService.campaign(campaignID, actor: actor, on: app.db)
        try actor.require(.manageHonours, actor.scope(owner: c.organizationID, region: c.regionCode))
        let rows = try await HonourObjectionRecord.query(on: app.db).filter(\.$campaignID == campaignID).sort(\.$createdAt).all()
        let nominations = try await HonourService.nominationResponses(
            try await HonourNominationRecord.query(on: app.db).filter(\.$id ~~ Set(rows.map(\.nominationID))).all(), on: app.db)
        let names = Dictionary(uniqueKeysWithValues: nominations.map { ($0.id, $0.name) })
        return rows.map { o in
            HonourObjectionResponse(
                id: o.id!, nomination: o.nominationID, nomineeName: names[o.nominationID] ?? "", text: o.text,
                contact: try? app.personalData.open(o.contactSealed), status: o.status, resolution: o.resolution)
        }
    }

    /// The bureau resolves an objection; upheld takes the nominee off the shortlist (not awarded).
    func resolve(_ id: UUID, _ input: ObjectionResolutionInput, actor: Actor) async throws -> HonourObjectionRecord {
        guard let o = try await HonourObjectionRecord.find(id, on: app.db) else { throw DomainError.notFound }
        let c = try await HonourService.campaign(o.campaignID, actor: actor, on: app.db)
        try actor.require(.manageHonours, actor.scope(owner: c.organizationID, region: c.regionCode))
        var v = Validator()
        let status = v.oneOf("status", input.status, ObjectionStatus.self)
        if status == .open { v.add("status", "field.invalidChoice") }
        let resolution = v.required("resolution", input.resolution, max: 2000)
        try v.check()
        guard c.status == HonourService.Status.notice.rawValue else { throw DomainError.rule(code: "honour.notOnNotice") }
        return try await app.write { db in
            guard let row = try await HonourObjectionRecord.find(id, on: db), row.status == ObjectionStatus.open.rawValue else {
                throw DomainError.conflict(code: "objection.alreadyResolved")
            }
            row.status = status!.rawValue
            row.resolution = resolution
            row.resolvedAt = app.now
            try await row.update(on: db)
            if status == .upheld, let n = try await HonourNominationRecord.find(row.nominationID, on: db),
                n.status == NominationStatus.shortlisted.rawValue
            {
                n.status = "objectionUpheld"
                try await n.update(on: db)
            }
            try await AuditLog.append(
                .init(
                    action: "honour.objectionResolved", objectType: "honourCampaign", objectID: c.id!.uuidString.lowercased(),
                    detail: ["objection": id.uuidString.lowercased(), "status": status!.rawValue]), actor: actor, on: db, now: app.now)
            return row
        }
    }

    static func openObjections(_ campaignID: UUID, on db: any Database) async throws -> Int {
        try await HonourObjectionRecord.query(on: db).filter(\.$campaignID == campaignID).filter(\.$status == ObjectionStatus.open.rawValue).count()
    }
}
