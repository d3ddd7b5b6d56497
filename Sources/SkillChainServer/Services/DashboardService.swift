import Fluent
import Foundation
import SQLKit
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
enum DashboardService {
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
    static func build(_ filter: DashboardFilter, actor: Actor, app: Application, locale: AppLocale) async throws -> DashboardResponse {
        let question = try await resolve(filter, actor: actor, on: app.db)
        return try await DashboardSnapshots.answer(question, locale: locale, app: app)
    }

    /// Counts the dashboard for `question` from the records, now.
    static func count(_ question: DashboardQuestion, on db: any Database, translate t: (String) -> String, today: Day, now: Date) async throws
        -> DashboardResponse
    {
        let countedAt = now  // the records are as of the start of the count
        let region = question.region
        let occupation = question.occupation
        let chain = question.chain
        let start = question.start
        let end = question.end
        guard let sql = db as? any SQLDatabase else { throw DomainError.notFound }
        let like = RegionCatalog.shared.prefix(of: region) + "%"
        func occ(_ column: String) -> SQLQueryString { occupation.map { " AND \(unsafeRaw: column) = \(bind: $0)" } ?? "" }
        /// The chain and period conditions on an organization column and a `YYYY-MM-DD` (or `YYYY-MM`) column.
        func scope(org: String?, day: String?, month: Bool = false) -> SQLQueryString {
            var q: SQLQueryString = ""
            if let c = chain, let org {
                q =
                    " AND (\(unsafeRaw: org) IN (SELECT organization_id FROM chain_members WHERE chain_id = \(bind: c.id)) OR \(unsafeRaw: org) = \(bind: c.lead))"
            }
            if let day {
                if let s = start { q = q + " AND \(unsafeRaw: day) >= \(bind: month ? String(s.prefix(7)) : s)" }
                if let e = end { q = q + " AND \(unsafeRaw: day) <= \(bind: month ? String(e.prefix(7)) : e)" }
            }
            return q
        }
        /// Pay records carry no occupation: with an occupation chosen, the people on the pay grid are those who hold a
        /// certificate of it valid today.
        func heldInOccupation(_ who: String) -> SQLQueryString {
            guard let occupation else { return "" }
            return
                " AND EXISTS (SELECT 1 FROM certificates c WHERE c.citizen_id_index = \(unsafeRaw: who) AND c.occupation_code = \(bind: occupation) AND \(CertificateStore.validOn(today)))"
        }
        func count(_ q: SQLQueryString) async throws -> Int {
            try await sql.raw(q).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }

        // The loop funnel.
        let enrollments = try await sql.raw(
            """
            SELECT e.status AS status, COUNT(*) AS n FROM enrollments e JOIN programs g ON e.program_id = g.id
            WHERE g.region_code LIKE \(bind: like)\(occ("g.occupation_code"))\(scope(org: "g.lead_organization_id", day: "g.start_date")) GROUP BY e.status
            """
        ).all()
        var byStatus: [String: Int] = [:]
        for r in enrollments { byStatus[try r.decode(column: "status", as: String.self)] = try r.decode(column: "n", as: Int.self) }
        let enrolled = ["enrolled", "completed", "terminated"].reduce(0) { $0 + (byStatus[$1] ?? 0) }
        let evaluated = try await count(
            """
            SELECT COUNT(DISTINCT r.citizen_id_index) AS n FROM registrations r JOIN evaluation_batches b ON r.batch_id = b.id
            WHERE b.region_code LIKE \(bind: like) AND r.outcome IS NOT NULL\(occ("b.occupation_code"))\(scope(org: "b.organization_id", day: "b.theory_day"))
            """)
        let certified = try await count(
            """
            SELECT COUNT(DISTINCT c.citizen_id_index) AS n FROM certificates c JOIN organizations o ON c.organization_id = o.id
            WHERE o.region_code LIKE \(bind: like) AND \(CertificateStore.validOn(today))\(occ("c.occupation_code"))\(scope(org: "c.organization_id", day: "c.issue_date"))
            """)
        let placed = try await count(
            "SELECT COUNT(*) AS n FROM placements p WHERE p.region_code LIKE \(bind: like)\(occ("p.occupation_code"))\(scope(org: "p.organization_id", day: "p.start_date"))"
        )
        let onGrid = try await count(
            """
            SELECT COUNT(DISTINCT p.citizen_id_index) AS n FROM pay_records p JOIN organizations o ON p.organization_id = o.id
            JOIN pay_grids g ON g.organization_id = p.organization_id WHERE o.region_code LIKE \(bind: like)\(scope(org: "p.organization_id", day: "p.month", month: true))
            \(heldInOccupation("p.citizen_id_index"))
            """)
        let funnel: [(LoopStage, Int)] = [
            (.enrolled, enrolled), (.completed, byStatus["completed"] ?? 0), (.evaluated, evaluated),
            (.certified, certified), (.placed, placed), (.onPayGrid, onGrid),
        ]

        // Pass rates of final results, by occupation × level and by body.
        let byOccupation = try await sql.raw(
            """
            SELECT b.occupation_code AS code, b.level AS level, COUNT(*) AS total, CAST(SUM(CASE WHEN r.outcome = \(bind: RegistrationOutcome.passed.rawValue) THEN 1 ELSE 0 END) AS BIGINT) AS passed
            FROM registrations r JOIN evaluation_batches b ON r.batch_id = b.id
            WHERE b.region_code LIKE \(bind: like) AND r.outcome IS NOT NULL\(occ("b.occupation_code"))\(scope(org: "b.organization_id", day: "b.theory_day"))
            GROUP BY b.occupation_code, b.level
            """
        ).all()
        let occupationRates = try byOccupation.map { r in
            let code = try r.decode(column: "code", as: String.self)
            let level = try r.decode(column: "level", as: String.self)
            return (
                PassRate(
                    key: "\(code)|\(level)", total: try r.decode(column: "total", as: Int.self), passed: try r.decode(column: "passed", as: Int.self)),
                "\(OccupationCatalog.edition2022.occupation(code)?.name ?? code) · \(t("level.\(level)"))"
            )
        }
        let byBody = try await sql.raw(
            """
            SELECT o.id AS id, o.name AS name, COUNT(*) AS total, CAST(SUM(CASE WHEN r.outcome = \(bind: RegistrationOutcome.passed.rawValue) THEN 1 ELSE 0 END) AS BIGINT) AS passed
            FROM registrations r JOIN evaluation_batches b ON r.batch_id = b.id JOIN organizations o ON b.organization_id = o.id
            WHERE b.region_code LIKE \(bind: like) AND r.outcome IS NOT NULL\(occ("b.occupation_code"))\(scope(org: "b.organization_id", day: "b.theory_day"))
            GROUP BY o.id, o.name
            """
        ).all()
        let bodyRates = try byBody.map { r in
            (
                PassRate(
                    key: try r.decode(column: "id", as: UUID.self).uuidString.lowercased(), total: try r.decode(column: "total", as: Int.self),
                    passed: try r.decode(column: "passed", as: Int.self)), try r.decode(column: "name", as: String.self)
            )
        }
        let occupationOutliers = PassRates.outliers(occupationRates.map(\.0))
        let bodyOutliers = PassRates.outliers(bodyRates.map(\.0))

        // Supply and demand.
        func grouped(_ q: SQLQueryString) async throws -> [String: [SkillLevel: Int]] {
            var out: [String: [SkillLevel: Int]] = [:]
            for r in try await sql.raw(q).all() {
                guard let level = SkillLevel(rawValue: try r.decode(column: "level", as: String.self)) else { continue }
                out[try r.decode(column: "code", as: String.self), default: [:]][level, default: 0] += try r.decode(column: "n", as: Int.self)
            }
            return out
        }
        var demand = try await grouped(
            """
            SELECT occupation_code AS code, required_level AS level, CAST(SUM(headcount) AS BIGINT) AS n FROM positions
            WHERE region_code LIKE \(bind: like) AND status = 'open'\(occ("occupation_code"))\(scope(org: "organization_id", day: nil))
            GROUP BY occupation_code, required_level
            """)
        let filled = try await grouped(
            """
            SELECT pos.occupation_code AS code, pos.required_level AS level, COUNT(*) AS n FROM placements p JOIN positions pos ON p.position_id = pos.id
            WHERE pos.region_code LIKE \(bind: like) AND pos.status = 'open'\(occ("pos.occupation_code"))\(scope(org: "pos.organization_id", day: "p.start_date"))
            GROUP BY pos.occupation_code, pos.required_level
            """)
        for (code, levels) in filled {
            for (level, n) in levels {
                let open = demand[code]?[level] ?? 0
                demand[code]?[level] = max(0, open - n)
            }
        }
        let certifiedBy = try await grouped(
            """
            SELECT c.occupation_code AS code, c.level AS level, COUNT(DISTINCT c.citizen_id_index) AS n FROM certificates c
            JOIN organizations o ON c.organization_id = o.id WHERE o.region_code LIKE \(bind: like) AND \(CertificateStore.validOn(today))\(occ("c.occupation_code"))
            \(scope(org: "c.organization_id", day: "c.issue_date")) GROUP BY c.occupation_code, c.level
            """)
        let availableBy = try await grouped(
            """
            SELECT c.occupation_code AS code, c.level AS level, COUNT(DISTINCT c.citizen_id_index) AS n FROM certificates c
            JOIN organizations o ON c.organization_id = o.id
            JOIN talent_consents t ON t.citizen_id_index = c.citizen_id_index AND t.withdrawn_at IS NULL
            WHERE o.region_code LIKE \(bind: like) AND \(CertificateStore.validOn(today))\(occ("c.occupation_code"))\(scope(org: "c.organization_id", day: "c.issue_date"))
            AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.citizen_id_index = c.citizen_id_index)
            GROUP BY c.occupation_code, c.level
            """)
        let table = SupplyDemand.table(demand: demand, certified: certifiedBy, available: availableBy)
        let catalog = OccupationCatalog.edition2022
        func view(_ flag: (Occupation) -> Bool) async throws -> TalentViewResponse {
            let codes = Set(certifiedBy.keys).union(demand.keys).filter { catalog.occupation($0).map(flag) ?? false }
            return TalentViewResponse(
                certified: codes.reduce(0) { $0 + (certifiedBy[$1]?.values.reduce(0, +) ?? 0) },
                openPosts: codes.reduce(0) { $0 + (demand[$1]?.values.reduce(0, +) ?? 0) },
                placed: codes.reduce(0) { $0 + (filled[$1]?.values.reduce(0, +) ?? 0) })
        }

        // Subsidies and decisions waiting.
        let subsidyRows = try await sql.raw(
            """
            SELECT status, COUNT(*) AS n, CAST(COALESCE(SUM(advance_paid), 0) AS BIGINT) AS advance, CAST(COALESCE(SUM(payable), 0) AS BIGINT) AS payable
            FROM subsidy_claims WHERE region_code LIKE \(bind: like)\(scope(org: "organization_id", day: nil)) GROUP BY status
            """
        ).all()
        let subsidies = try subsidyRows.map { r in
            let status = try r.decode(column: "status", as: String.self)
            return SubsidySummaryResponse(
                status: status, label: t("subsidyStatus.\(status)"), claims: try r.decode(column: "n", as: Int.self),
                advancePaid: try r.decode(column: "advance", as: Int.self), payable: try r.decode(column: "payable", as: Int.self))
        }.sorted { $0.status < $1.status }
        let waiting = WaitingResponse(
            filings: try await count(
                "SELECT COUNT(*) AS n FROM evaluation_filings WHERE region_code LIKE \(bind: like) AND status = 'submitted'\(scope(org: "organization_id", day: nil))"
            ),
            batchPlans: try await count(
                "SELECT COUNT(*) AS n FROM evaluation_batches WHERE region_code LIKE \(bind: like) AND status = 'planSubmitted'\(scope(org: "organization_id", day: nil))"
            ),
            subsidyClaims: try await count(
                "SELECT COUNT(*) AS n FROM subsidy_claims WHERE region_code LIKE \(bind: like) AND status IN ('advanceRequested', 'settlementRequested')\(scope(org: "organization_id", day: nil))"
            ))

        // Pay by verified level, in aggregate only and only for cells of five people or more: each person's skill-post pay
        // of their latest month, against the highest level of their certificates valid today (of the occupation, when one
        // is chosen) — all counted in SQL.
        let rank = "CASE c.level " + SkillLevel.allCases.enumerated().map { "WHEN '\($0.element.rawValue)' THEN \($0.offset) " }.joined() + "END"
        let payRows = try await sql.raw(
            """
            SELECT y.lvl AS lvl, COUNT(*) AS n, CAST(SUM(y.pay) AS BIGINT) AS total FROM (
              SELECT x.pay AS pay, (SELECT MAX(\(unsafeRaw: rank)) FROM certificates c WHERE c.citizen_id_index = x.who
                                    AND \(CertificateStore.validOn(today))\(occ("c.occupation_code"))) AS lvl
              FROM (SELECT r.citizen_id_index AS who, MAX(r.monthly_pay) AS pay FROM pay_records r JOIN organizations o ON r.organization_id = o.id
                    JOIN (SELECT q.citizen_id_index AS who, MAX(q.month) AS month FROM pay_records q JOIN organizations qo ON q.organization_id = qo.id
                          WHERE q.post = 'skill' AND qo.region_code LIKE \(bind: like)\(scope(org: "q.organization_id", day: "q.month", month: true))
                          GROUP BY q.citizen_id_index) l ON l.who = r.citizen_id_index AND l.month = r.month
                    WHERE r.post = 'skill' AND o.region_code LIKE \(bind: like)\(scope(org: "r.organization_id", day: nil)) GROUP BY r.citizen_id_index) x
            ) y WHERE y.lvl IS NOT NULL GROUP BY y.lvl
            """
        ).all()
        var cells: [SkillLevel: (people: Int, total: Int)] = [:]
        for r in payRows {
            let i = try r.decode(column: "lvl", as: Int.self)
            guard SkillLevel.allCases.indices.contains(i) else { continue }
            cells[SkillLevel.allCases[i]] = (try r.decode(column: "n", as: Int.self), try r.decode(column: "total", as: Int.self))
        }
        let payByLevel = SkillLevel.allCases.compactMap { l -> PayCellResponse? in
            guard let c = cells[l] else { return nil }
            return SmallCells.show(c.people)
                ? PayCellResponse(level: l.rawValue, people: c.people, averageMonthlyPay: c.total / c.people)
                : PayCellResponse(level: l.rawValue, people: nil, averageMonthlyPay: nil)
        }

        // Bases and studios of the region (and chain) with what they delivered, counted from records.
        var baseQuery = SkillBaseRecord.query(on: db).filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: region))
        if let c = chain {
            let members = try await ChainMemberRecord.query(on: db).filter(\.$chainID == c.id).all().map(\.organizationID) + [c.lead]
            baseQuery = baseQuery.filter(\.$hostOrganizationID ~~ members)
        }
        let bases = try await RegistryService.baseResponses(try await baseQuery.sort(\.$name).limit(200).all(), on: db, today: today).map { b in
            BaseDeliveredResponse(
                id: b.id, name: b.name, kind: b.kind, tier: b.tier, hostName: b.hostName, fundingGranted: b.fundingGranted,
                fundingSpent: b.fundingSpent, trainees: b.trainees, completed: b.completed, certified: b.certified)
        }

        return DashboardResponse(
            region: region, regionName: RegionCatalog.shared.fullName(region) ?? region, occupation: occupation, chain: chain?.id, from: start,
            to: end,
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
            subsidies: subsidies, waiting: waiting, digital: try await view { $0.isDigital }, green: try await view { $0.isGreen },
            payByLevel: payByLevel,
            bases: bases)
    }
}
