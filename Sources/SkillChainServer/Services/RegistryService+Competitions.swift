import Fluent
import Foundation
import SkillChainCore
import Vapor

extension RegistryService {
    /// Who may hold a contest of a tier: an enterprise or school its own; a chain's lead a chain contest; the bureau
    /// city contests and the results of higher ones.
    static func mayHold(_ tier: ContestTier, actor: Actor, on db: any Database) async throws -> Bool {
        if actor.role == .platformAdmin { return false }
        switch tier {
        case .enterprise: return actor.role.isOrganizationAdmin
        case .chain:
            guard actor.role == .enterpriseAdmin else { return false }
            return try await ChainRecord.query(on: db).filter(\.$leadOrganizationID == actor.organizationID).first() != nil
        case .city, .provincial, .national: return actor.role == .governmentOfficer
        }
    }

    func createCompetition(_ input: CompetitionInput, actor: Actor) async throws -> CompetitionRecord {
        try actor.require(.manageCompetitions, actor.scope(owner: actor.organizationID))
        var v = Validator()
        let name = v.required("name", input.name, max: 100)
        let tier = v.oneOf("tier", input.tier, ContestTier.self)
        let occupation = v.occupation("occupationCode", input.occupationCode)
        let held = v.required("heldOn", input.heldOn, max: 10)
        let day = Day(held)
        if !held.isEmpty && day == nil { v.add("heldOn", "field.date") }
        let entrants = v.requiredCount("entrants", input.entrants, in: 1...100_000)
        try v.check()
        guard try await Self.mayHold(tier!, actor: actor, on: app.db) else {
            throw ValidationFailure([FieldError("tier", "competition.tierNotYours")])
        }
        let r = CompetitionRecord()
        r.name = name
        r.tier = tier!.rawValue
        r.organizerOrganizationID = actor.organizationID
        r.regionCode = actor.organizationRegion
        r.occupationCode = occupation!.code
        r.year = day!.year
        r.heldOn = day!.description
        r.entrants = entrants
        r.status = CompetitionStatus.open.rawValue
        try await app.write { db in
            try await r.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "competition.created", objectType: "competition", objectID: r.id!.uuidString.lowercased(),
                    detail: ["tier": r.tier]), actor: actor, on: db, now: app.now)
        }
        return r
    }

    /// Contests the actor may see: the bureau its region's; organizations their own and their region's city and
    /// higher ones; learners those they placed in (through their results).
    static func competitions(actor: Actor, on db: any Database) async throws -> [CompetitionRecord] {
        let all = try await CompetitionRecord.query(on: db).sort(\.$heldOn, .descending).all()
        if actor.role == .platformAdmin { return all }
        guard actor.can(.listCompetitions, .own) || actor.can(.listCompetitions, .inRegion) else { return [] }
        let catalog = RegionCatalog.shared
        return all.filter { c in
            if c.organizerOrganizationID == actor.organizationID { return true }
            let nearby = catalog.contains(actor.organizationRegion, c.regionCode) || catalog.contains(c.regionCode, actor.organizationRegion)
            if actor.role == .governmentOfficer { return catalog.contains(actor.organizationRegion, c.regionCode) }
            return nearby && (ContestTier(rawValue: c.tier) ?? .enterprise) >= .city
        }
    }

    static func competition(_ id: UUID, actor: Actor, on db: any Database) async throws -> CompetitionRecord {
        guard let c = try await Self.competitions(actor: actor, on: db).first(where: { $0.id == id }) else { throw DomainError.notFound }
        return c
    }

    /// Publishes the results (all rows or none): each row names a person by citizen ID number and name; the rank
    /// must lie within the entrants and ranks may tie. People on the platform are linked; others are kept by index.
    func publishResults(_ id: UUID, _ input: CompetitionResultsInput, actor: Actor, today: Day? = nil) async throws
        -> [CompetitionResultRecord]
    {
        let today = today ?? app.today
        let c = try await Self.competition(id, actor: actor, on: app.db)
        guard c.organizerOrganizationID == actor.organizationID else { throw DomainError.forbidden }
        try actor.require(.manageCompetitions, .own)
        guard c.status == CompetitionStatus.open.rawValue else { throw DomainError.rule(code: "competition.resultsPublished") }
        if let held = Day(c.heldOn), held > today { throw DomainError.rule(code: "competition.notHeldYet") }
        var v = Validator()
        let rows = input.results ?? []
        if rows.isEmpty { v.add("results", "field.required") }
        if rows.count > c.entrants { v.add("results", "competition.moreResultsThanEntrants", [String(c.entrants)]) }
        var parsed: [(name: String, id: CitizenID, rank: Int, student: Bool)] = []
        var seen = Set<String>()
        for (i, row) in rows.prefix(10_000).enumerated() {
            let name = v.required("results[\(i)].name", row.name, max: 50)
            let rank = v.requiredCount("results[\(i)].rank", row.rank, in: 1...c.entrants)
            let raw = (row.citizenId ?? "").trimmingCharacters(in: .whitespaces)
            if raw.isEmpty {
                v.add("results[\(i)].citizenId", "field.required")
                continue
            }
            do {
                let cid = try CitizenID(raw, today: today)
                if !seen.insert(cid.value).inserted { v.add("results[\(i)].citizenId", "competition.duplicatePerson") }
                parsed.append((name, cid, rank, row.student ?? false))
            } catch { v.add("results[\(i)].citizenId", error.rawValue) }
        }
        try v.check()
        let indexes = parsed.map { app.personalData.blindIndex($0.id.value) }
        let people = try await PersonRecord.query(on: app.db).filter(\.$citizenIDIndex ~~ Set(indexes)).all()
        var byIndex: [String: PersonRecord] = [:]
        for p in people where byIndex[p.citizenIDIndex] == nil { byIndex[p.citizenIDIndex] = p }
        for (i, (row, index)) in zip(parsed, indexes).enumerated() {
            if let p = byIndex[index], p.name != row.name { v.add("results[\(i)].name", "competition.nameMismatch") }
        }
        try v.check()
        let (accepted, found) = (parsed, byIndex)
        return try await app.write { db in
            guard let fresh = try await CompetitionRecord.find(id, on: db), fresh.status == CompetitionStatus.open.rawValue else {
                throw DomainError.conflict(code: "competition.resultsPublished")
            }
            var out: [CompetitionResultRecord] = []
            for (row, index) in zip(accepted, indexes) {
                let r = CompetitionResultRecord()
                r.competitionID = id
                r.personID = found[index]?.id
                r.citizenIDIndex = index
                r.name = row.name
                r.citizenIDMasked = row.id.masked
                r.rank = row.rank
                r.isStudent = row.student
                try await r.create(on: db)
                out.append(r)
            }
            fresh.status = CompetitionStatus.resultsPublished.rawValue
            try await fresh.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "competition.resultsPublished", objectType: "competition", objectID: id.uuidString.lowercased(),
                    detail: ["results": String(out.count)]), actor: actor, on: db, now: app.now)
            return out
        }
    }

    /// Withdraws one published result (a disqualification, a person named by mistake), with a reason, in one
    /// transaction with its audit entry. Only the organizer may; the row stays on the results page, marked, and counts
    /// for neither the contest route nor honours from then on. Levels already certified through it are not touched:
    /// that is a certificate revocation, decided on its own.
    func withdrawResult(_ id: UUID, result resultID: UUID, _ input: ResultWithdrawalInput, actor: Actor) async throws
        -> CompetitionResultRecord
    {
        let c = try await Self.competition(id, actor: actor, on: app.db)
        guard c.organizerOrganizationID == actor.organizationID else { throw DomainError.forbidden }
        try actor.require(.manageCompetitions, .own)
        var v = Validator()
        let reason = v.required("reason", input.reason, max: 500)
        try v.check()
        return try await app.write { db in
            guard let r = try await CompetitionResultRecord.find(resultID, on: db), r.competitionID == id else { throw DomainError.notFound }
            do throws(CompetitionResultStanding.Refusal) { _ = try CompetitionResultStanding(withdrawnAt: r.withdrawnAt).withdrawing() } catch {
                throw DomainError.conflict(code: error.rawValue)
            }
            r.withdrawnAt = app.now
            r.withdrawalReason = reason
            try await r.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "competition.resultWithdrawn", objectType: "competition", objectID: id.uuidString.lowercased(),
                    detail: ["result": resultID.uuidString.lowercased(), "rank": String(r.rank)]), actor: actor, on: db, now: app.now)
            return r
        }
    }

    static func results(_ id: UUID, actor: Actor, on db: any Database) async throws -> [CompetitionResultRecord] {
        _ = try await Self.competition(id, actor: actor, on: db)
        return try await CompetitionResultRecord.query(on: db).filter(\.$competitionID == id).sort(\.$rank).sort(\.$name).all()
    }

    static func placing(_ r: CompetitionResultRecord, _ c: CompetitionRecord) -> ContestPlacing {
        ContestPlacing(
            contest: c.name, tier: ContestTier(rawValue: c.tier) ?? .enterprise, year: c.year, occupationCode: c.occupationCode,
            rank: r.rank, entrants: c.entrants, isStudent: r.isStudent)
    }

    /// A person's published placings in any of `occupations` (the contest route of eligibility).
    static func placings(citizenIndex: String, occupations: Set<String>, on db: any Database) async throws -> [ContestPlacing] {
        let results = try await CompetitionResultRecord.standing(on: db).filter(\.$citizenIDIndex == citizenIndex).all()
        guard !results.isEmpty else { return [] }
        let contests = Dictionary(
            uniqueKeysWithValues: try await CompetitionRecord.query(on: db).filter(\.$id ~~ Set(results.map(\.competitionID)))
                .filter(\.$status == CompetitionStatus.resultsPublished.rawValue).all().map { ($0.id!, $0) })
        return results.compactMap { r in contests[r.competitionID].flatMap { occupations.contains($0.occupationCode) ? Self.placing(r, $0) : nil } }
    }

    static func competitionResponses(_ rows: [CompetitionRecord], on db: any Database) async throws -> [CompetitionResponse] {
        guard !rows.isEmpty else { return [] }
        let orgs = Dictionary(
            uniqueKeysWithValues: try await OrganizationRecord.query(on: db).filter(\.$id ~~ Set(rows.map(\.organizerOrganizationID))).all().map {
                ($0.id!, $0.name)
            })
        var counts: [UUID: Int] = [:]
        for r in try await CompetitionResultRecord.standing(on: db).filter(\.$competitionID ~~ rows.compactMap(\.id)).all() {
            counts[r.competitionID, default: 0] += 1
        }
        return rows.map { c in
            CompetitionResponse(
                id: c.id!, name: c.name, tier: c.tier, organizerOrganizationId: c.organizerOrganizationID,
                organizerName: orgs[c.organizerOrganizationID] ?? "",
                regionCode: c.regionCode, occupationCode: c.occupationCode,
                occupationName: OccupationCatalog.edition2022.occupation(c.occupationCode)?.name ?? c.occupationCode,
                year: c.year, heldOn: c.heldOn, entrants: c.entrants, status: c.status, results: counts[c.id!] ?? 0)
        }
    }

    /// Each placing with the level it lets the person be evaluated for, against the highest valid certificate they hold
    /// in the contest's occupation on the platform.
    static func resultResponses(_ rows: [CompetitionResultRecord], _ c: CompetitionRecord, rule: ContestPromotion, on db: any Database, today: Day)
        async throws
        -> [CompetitionResultResponse]
    {
        let held = try await PayService.verifiedLevels(Set(rows.map(\.citizenIDIndex)), occupations: [c.occupationCode], on: db, today: today)
        return rows.map { r in
            CompetitionResultResponse(
                id: r.id!, person: r.personID, name: r.name, citizenIdMasked: r.citizenIDMasked, rank: r.rank, student: r.isStudent,
                recognisedLevel: CompetitionResultStanding(withdrawnAt: r.withdrawnAt).counts
                    ? rule.level(for: Self.placing(r, c), held: held[r.citizenIDIndex])?.rawValue : nil,
                withdrawnAt: r.withdrawnAt, withdrawalReason: r.withdrawalReason)
        }
    }
}
