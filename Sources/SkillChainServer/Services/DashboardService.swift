import Fluent
import Foundation
import SkillChainCore
import Vapor

struct FunnelStageResponse: Content {
    let stage: String
    let label: String
    let count: Int
}
struct PassRateResponse: Content {
    let key: String
    let label: String
    let total: Int
    let passed: Int
    let rate: Double
    let outlier: Bool
}
struct SupplyDemandResponse: Content {
    let occupationCode: String
    let occupationName: String
    let level: String
    let openPosts: Int
    let certified: Int
    let available: Int
    let gap: Int
    let digital: Bool
    let green: Bool
}
struct SubsidySummaryResponse: Content {
    let status: String
    let label: String
    let claims: Int
    let advancePaid: Int
    let payable: Int
}
struct WaitingResponse: Content {
    let filings: Int
    let batchPlans: Int
    let subsidyClaims: Int
}
struct TalentViewResponse: Content {
    let certified: Int
    let openPosts: Int
    let placed: Int
}
struct PayCellResponse: Content {
    let level: String
    let people: Int?
    let averageMonthlyPay: Int?
}
struct BaseDeliveredResponse: Content {
    let id: UUID
    let name: String
    let kind: String
    let tier: String
    let hostName: String
    let fundingGranted: Int
    let fundingSpent: Int
    let trainees: Int
    let completed: Int
    let certified: Int
}
struct DashboardResponse: Content {
    let region: String
    let regionName: String
    let occupation: String?
    let chain: UUID?
    let from: String?
    let to: String?
    /// When these numbers were counted, and whether they were counted for this request (or are a stored count).
    var countedAt: Date
    var live: Bool
    let funnel: [FunnelStageResponse]
    let passRatesByOccupation: [PassRateResponse]
    let passRatesByBody: [PassRateResponse]
    let supplyDemand: [SupplyDemandResponse]
    let subsidies: [SubsidySummaryResponse]
    let waiting: WaitingResponse
    let digital: TalentViewResponse
    let green: TalentViewResponse
    let payByLevel: [PayCellResponse]
    let bases: [BaseDeliveredResponse]
}

/// What the dashboard is drawn for: a region (with its sub-regions), and optionally one occupation, one chain (its
/// lead and members) and a period. The period applies to training starts, evaluations, certificates, placements and
/// pay months; open posts, subsidies and decisions waiting are as of today.
struct DashboardFilter: Sendable {
    var region: String?
    var occupation: String?
    var chain: UUID?
    var from: String?
    var to: String?
}

/// A checked dashboard question: what `DashboardService.count` counts and what a snapshot is kept for.
struct DashboardQuestion: Sendable {
    let region: String
    let occupation: String?
    let chain: (id: UUID, lead: UUID)?
    let start: String?
    let end: String?

    /// The snapshot key: one per question and language (labels are stored translated).
    func key(_ locale: AppLocale) -> String {
        [locale.rawValue, region, occupation ?? "", chain.map { $0.id.uuidString.lowercased() } ?? "", start ?? "", end ?? ""].joined(separator: "|")
    }
}

/// What the government dashboard draws, counted in SQL (ENGINEERING-NOTES A2: aggregation and indexes, not rows
/// loaded into Swift), for a region and its sub-regions, optionally one occupation. Every number comes from records:
/// enrollments, registrations, certificates, positions, placements, subsidy claims, filings, pay records.
struct DashboardService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// Checks the question (region, occupation, chain, period) and whether `actor` may ask it.
    static func resolve(_ filter: DashboardFilter, actor: Actor, on db: any Database) async throws -> DashboardQuestion {
        let region = filter.region ?? actor.organizationRegion
        let occupation = filter.occupation
        var v = Validator()
        if RegionCatalog.shared.region(region) == nil { v.add("region", "region.unknown") }
        if let o = occupation, OccupationCatalog.edition2022.occupation(o) == nil { v.add("occupation", "occupation.unknown") }
        let from = filter.from.map { Day($0) }
        let to = filter.to.map { Day($0) }
        if from == .some(nil) { v.add("from", "field.date") }
        if to == .some(nil) { v.add("to", "field.date") }
        if let f = from ?? nil, let e = to ?? nil, e < f { v.add("to", "dashboard.period.reversed") }
        var chain: ChainRecord?
        if let id = filter.chain {
            chain = try await ChainRecord.find(id, on: db)
            if chain.map({ RegionCatalog.shared.contains(region, $0.regionCode) || RegionCatalog.shared.contains($0.regionCode, region) }) != true {
                v.add("chain", "dashboard.chain.unknown")
            }
        }
        try v.check()
        if actor.role != .platformAdmin, !RegionCatalog.shared.contains(actor.organizationRegion, region) { throw DomainError.notFound }
        return DashboardQuestion(
            region: region, occupation: occupation, chain: chain.map { ($0.id!, $0.leadOrganizationID) },
            start: (from ?? nil)?.description, end: (to ?? nil)?.description)
    }

    /// The dashboard for `filter` as `actor` may see it: counted now, or a stored count when counting takes long
    /// (`DashboardSnapshots`).
    func build(_ filter: DashboardFilter, actor: Actor, locale: AppLocale) async throws -> DashboardResponse {
        let question = try await Self.resolve(filter, actor: actor, on: app.db)
        return try await DashboardSnapshots.answer(question, locale: locale, app: app)
    }

    /// Counts the dashboard for `question` from the records, now.
    static func count(_ question: DashboardQuestion, on db: any Database, translate t: (String) -> String, today: Day, now: Date) async throws
        -> DashboardResponse
    {
        let countedAt = now  // the records are as of the start of the count
        let store = DashboardStore(db: db, question: question, today: today)
        let region = question.region
        let occupation = question.occupation
        let chain = question.chain

        // The loop funnel.
        let byStatus = try await store.enrollmentsByStatus()
        let enrolled = [EnrollmentStatus.enrolled, .completed, .terminated].reduce(0) { $0 + (byStatus[$1] ?? 0) }
        let funnel: [(LoopStage, Int)] = [
            (.enrolled, enrolled), (.completed, byStatus[.completed] ?? 0), (.evaluated, try await store.evaluatedPeople()),
            (.certified, try await store.certifiedPeople()), (.placed, try await store.placements()), (.onPayGrid, try await store.peopleOnPayGrid()),
        ]

        // Pass rates of final results, by occupation × level and by body.
        let occupationRates = try await store.passRatesByOccupation().map { r in
            let parts = r.key.split(separator: "|").map(String.init)
            let name = OccupationCatalog.edition2022.occupation(parts[0])?.name ?? parts[0]
            return (PassRate(key: r.key, total: r.total, passed: r.passed), "\(name) · \(t("level.\(parts[1])"))")
        }
        let bodyRates = try await store.passRatesByBody().map { (PassRate(key: $0.key, total: $0.total, passed: $0.passed), $0.label) }
        let occupationOutliers = PassRates.outliers(occupationRates.map(\.0))
        let bodyOutliers = PassRates.outliers(bodyRates.map(\.0))

        // Supply and demand: open posts less those already filled.
        var demand = try await store.openPosts()
        let filled = try await store.filledPosts()
        for (code, levels) in filled {
            for (level, n) in levels {
                let open = demand[code]?[level] ?? 0
                demand[code]?[level] = max(0, open - n)
            }
        }
        let certifiedBy = try await store.certified(availableOnly: false)
        let table = SupplyDemand.table(demand: demand, certified: certifiedBy, available: try await store.certified(availableOnly: true))
        let catalog = OccupationCatalog.edition2022
        func view(_ flag: (Occupation) -> Bool) -> TalentViewResponse {
            let codes = Set(certifiedBy.keys).union(demand.keys).filter { catalog.occupation($0).map(flag) ?? false }
            return TalentViewResponse(
                certified: codes.reduce(0) { $0 + (certifiedBy[$1]?.values.reduce(0, +) ?? 0) },
                openPosts: codes.reduce(0) { $0 + (demand[$1]?.values.reduce(0, +) ?? 0) },
                placed: codes.reduce(0) { $0 + (filled[$1]?.values.reduce(0, +) ?? 0) })
        }

        // Subsidies and decisions waiting.
        let subsidies = try await store.subsidiesByStatus().map { r in
            SubsidySummaryResponse(
                status: r.status.rawValue, label: t("subsidyStatus.\(r.status.rawValue)"), claims: r.claims, advancePaid: r.advancePaid,
                payable: r.payable)
        }.sorted { $0.status < $1.status }
        let w = try await store.waiting()
        let waiting = WaitingResponse(filings: w.filings, batchPlans: w.batchPlans, subsidyClaims: w.subsidyClaims)

        // Pay by verified level, in aggregate only and only for cells of five people or more.
        let cells = try await store.payByLevel()
        let payByLevel = SkillLevel.allCases.compactMap { l -> PayCellResponse? in
            guard let c = cells[l] else { return nil }
            return SmallCells.show(c.people)
                ? PayCellResponse(level: l.rawValue, people: c.people, averageMonthlyPay: c.total / c.people)
                : PayCellResponse(level: l.rawValue, people: nil, averageMonthlyPay: nil)
        }

        // Bases and studios of the region (and chain) with what they delivered, counted from records.
        let bases = try await RegistryService.baseResponses(try await store.bases(), on: db, today: today).map { b in
            BaseDeliveredResponse(
                id: b.id, name: b.name, kind: b.kind, tier: b.tier, hostName: b.hostName, fundingGranted: b.fundingGranted,
                fundingSpent: b.fundingSpent, trainees: b.trainees, completed: b.completed, certified: b.certified)
        }

        return DashboardResponse(
            region: region, regionName: RegionCatalog.shared.fullName(region) ?? region, occupation: occupation, chain: chain?.id,
            from: question.start,
            to: question.end,
            countedAt: countedAt, live: true,
            funnel: funnel.map { FunnelStageResponse(stage: $0.0.rawValue, label: t("dashboard.stage.\($0.0.rawValue)"), count: $0.1) },
            passRatesByOccupation: occupationRates.map {
                PassRateResponse(
                    key: $0.0.key, label: $0.1, total: $0.0.total, passed: $0.0.passed, rate: $0.0.rate,
                    outlier: occupationOutliers.contains($0.0.key))
            },
            passRatesByBody: bodyRates.map {
                PassRateResponse(
                    key: $0.0.key, label: $0.1, total: $0.0.total, passed: $0.0.passed, rate: $0.0.rate,
                    outlier: bodyOutliers.contains($0.0.key))
            }.sorted { $0.label < $1.label },
            supplyDemand: table.map { row in
                let o = catalog.occupation(row.occupationCode)
                return SupplyDemandResponse(
                    occupationCode: row.occupationCode, occupationName: o?.name ?? row.occupationCode, level: row.level.rawValue,
                    openPosts: row.openPosts, certified: row.certified, available: row.available, gap: row.gap,
                    digital: o?.isDigital ?? false, green: o?.isGreen ?? false)
            },
            subsidies: subsidies, waiting: waiting, digital: view { $0.isDigital }, green: view { $0.isGreen },
            payByLevel: payByLevel,
            bases: bases)
    }
}
