import Fluent
import Foundation
import SkillChainCore
import SQLKit
import Vapor

struct FunnelStageResponse: Content { let stage: String; let label: String; let count: Int }
struct PassRateResponse: Content { let key: String; let label: String; let total: Int; let passed: Int; let rate: Double; let outlier: Bool }
struct SupplyDemandResponse: Content {
    let occupationCode: String; let occupationName: String; let level: String; let openPosts: Int; let certified: Int; let available: Int; let gap: Int
    let digital: Bool; let green: Bool
}
struct SubsidySummaryResponse: Content { let status: String; let label: String; let claims: Int; let advancePaid: Int; let payable: Int }
struct WaitingResponse: Content { let filings: Int; let batchPlans: Int; let subsidyClaims: Int }
struct TalentViewResponse: Content { let certified: Int; let openPosts: Int; let placed: Int }
struct PayCellResponse: Content { let level: String; let people: Int?; let averageMonthlyPay: Int? }
struct DashboardResponse: Content {
    let region: String; let regionName: String; let occupation: String?
    let funnel: [FunnelStageResponse]
    let passRatesByOccupation: [PassRateResponse]; let passRatesByBody: [PassRateResponse]
    let supplyDemand: [SupplyDemandResponse]
    let subsidies: [SubsidySummaryResponse]; let waiting: WaitingResponse
    let digital: TalentViewResponse; let green: TalentViewResponse
    let payByLevel: [PayCellResponse]
}

/// What the government dashboard draws, counted in SQL (ENGINEERING-NOTES A2: aggregation and indexes, not rows
/// loaded into Swift), for a region and its sub-regions, optionally one occupation. Every number comes from records:
/// enrollments, registrations, certificates, positions, placements, subsidy claims, filings, pay records.
enum DashboardService {
    static func build(region requested: String?, occupation: String?, actor: Actor, on db: any Database, translate t: (String) -> String) async throws -> DashboardResponse {
        let region = requested ?? actor.organizationRegion
        var v = Validator()
        if RegionCatalog.shared.region(region) == nil { v.add("region", "region.unknown") }
        if let o = occupation, OccupationCatalog.edition2022.occupation(o) == nil { v.add("occupation", "occupation.unknown") }
        try v.check()
        if actor.role != .platformAdmin, !RegionCatalog.shared.contains(actor.organizationRegion, region) { throw DomainError.notFound }
        guard let sql = db as? any SQLDatabase else { throw DomainError.notFound }
        let like = RegionCatalog.shared.prefix(of: region) + "%"
        func occ(_ column: String) -> SQLQueryString { occupation.map { " AND \(unsafeRaw: column) = \(bind: $0)" } ?? "" }
        func count(_ q: SQLQueryString) async throws -> Int {
            try await sql.raw(q).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
        }

        // The loop funnel.
        let enrollments = try await sql.raw("""
            SELECT e.status AS status, COUNT(*) AS n FROM enrollments e JOIN programs g ON e.program_id = g.id
            WHERE g.region_code LIKE \(bind: like)\(occ("g.occupation_code")) GROUP BY e.status
            """).all()
        var byStatus: [String: Int] = [:]
        for r in enrollments { byStatus[try r.decode(column: "status", as: String.self)] = try r.decode(column: "n", as: Int.self) }
        let enrolled = ["enrolled", "completed", "terminated"].reduce(0) { $0 + (byStatus[$1] ?? 0) }
        let evaluated = try await count("""
            SELECT COUNT(DISTINCT r.citizen_id_index) AS n FROM registrations r JOIN evaluation_batches b ON r.batch_id = b.id
            WHERE b.region_code LIKE \(bind: like) AND r.outcome IS NOT NULL\(occ("b.occupation_code"))
            """)
        let certified = try await count("""
            SELECT COUNT(DISTINCT c.citizen_id_index) AS n FROM certificates c JOIN organizations o ON c.organization_id = o.id
            WHERE o.region_code LIKE \(bind: like) AND c.status = 'valid'\(occ("c.occupation_code"))
            """)
        let placed = try await count("SELECT COUNT(*) AS n FROM placements p WHERE p.region_code LIKE \(bind: like)\(occ("p.occupation_code"))")
        let onGrid = try await count("""
            SELECT COUNT(DISTINCT p.citizen_id_index) AS n FROM pay_records p JOIN organizations o ON p.organization_id = o.id
            JOIN pay_grids g ON g.organization_id = p.organization_id WHERE o.region_code LIKE \(bind: like)
            """)
        let funnel: [(LoopStage, Int)] = [(.enrolled, enrolled), (.completed, byStatus["completed"] ?? 0), (.evaluated, evaluated),
                                          (.certified, certified), (.placed, placed), (.onPayGrid, onGrid)]

        // Pass rates of final results, by occupation × level and by body.
        let byOccupation = try await sql.raw("""
            SELECT b.occupation_code AS code, b.level AS level, COUNT(*) AS total, CAST(SUM(CASE WHEN r.outcome = 'passed' THEN 1 ELSE 0 END) AS BIGINT) AS passed
            FROM registrations r JOIN evaluation_batches b ON r.batch_id = b.id
            WHERE b.region_code LIKE \(bind: like) AND r.outcome IS NOT NULL\(occ("b.occupation_code")) GROUP BY b.occupation_code, b.level
            """).all()
        let occupationRates = try byOccupation.map { r in
            let code = try r.decode(column: "code", as: String.self), level = try r.decode(column: "level", as: String.self)
            return (PassRate(key: "\(code)|\(level)", total: try r.decode(column: "total", as: Int.self), passed: try r.decode(column: "passed", as: Int.self)),
                    "\(OccupationCatalog.edition2022.occupation(code)?.name ?? code) · \(t("level.\(level)"))")
        }
        let byBody = try await sql.raw("""
            SELECT o.id AS id, o.name AS name, COUNT(*) AS total, CAST(SUM(CASE WHEN r.outcome = 'passed' THEN 1 ELSE 0 END) AS BIGINT) AS passed
            FROM registrations r JOIN evaluation_batches b ON r.batch_id = b.id JOIN organizations o ON b.organization_id = o.id
            WHERE b.region_code LIKE \(bind: like) AND r.outcome IS NOT NULL\(occ("b.occupation_code")) GROUP BY o.id, o.name
            """).all()
        let bodyRates = try byBody.map { r in
            (PassRate(key: try r.decode(column: "id", as: UUID.self).uuidString.lowercased(), total: try r.decode(column: "total", as: Int.self),
                      passed: try r.decode(column: "passed", as: Int.self)), try r.decode(column: "name", as: String.self))
        }
        let occupationOutliers = PassRates.outliers(occupationRates.map(\.0)), bodyOutliers = PassRates.outliers(bodyRates.map(\.0))

        // Supply and demand.
        func grouped(_ q: SQLQueryString) async throws -> [String: [SkillLevel: Int]] {
            var out: [String: [SkillLevel: Int]] = [:]
            for r in try await sql.raw(q).all() {
                guard let level = SkillLevel(rawValue: try r.decode(column: "level", as: String.self)) else { continue }
                out[try r.decode(column: "code", as: String.self), default: [:]][level, default: 0] += try r.decode(column: "n", as: Int.self)
            }
            return out
        }
        var demand = try await grouped("""
            SELECT occupation_code AS code, required_level AS level, CAST(SUM(headcount) AS BIGINT) AS n FROM positions
            WHERE region_code LIKE \(bind: like) AND status = 'open'\(occ("occupation_code")) GROUP BY occupation_code, required_level
            """)
        let filled = try await grouped("""
            SELECT pos.occupation_code AS code, pos.required_level AS level, COUNT(*) AS n FROM placements p JOIN positions pos ON p.position_id = pos.id
            WHERE pos.region_code LIKE \(bind: like) AND pos.status = 'open'\(occ("pos.occupation_code")) GROUP BY pos.occupation_code, pos.required_level
            """)
        for (code, levels) in filled {
            for (level, n) in levels {
                let open = demand[code]?[level] ?? 0
                demand[code]?[level] = max(0, open - n)
            }
        }
        let certifiedBy = try await grouped("""
            SELECT c.occupation_code AS code, c.level AS level, COUNT(DISTINCT c.citizen_id_index) AS n FROM certificates c
            JOIN organizations o ON c.organization_id = o.id WHERE o.region_code LIKE \(bind: like) AND c.status = 'valid'\(occ("c.occupation_code"))
            GROUP BY c.occupation_code, c.level
            """)
        let availableBy = try await grouped("""
            SELECT c.occupation_code AS code, c.level AS level, COUNT(DISTINCT c.citizen_id_index) AS n FROM certificates c
            JOIN organizations o ON c.organization_id = o.id
            JOIN talent_consents t ON t.citizen_id_index = c.citizen_id_index AND t.withdrawn_at IS NULL
            WHERE o.region_code LIKE \(bind: like) AND c.status = 'valid'\(occ("c.occupation_code"))
            AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.citizen_id_index = c.citizen_id_index)
            GROUP BY c.occupation_code, c.level
            """)
        let table = SupplyDemand.table(demand: demand, certified: certifiedBy, available: availableBy)
        let catalog = OccupationCatalog.edition2022
        func view(_ flag: (Occupation) -> Bool) async throws -> TalentViewResponse {
            let codes = Set(certifiedBy.keys).union(demand.keys).filter { catalog.occupation($0).map(flag) ?? false }
            return TalentViewResponse(certified: codes.reduce(0) { $0 + (certifiedBy[$1]?.values.reduce(0, +) ?? 0) },
                                      openPosts: codes.reduce(0) { $0 + (demand[$1]?.values.reduce(0, +) ?? 0) },
                                      placed: codes.reduce(0) { $0 + (filled[$1]?.values.reduce(0, +) ?? 0) })
        }

        // Subsidies and decisions waiting.
        let subsidyRows = try await sql.raw("""
            SELECT status, COUNT(*) AS n, CAST(COALESCE(SUM(advance_paid), 0) AS BIGINT) AS advance, CAST(COALESCE(SUM(payable), 0) AS BIGINT) AS payable
            FROM subsidy_claims WHERE region_code LIKE \(bind: like) GROUP BY status
            """).all()
        let subsidies = try subsidyRows.map { r in
            let status = try r.decode(column: "status", as: String.self)
            return SubsidySummaryResponse(status: status, label: t("subsidyStatus.\(status)"), claims: try r.decode(column: "n", as: Int.self),
                                          advancePaid: try r.decode(column: "advance", as: Int.self), payable: try r.decode(column: "payable", as: Int.self))
        }.sorted { $0.status < $1.status }
        let waiting = WaitingResponse(
            filings: try await count("SELECT COUNT(*) AS n FROM evaluation_filings WHERE region_code LIKE \(bind: like) AND status = 'submitted'"),
            batchPlans: try await count("SELECT COUNT(*) AS n FROM evaluation_batches WHERE region_code LIKE \(bind: like) AND status = 'planSubmitted'"),
            subsidyClaims: try await count("SELECT COUNT(*) AS n FROM subsidy_claims WHERE region_code LIKE \(bind: like) AND status IN ('advanceRequested', 'settlementRequested')"))

        // Pay by verified level, in aggregate only and only for cells of five people or more.
        let payRows = try await sql.raw("""
            SELECT p.citizen_id_index AS who, p.month AS month, p.monthly_pay AS pay FROM pay_records p JOIN organizations o ON p.organization_id = o.id
            WHERE o.region_code LIKE \(bind: like) AND p.post = 'skill'
            """).all()
        var latest: [String: (String, Int)] = [:]
        for r in payRows {
            let who = try r.decode(column: "who", as: String.self), month = try r.decode(column: "month", as: String.self)
            if let l = latest[who], l.0 >= month { continue }
            latest[who] = (month, try r.decode(column: "pay", as: Int.self))
        }
        let levels = try await PayService.verifiedLevels(Set(latest.keys), on: db)
        var cells: [SkillLevel: [Int]] = [:]
        for (who, (_, pay)) in latest { if let l = levels[who] { cells[l, default: []].append(pay) } }
        let payByLevel = SkillLevel.allCases.compactMap { l -> PayCellResponse? in
            guard let pays = cells[l] else { return nil }
            return SmallCells.show(pays.count) ? PayCellResponse(level: l.rawValue, people: pays.count, averageMonthlyPay: pays.reduce(0, +) / pays.count)
                                               : PayCellResponse(level: l.rawValue, people: nil, averageMonthlyPay: nil)
        }

        return DashboardResponse(
            region: region, regionName: RegionCatalog.shared.fullName(region) ?? region, occupation: occupation,
            funnel: funnel.map { FunnelStageResponse(stage: $0.0.rawValue, label: t("dashboard.stage.\($0.0.rawValue)"), count: $0.1) },
            passRatesByOccupation: occupationRates.map { PassRateResponse(key: $0.0.key, label: $0.1, total: $0.0.total, passed: $0.0.passed, rate: $0.0.rate,
                                                                          outlier: occupationOutliers.contains($0.0.key)) },
            passRatesByBody: bodyRates.map { PassRateResponse(key: $0.0.key, label: $0.1, total: $0.0.total, passed: $0.0.passed, rate: $0.0.rate,
                                                              outlier: bodyOutliers.contains($0.0.key)) }.sorted { $0.label < $1.label },
            supplyDemand: table.map { row in
                let o = catalog.occupation(row.occupationCode)
                return SupplyDemandResponse(occupationCode: row.occupationCode, occupationName: o?.name ?? row.occupationCode, level: row.level.rawValue,
                                            openPosts: row.openPosts, certified: row.certified, available: row.available, gap: row.gap,
                                            digital: o?.isDigital ?? false, green: o?.isGreen ?? false)
            },
            subsidies: subsidies, waiting: waiting, digital: try await view { $0.isDigital }, green: try await view { $0.isGreen }, payByLevel: payByLevel)
    }
}
