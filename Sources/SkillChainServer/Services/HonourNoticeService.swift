import Fluent
import Foundation
import SkillChainCore
import Vapor

final class HonourObjectionRecord: Model, @unchecked Sendable {
    static let schema = "honour_objections"

    @ID(key: .id) var id: UUID?
    @Field(key: "campaign_id") var campaignID: UUID
    @Field(key: "nomination_id") var nominationID: UUID
    @Field(key: "text") var text: String
    @Field(key: "contact_sealed") var contactSealed: String
    @Field(key: "status") var status: String
    @OptionalField(key: "resolution") var resolution: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?

    init() {}
}

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
enum HonourNoticeService {
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
    static func object(_ nominationID: UUID, _ input: HonourObjectionInput, app: Application, today: Day? = nil) async throws -> HonourObjectionRecord
    {
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

    static func objections(_ campaignID: UUID, actor: Actor, app: Application) async throws -> [HonourObjectionResponse] {
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
    static func resolve(_ id: UUID, _ input: ObjectionResolutionInput, actor: Actor, app: Application) async throws -> HonourObjectionRecord {
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

/// `/honours/notices` (public) and the bureau's resolution of objections.
enum HonourNoticePages {
    static func apiNotices(_ req: Request) async throws -> APIPage<HonourNoticeResponse> {
        APIPage(items: try await HonourNoticeService.current(on: req.db, today: req.today), nextCursor: nil)
    }

    static func apiObject(_ req: Request) async throws -> Response {
        let o = try await HonourNoticeService.object(try req.idParameter(), try req.content.decode(HonourObjectionInput.self), app: req.application)
        struct Created: Content {
            let id: UUID
            let status: String
        }
        return try ResourceAPI.created(Created(id: o.id!, status: o.status))
    }

    static func apiObjections(_ req: Request) async throws -> APIPage<HonourObjectionResponse> {
        APIPage(
            items: try await HonourNoticeService.objections(try req.idParameter(), actor: try req.requireActor(), app: req.application),
            nextCursor: nil)
    }

    static func apiResolve(_ req: Request) async throws -> HonourObjectionResponse {
        let actor = try req.requireActor()
        let o = try await HonourNoticeService.resolve(
            try req.idParameter(), try req.content.decode(ObjectionResolutionInput.self), actor: actor, app: req.application)
        return try await HonourNoticeService.objections(o.campaignID, actor: actor, app: req.application).first { $0.id == o.id }!
    }

    struct Line: Encodable {
        let name: String
        let organization: String
        let level: String
        let frontLine: Bool
        let years: String
        let action: String
        let id: String
    }
    struct Notice: Encodable {
        let name: String
        let meta: String
        let period: String
        let open: Bool
        let lines: [Line]
    }
    struct Body: Encodable {
        let notices: [Notice]
        let hasNotices: Bool
        let sent: Bool
        let errors: [String: String]
        let failedFor: String
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, errors: [String: String] = [:], failedFor: String = "", status: HTTPStatus = .ok) async throws -> Response {
        let notices = try await HonourNoticeService.current(on: req.db, today: req.today)
        func num(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
        return try await Page.render(
            "honour-notices", title: req.t("honourNotice.title"),
            Body(
                notices: notices.map { n in
                    Notice(
                        name: n.name, meta: "\(req.t("honour.kind.\(n.kind)")) · \(req.t("honour.tier.\(n.tier)")) · \(n.year)",
                        period: req.t("honourNotice.period", [n.noticeFrom, n.noticeUntil]), open: n.open,
                        lines: n.nominees.map { l in
                            Line(
                                name: l.name, organization: l.organizationName, level: l.verifiedLevel.map { req.t("level.\($0)") } ?? "—",
                                frontLine: l.frontLine,
                                years: num(l.yearsOfService),
                                action: SiteURL.honourNominationObjections(l.nomination).path,
                                id: l.nomination.uuidString.lowercased())
                        })
                },
                hasNotices: !notices.isEmpty, sent: req.query[String.self, at: "sent"] != nil, errors: errors, failedFor: failedFor), req,
            status: status)
    }

    static func object(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        let input = try req.content.decode(HonourObjectionInput.self)
        return try await Page.attempt(req) {
            _ = try await HonourNoticeService.object(id, input, app: req.application)
            return req.redirect(to: SiteURL.honourNoticesSent.path, redirectType: .normal)
        } onFailure: { errors in
            try await render(req, errors: errors, failedFor: id.uuidString.lowercased(), status: .unprocessableEntity)
        }
    }

    static func resolve(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        struct Form: Content {
            var status: String?
            var resolution: String?
        }
        let f = try req.content.decode(Form.self)
        guard let o = try await HonourObjectionRecord.find(id, on: req.db) else { throw DomainError.notFound }
        return try await Page.attempt(req) {
            _ = try await HonourNoticeService.resolve(
                id, .init(status: f.status, resolution: f.resolution), actor: try req.requireActor(), app: req.application)
            return req.redirect(to: SiteURL.honour(o.campaignID).path, redirectType: .normal)
        } onFailure: { errors in
            try await HonourPages.renderDetail(req, o.campaignID, errors: errors, status: .unprocessableEntity)
        }
    }
}
