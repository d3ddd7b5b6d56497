import Crypto
import Fluent
import Foundation
import SkillChainCore
import Vapor

struct CampaignInput: Content, Sendable {
    var name: String?
    var kind: String?
    var tier: String?
    var year: Int?
    var quota: Int?
    var minimumLevel: String?
    var frontLineRequired: Bool?
    var minimumYearsOfService: Int?
    var frontLineTilt: Double?
}
struct CampaignTransitionInput: Content, Sendable { var event: String? }
struct NominationInput: Content, Sendable {
    var campaign: UUID?
    var person: UUID?
    var frontLine: Bool?
    var yearsOfService: Double?
    var bestPlacing: Int?
    var statement: String?
}
struct NominationReviewInput: Content, Sendable { var score: Double? }

struct CampaignResponse: Content {
    let id: UUID
    let name: String
    let kind: String
    let tier: String
    let year: Int
    let quota: Int
    let regionCode: String
    let criteria: HonourCriteria
    let status: String
    let nominations: Int
}
struct NominationResponse: Content {
    let id: UUID
    let campaignId: UUID
    let organizationId: UUID
    let organizationName: String
    let person: UUID
    let name: String
    let citizenIdMasked: String
    let verifiedLevel: String?
    let frontLine: Bool
    let yearsOfService: Double
    let bestPlacing: Int?
    let eligible: Bool
    let shortfalls: [String]
    let contributions: [HonourContribution]
    let ruleScore: Double
    let panelScores: [Double]
    let finalScore: Double
    let status: String
    let hasCredential: Bool
}

/// Honours campaigns (issue 6): the bureau defines a campaign; employers nominate their people; eligibility and a
/// front-line-tilted score come from verified records (Core's `Honours`); the bureau's panel scores (standing aside
/// where Core says so); the best eligible within the quota are shortlisted for public notice and then awarded, each
/// award issued as a signed Open Badges credential (`achievementType` `Award`).
struct HonourService {
    let app: Application

    init(_ app: Application) { self.app = app }

    typealias Status = HonourCampaignStatus

    static func decode<T: Decodable>(_ s: String, as: T.Type) -> T? { try? JSONDecoder().decode(T.self, from: Data(s.utf8)) }
    static func encode<T: Encodable>(_ v: T) -> String { String(decoding: (try? JSONEncoder().encode(v)) ?? Data("null".utf8), as: UTF8.self) }

    func createCampaign(_ input: CampaignInput, actor: Actor) async throws -> HonourCampaignRecord {
        try actor.require(.manageHonours, actor.scope(owner: actor.organizationID))
        var v = Validator()
        let name = v.required("name", input.name, max: 100)
        let kind = v.oneOf("kind", input.kind, HonourKind.self)
        let tier = v.oneOf("tier", input.tier, HonourTier.self)
        let year = v.requiredCount("year", input.year, in: 2000...2100)
        let quota = v.requiredCount("quota", input.quota, in: 1...10_000)
        let level = v.oneOf("minimumLevel", input.minimumLevel, SkillLevel.self)
        let years = v.count("minimumYearsOfService", input.minimumYearsOfService ?? 0, in: 0...50)
        let tilt = input.frontLineTilt ?? 0.2
        if !(0...1).contains(tilt) { v.add("frontLineTilt", "field.outOfRange", ["0", "1"]) }
        try v.check()
        let r = HonourCampaignRecord()
        r.organizationID = actor.organizationID
        r.regionCode = actor.organizationRegion
        r.name = name
        r.kind = kind!.rawValue
        r.tier = tier!.rawValue
        r.year = year
        r.quota = quota
        r.status = Status.open.rawValue
        r.criteria = Self.encode(
            HonourCriteria(
                minimumLevel: level!, frontLineRequired: input.frontLineRequired ?? false, minimumYearsOfService: years, frontLineTilt: tilt))
        try await app.write { db in
            try await r.create(on: db)
            try await AuditLog.append(
                .init(action: "honour.campaignCreated", objectType: "honourCampaign", objectID: r.id!.uuidString.lowercased()), actor: actor, on: db,
                now: app.now)
        }
        return r
    }

    /// Campaigns the actor may see: the bureau's region; an employer's region (to nominate).
    static func campaigns(actor: Actor, on db: any Database) async throws -> [HonourCampaignRecord] {
        if actor.role != .platformAdmin {
            guard actor.can(.listHonours, .own) || actor.can(.listHonours, .inRegion) else { return [] }
            // Campaigns of the actor's region or any region containing it (a provincial campaign reaches a city's employers).
            let all = try await HonourStore(db).campaigns()
            return all.filter {
                RegionCatalog.shared.contains($0.regionCode, actor.organizationRegion)
                    || RegionCatalog.shared.contains(actor.organizationRegion, $0.regionCode)
            }
        }
        return try await HonourStore(db).campaigns()
    }

    static func campaign(_ id: UUID, actor: Actor, on db: any Database) async throws -> HonourCampaignRecord {
        guard let c = try await Self.campaigns(actor: actor, on: db).first(where: { $0.id == id }) else { throw DomainError.notFound }
        return c
    }

    func nominate(_ input: NominationInput, actor: Actor) async throws -> HonourNominationRecord {
        try actor.require(.nominateForHonour, actor.scope(owner: actor.organizationID))
        var v = Validator()
        if input.campaign == nil { v.add("campaign", "field.required") }
        if input.person == nil { v.add("person", "field.required") }
        let years = input.yearsOfService ?? -1
        if !(0...60).contains(years) { v.add("yearsOfService", input.yearsOfService == nil ? "field.required" : "field.outOfRange", ["0", "60"]) }
        if let p = input.bestPlacing, !(1...100).contains(p) { v.add("bestPlacing", "field.outOfRange", ["1", "100"]) }
        let statement = v.optional("statement", input.statement, max: 2000) ?? ""
        try v.check()
        let c = try await Self.campaign(input.campaign!, actor: actor, on: app.db)
        guard c.status == Status.open.rawValue else { throw DomainError.rule(code: "honour.notOpen") }
        guard let person = try await PersonRecord.find(input.person!, on: app.db), person.organizationID == actor.organizationID else {
            throw ValidationFailure([FieldError("person", "honour.personNotYours")])
        }
        guard let criteria = Self.decode(c.criteria, as: HonourCriteria.self) else { throw Abort(.internalServerError) }
        let level = try await PayService.verifiedLevels([person.citizenIDIndex], on: app.db, today: app.today)[person.citizenIDIndex]
        // Records beat declarations: a placing in published contest results of the last five years is used when there is one.
        let recorded = try await HonourStore(app.db).bestRecordedPlacing(person.citizenIDIndex, years: (c.year - 4)...c.year)
        let facts = NomineeFacts(
            verifiedLevel: level, frontLine: input.frontLine ?? false, yearsOfService: years, bestPlacing: recorded ?? input.bestPlacing)
        let shortfalls = Honours.shortfalls(facts, criteria)
        let contributions = Honours.score(facts, criteria)
        let r = HonourNominationRecord()
        r.campaignID = c.id!
        r.organizationID = actor.organizationID
        r.personID = person.id!
        r.citizenIDIndex = person.citizenIDIndex
        r.facts = Self.encode(facts)
        r.statement = statement
        r.shortfalls = Self.encode(shortfalls)
        r.contributions = Self.encode(contributions)
        r.ruleScore = Honours.total(contributions)
        r.panelScores = "[]"
        r.status = (shortfalls.isEmpty ? NominationStatus.nominated : .ineligible).rawValue
        try await app.write { db in
            if try await HonourStore(db).isNominated(person.citizenIDIndex, in: c.id!) {
                throw DomainError.conflict(code: "honour.alreadyNominated")
            }
            try await r.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "honour.nominated", objectType: "honourNomination", objectID: r.id!.uuidString.lowercased(),
                    detail: ["campaign": c.id!.uuidString.lowercased(), "eligible": String(shortfalls.isEmpty)]), actor: actor, on: db, now: app.now)
        }
        return r
    }

    static func nominations(_ campaignID: UUID?, actor: Actor, on db: any Database) async throws -> [HonourNominationRecord] {
        let visible = try await Self.campaigns(actor: actor, on: db).compactMap(\.id)
        // Employers see their own nominations only; the bureau sees all of its campaigns'.
        let own = actor.role != .platformAdmin && actor.role != .governmentOfficer
        return try await HonourStore(db).nominations(in: visible, campaign: campaignID, organization: own ? actor.organizationID : nil)
    }

    static func finalScore(_ r: HonourNominationRecord) -> Double {
        Honours.final(rule: r.ruleScore, panel: Self.decode(r.panelScores, as: [Double].self) ?? [])
    }

    /// A panel member of the bureau scores a nomination (0–100) during review, unless they must stand aside.
    func review(_ id: UUID, _ input: NominationReviewInput, actor: Actor) async throws -> HonourNominationRecord {
        guard let n = try await HonourStore(app.db).nomination(id) else { throw DomainError.notFound }
        let c = try await Self.campaign(n.campaignID, actor: actor, on: app.db)
        try actor.require(.manageHonours, actor.scope(owner: c.organizationID, region: c.regionCode))
        var v = Validator()
        if let s = input.score {
            if !(0...100).contains(s) { v.add("score", "field.outOfRange", ["0", "100"]) }
        } else {
            v.add("score", "field.required")
        }
        try v.check()
        guard c.status == Status.review.rawValue else { throw DomainError.rule(code: "honour.notInReview") }
        var reviewerIndex: String?
        if let person = actor.personID { reviewerIndex = try await PersonRecord.find(person, on: app.db)?.citizenIDIndex }
        let reasons = Honours.recusal(
            reviewerIndex: reviewerIndex, reviewerOrganization: actor.organizationID.uuidString,
            nomineeIndex: n.citizenIDIndex, nomineeOrganization: n.organizationID.uuidString)
        if let first = reasons.first { throw DomainError.rule(code: "honour.recused.\(first.rawValue)") }
        return try await app.write { db in
            guard let row = try await HonourStore(db).nomination(id) else { throw DomainError.notFound }
            var scores = Self.decode(row.panelScores, as: [Double].self) ?? []
            scores.append(input.score!)
            row.panelScores = Self.encode(scores)
            try await row.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "honour.reviewed", objectType: "honourNomination", objectID: id.uuidString.lowercased(),
                    detail: ["score": String(input.score!)]), actor: actor, on: db, now: app.now)
            return row
        }
    }

    /// open → review → notice (the best eligible within the quota are shortlisted) → awarded (credentials issued).
    func transition(_ id: UUID, _ input: CampaignTransitionInput, actor: Actor, today: Day? = nil) async throws
        -> HonourCampaignRecord
    {
        let today = today ?? app.today
        let c = try await Self.campaign(id, actor: actor, on: app.db)
        try actor.require(.manageHonours, actor.scope(owner: c.organizationID, region: c.regionCode))
        var v = Validator()
        let raw = (input.event ?? "").trimmingCharacters(in: .whitespaces)
        let event = Status.Event(rawValue: raw)
        if event == nil { v.add("event", raw.isEmpty ? "field.required" : "field.invalidChoice") }
        try v.check()
        guard let event, let next = Status(rawValue: c.status)?.applying(event) else { throw DomainError.rule(code: "honour.transition.notAllowed") }
        // The award waits for the end of the public notice, with every objection resolved.
        if next == .awarded {
            if let f = c.noticeFrom.flatMap(Day.init), let u = c.noticeUntil.flatMap(Day.init), !NoticePeriod(from: f, until: u).hasEnded(on: today) {
                throw DomainError.rule(code: "honour.noticeRunning")
            }
            if try await HonourNoticeService.openObjections(id, on: app.db) > 0 { throw DomainError.rule(code: "honour.objectionsOpen") }
        }
        let period =
            next == .notice
            ? NoticePeriod(
                publishedOn: today, workingDays: app.config.evaluationRules.noticeWorkingDays,
                calendar: try await CalendarService.calendar(on: app.db)) : nil
        let store = HonourStore(app.db)
        let all = try await store.nominations(in: [id])
        var credentials: [UUID: String] = [:]
        if next == .awarded {
            let issuer = try await OrganizationRecord.find(c.organizationID, on: app.db)
            let signer = try await CertificateService(app).signer(c.organizationID, name: issuer?.name ?? "")
            let people = try await store.people(Set(all.map(\.personID)))
            for n in all where n.status == NominationStatus.shortlisted.rawValue {
                guard let p = people[n.personID], let kind = HonourKind(rawValue: c.kind), let tier = HonourTier(rawValue: c.tier) else { continue }
                let doc = AwardCredential.document(
                    id: "\(signer.base)/honours/awards/\(n.id!.uuidString.lowercased())", issuerDID: signer.issuerDID,
                    issuerName: signer.issuerName, holderName: p.name, citizenID: try app.personalData.open(p.citizenIDSealed),
                    salt: app.random.token(bytes: 12), campaignName: c.name, kind: kind, tier: tier, year: c.year, awarded: today)
                credentials[n.id!] = CanonicalJSON.string(
                    try EddsaJcs2022.sign(
                        doc, verificationMethod: signer.kid, created: today.description + "T00:00:00Z",
                        key: signer.privateKey))
            }
        }
        let signed = credentials
        let shortlist = Set(
            Honours.awarded(
                all.map { (id: $0.id!.uuidString, score: Self.finalScore($0), eligible: $0.status != NominationStatus.ineligible.rawValue) },
                quota: c.quota))
        let status = c.status
        return try await app.write { db in
            guard let row = try await HonourStore(db).campaign(id), row.status == status else {
                throw DomainError.changedMeanwhile
            }
            row.status = next.rawValue
            if let period {
                row.noticeFrom = period.from.description
                row.noticeUntil = period.until.description
            }
            try await row.update(on: db)
            var drafts: [NotificationDraft] = []
            for n in all {
                guard let was = NominationStatus(rawValue: n.status) else { continue }
                let now = was.after(campaign: next, shortlisted: shortlist.contains(n.id!.uuidString))
                guard now != was else { continue }
                n.status = now.rawValue
                if now == .awarded { n.credential = signed[n.id!] }
                try await n.update(on: db)
                drafts += try await NotificationService.nominationDrafts(n, campaign: row, now: now, on: db)
            }
            try await NotificationService(app).notify(drafts, on: db)
            try await AuditLog.append(
                .init(
                    action: "honour.\(event.rawValue)", objectType: "honourCampaign", objectID: id.uuidString.lowercased(),
                    detail: ["status": next.rawValue, "awarded": String(signed.count)]), actor: actor, on: db, now: app.now)
            return row
        }
    }

    // MARK: Responses

    static func campaignResponses(_ rows: [HonourCampaignRecord], on db: any Database) async throws -> [CampaignResponse] {
        var out: [CampaignResponse] = []
        for r in rows {
            let n = try await HonourStore(db).nominationCount(r.id!)
            guard let criteria = Self.decode(r.criteria, as: HonourCriteria.self) else { continue }
            out.append(
                CampaignResponse(
                    id: r.id!, name: r.name, kind: r.kind, tier: r.tier, year: r.year, quota: r.quota, regionCode: r.regionCode,
                    criteria: criteria, status: r.status, nominations: n))
        }
        return out
    }

    static func nominationResponses(_ rows: [HonourNominationRecord], on db: any Database) async throws -> [NominationResponse] {
        let store = HonourStore(db)
        let people = try await store.people(Set(rows.map(\.personID)))
        let orgs = try await store.organizationNames(Set(rows.map(\.organizationID)))
        return rows.map { r in
            let f = Self.decode(r.facts, as: NomineeFacts.self)
            let shortfalls = Self.decode(r.shortfalls, as: [String].self) ?? []
            return NominationResponse(
                id: r.id!, campaignId: r.campaignID, organizationId: r.organizationID, organizationName: orgs[r.organizationID] ?? "",
                person: r.personID, name: people[r.personID]?.name ?? "", citizenIdMasked: people[r.personID]?.citizenIDMasked ?? "",
                verifiedLevel: f?.verifiedLevel?.rawValue, frontLine: f?.frontLine ?? false, yearsOfService: f?.yearsOfService ?? 0,
                bestPlacing: f?.bestPlacing, eligible: shortfalls.isEmpty, shortfalls: shortfalls,
                contributions: Self.decode(r.contributions, as: [HonourContribution].self) ?? [], ruleScore: r.ruleScore,
                panelScores: Self.decode(r.panelScores, as: [Double].self) ?? [], finalScore: Self.finalScore(r), status: r.status,
                hasCredential: r.credential != nil)
        }.sorted { ($0.finalScore, $1.name) > ($1.finalScore, $0.name) }
    }
}
