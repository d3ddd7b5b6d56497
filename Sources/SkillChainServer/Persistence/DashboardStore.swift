import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The government dashboard's SQL: every count of one question (a region and its sub-regions, optionally one occupation,
/// one chain and one period), aggregated in the database (ENGINEERING-NOTES A2), never rows loaded into Swift.
struct DashboardStore {
    let db: any Database
    let question: DashboardQuestion
    /// Certificates count when valid on this day.
    let today: Day

    private var sql: any SQLDatabase { db as! any SQLDatabase }
    private var like: String { RegionCatalog.shared.prefix(of: question.region) + "%" }

    /// One pass-rate cell: final results and how many passed.
    struct Rate {
        let key: String, label: String, total: Int, passed: Int
    }

    // MARK: The loop funnel

    /// Enrollments in the region's programmes by status.
    func enrollmentsByStatus() async throws -> [EnrollmentStatus: Int] {
        var out: [EnrollmentStatus: Int] = [:]
        for r in try await sql.raw(
            """
            SELECT e.status AS status, COUNT(*) AS n FROM enrollments e JOIN programs g ON e.program_id = g.id
            WHERE g.region_code LIKE \(bind: like)\(occ("g.occupation_code"))\(scope(org: "g.lead_organization_id", day: "g.start_date"))
                GROUP BY e.status
            """
        ).all() {
            guard let status = EnrollmentStatus(rawValue: try r.decode(column: "status", as: String.self)) else { continue }
            out[status] = try r.decode(column: "n", as: Int.self)
        }
        return out
    }

    /// People with a final result in the region's batches.
    func evaluatedPeople() async throws -> Int {
        try await count(
            """
            SELECT COUNT(DISTINCT r.citizen_id_index) AS n FROM registrations r JOIN evaluation_batches b ON r.batch_id = b.id
            WHERE b.region_code LIKE \(bind: like)
                AND r.outcome IS NOT NULL\(occ("b.occupation_code"))\(scope(org: "b.organization_id", day: "b.theory_day"))
            """)
    }

    /// People holding a certificate valid today from a body of the region.
    func certifiedPeople() async throws -> Int {
        try await count(
            """
            SELECT COUNT(DISTINCT c.citizen_id_index) AS n FROM certificates c JOIN organizations o ON c.organization_id = o.id
            WHERE o.region_code LIKE \(bind: like)
                AND \(CertificateStore.validOn(today))\(occ("c.occupation_code"))\(scope(org: "c.organization_id", day: "c.issue_date"))
            """)
    }

    /// Placements recorded in the region.
    func placements() async throws -> Int {
        try await count(
            """
            SELECT COUNT(*) AS n FROM placements p
            WHERE p.region_code LIKE \(bind: like)\(occ("p.occupation_code"))\(scope(org: "p.organization_id", day: "p.start_date"))
            """)
    }

    /// People with pay records at an enterprise that has a pay grid.
    func peopleOnPayGrid() async throws -> Int {
        try await count(
            """
            SELECT COUNT(DISTINCT p.citizen_id_index) AS n FROM pay_records p JOIN organizations o ON p.organization_id = o.id
            JOIN pay_grids g ON g.organization_id = p.organization_id
                WHERE o.region_code LIKE \(bind: like)\(scope(org: "p.organization_id", day: "p.month", month: true))
            \(heldInOccupation("p.citizen_id_index"))
            """)
    }

    // MARK: Pass rates

    /// Final results by occupation × level; `label` is the occupation code and level, joined by `|`.
    func passRatesByOccupation() async throws -> [Rate] {
        try await sql.raw(
            """
            SELECT b.occupation_code AS code, b.level AS level, COUNT(*) AS total, \(passedSum) AS passed
            FROM registrations r JOIN evaluation_batches b ON r.batch_id = b.id
            WHERE b.region_code LIKE \(bind: like)
                AND r.outcome IS NOT NULL\(occ("b.occupation_code"))\(scope(org: "b.organization_id", day: "b.theory_day"))
            GROUP BY b.occupation_code, b.level
            """
        ).all().map { r in
            let key = "\(try r.decode(column: "code", as: String.self))|\(try r.decode(column: "level", as: String.self))"
            return Rate(
                key: key, label: key, total: try r.decode(column: "total", as: Int.self), passed: try r.decode(column: "passed", as: Int.self))
        }
    }

    /// Final results by evaluation body; `label` is the body's name.
    func passRatesByBody() async throws -> [Rate] {
        try await sql.raw(
            """
            SELECT o.id AS id, o.name AS name, COUNT(*) AS total, \(passedSum) AS passed
            FROM registrations r JOIN evaluation_batches b ON r.batch_id = b.id JOIN organizations o ON b.organization_id = o.id
            WHERE b.region_code LIKE \(bind: like)
                AND r.outcome IS NOT NULL\(occ("b.occupation_code"))\(scope(org: "b.organization_id", day: "b.theory_day"))
            GROUP BY o.id, o.name
            """
        ).all().map { r in
            Rate(
                key: try r.decode(column: "id", as: UUID.self).uuidString.lowercased(), label: try r.decode(column: "name", as: String.self),
                total: try r.decode(column: "total", as: Int.self), passed: try r.decode(column: "passed", as: Int.self))
        }
    }

    // MARK: Supply and demand (occupation code → level → people or posts)

    /// Headcount of open positions.
    func openPosts() async throws -> [String: [SkillLevel: Int]] {
        try await cells(
            """
            SELECT occupation_code AS code, required_level AS level, CAST(SUM(headcount) AS BIGINT) AS n FROM positions
            WHERE region_code LIKE \(bind: like)
                AND status = \(bind: PositionStatus.open.rawValue)\(occ("occupation_code"))\(scope(org: "organization_id", day: nil))
            GROUP BY occupation_code, required_level
            """)
    }

    /// Placements into open positions.
    func filledPosts() async throws -> [String: [SkillLevel: Int]] {
        try await cells(
            """
            SELECT pos.occupation_code AS code, pos.required_level AS level, COUNT(*) AS n FROM placements p
                JOIN positions pos ON p.position_id = pos.id
            WHERE pos.region_code LIKE \(bind: like)
                AND pos.status = \(bind: PositionStatus.open.rawValue)\(occ("pos.occupation_code"))
                \(scope(org: "pos.organization_id", day: "p.start_date"))
            GROUP BY pos.occupation_code, pos.required_level
            """)
    }

    /// People certified (valid today), and of them (`available`) those in the talent pool and not yet placed.
    func certified(availableOnly: Bool) async throws -> [String: [SkillLevel: Int]] {
        let available: SQLQueryString =
            availableOnly
            ? """
            JOIN talent_consents t ON t.citizen_id_index = c.citizen_id_index AND t.withdrawn_at IS NULL
            """ : ""
        let unplaced: SQLQueryString =
            availableOnly ? " AND NOT EXISTS (SELECT 1 FROM placements p WHERE p.citizen_id_index = c.citizen_id_index)" : ""
        return try await cells(
            """
            SELECT c.occupation_code AS code, c.level AS level, COUNT(DISTINCT c.citizen_id_index) AS n FROM certificates c
            JOIN organizations o ON c.organization_id = o.id \(available)
            WHERE o.region_code LIKE \(bind: like)
                AND \(CertificateStore.validOn(today))\(occ("c.occupation_code"))\(scope(org: "c.organization_id", day: "c.issue_date"))
            \(unplaced) GROUP BY c.occupation_code, c.level
            """)
    }

    // MARK: Subsidies and decisions waiting

    /// Subsidy claims by status: how many, advances paid and amounts payable (in yuan).
    func subsidiesByStatus() async throws -> [(status: SubsidyClaimStatus, claims: Int, advancePaid: Int, payable: Int)] {
        try await sql.raw(
            """
            SELECT status, COUNT(*) AS n, CAST(COALESCE(SUM(advance_paid), 0) AS BIGINT) AS advance,
                CAST(COALESCE(SUM(payable), 0) AS BIGINT) AS payable
            FROM subsidy_claims WHERE region_code LIKE \(bind: like)\(scope(org: "organization_id", day: nil)) GROUP BY status
            """
        ).all().compactMap { r in
            guard let status = SubsidyClaimStatus(rawValue: try r.decode(column: "status", as: String.self)) else { return nil }
            return (
                status, try r.decode(column: "n", as: Int.self), try r.decode(column: "advance", as: Int.self),
                try r.decode(column: "payable", as: Int.self)
            )
        }
    }

    /// Filings, batch plans and subsidy claims waiting for the HR bureau's decision.
    func waiting() async throws -> (filings: Int, batchPlans: Int, subsidyClaims: Int) {
        let claims = [SubsidyClaimStatus.advanceRequested, .settlementRequested].map(\.rawValue)
        return (
            try await count(
                """
                SELECT COUNT(*) AS n FROM evaluation_filings WHERE region_code LIKE \(bind: like)
                    AND status = \(bind: FilingStatus.submitted.rawValue)\
                \(scope(org: "organization_id", day: nil))
                """),
            try await count(
                """
                SELECT COUNT(*) AS n FROM evaluation_batches WHERE region_code LIKE \(bind: like)
                    AND status = \(bind: BatchStatus.planSubmitted.rawValue)\
                \(scope(org: "organization_id", day: nil))
                """),
            try await count(
                """
                SELECT COUNT(*) AS n FROM subsidy_claims WHERE region_code LIKE \(bind: like) AND status IN \(SQLBind.group(claims))\
                \(scope(org: "organization_id", day: nil))
                """)
        )
    }

    // MARK: Pay and bases

    /// Skill-post pay of each person's latest month, summed by the highest level of their certificates valid today (of
    /// the occupation, when one is chosen): people and total pay per level.
    func payByLevel() async throws -> [SkillLevel: (people: Int, total: Int)] {
        let rank = "CASE c.level " + SkillLevel.allCases.enumerated().map { "WHEN '\($0.element.rawValue)' THEN \($0.offset) " }.joined() + "END"
        let skill = PayRecord.Post.skill.rawValue
        var cells: [SkillLevel: (people: Int, total: Int)] = [:]
        for r in try await sql.raw(
            """
            SELECT y.lvl AS lvl, COUNT(*) AS n, CAST(SUM(y.pay) AS BIGINT) AS total FROM (
              SELECT x.pay AS pay, (SELECT MAX(\(unsafeRaw: rank)) FROM certificates c WHERE c.citizen_id_index = x.who
                                    AND \(CertificateStore.validOn(today))\(occ("c.occupation_code"))) AS lvl
              FROM (SELECT r.citizen_id_index AS who, MAX(r.monthly_pay) AS pay FROM pay_records r JOIN organizations o ON r.organization_id = o.id
                    JOIN (SELECT q.citizen_id_index AS who, MAX(q.month) AS month FROM pay_records q
                        JOIN organizations qo ON q.organization_id = qo.id
                          WHERE q.post = \(bind: skill)
                              AND qo.region_code LIKE \(bind: like)\(scope(org: "q.organization_id", day: "q.month", month: true))
                          GROUP BY q.citizen_id_index) l ON l.who = r.citizen_id_index AND l.month = r.month
                    WHERE r.post = \(bind: skill) AND o.region_code LIKE \(bind: like)\(scope(org: "r.organization_id", day: nil))
                        GROUP BY r.citizen_id_index) x
            ) y WHERE y.lvl IS NOT NULL GROUP BY y.lvl
            """
        ).all() {
            let i = try r.decode(column: "lvl", as: Int.self)
            guard SkillLevel.allCases.indices.contains(i) else { continue }
            cells[SkillLevel.allCases[i]] = (try r.decode(column: "n", as: Int.self), try r.decode(column: "total", as: Int.self))
        }
        return cells
    }

    /// Skill bases and studios of the region (and of the chain's organizations), by name, at most 200.
    func bases() async throws -> [SkillBaseRecord] {
        var query = SkillBaseRecord.query(on: db).filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: question.region))
        if let c = question.chain {
            let members = try await ChainMemberRecord.query(on: db).filter(\.$chainID == c.id).all().map(\.organizationID) + [c.lead]
            query = query.filter(\.$hostOrganizationID ~~ members)
        }
        return try await query.sort(\.$name).limit(200).all()
    }

    // MARK: Conditions

    private var passedSum: SQLQueryString {
        "CAST(SUM(CASE WHEN r.outcome = \(bind: RegistrationOutcome.passed.rawValue) THEN 1 ELSE 0 END) AS BIGINT)"
    }

    private func occ(_ column: String) -> SQLQueryString {
        question.occupation.map { " AND \(unsafeRaw: column) = \(bind: $0)" } ?? ""
    }

    /// The chain and period conditions on an organization column and a `YYYY-MM-DD` (or `YYYY-MM`) column.
    private func scope(org: String?, day: String?, month: Bool = false) -> SQLQueryString {
        var q: SQLQueryString = ""
        if let c = question.chain, let org {
            q =
                " AND (\(unsafeRaw: org) IN (SELECT organization_id FROM chain_members WHERE chain_id = \(bind: c.id))"
                + " OR \(unsafeRaw: org) = \(bind: c.lead))"
        }
        if let day {
            if let s = question.start { q = q + " AND \(unsafeRaw: day) >= \(bind: month ? String(s.prefix(7)) : s)" }
            if let e = question.end { q = q + " AND \(unsafeRaw: day) <= \(bind: month ? String(e.prefix(7)) : e)" }
        }
        return q
    }

    /// Pay records carry no occupation: with an occupation chosen, the people on the pay grid are those who hold a
    /// certificate of it valid today.
    private func heldInOccupation(_ who: String) -> SQLQueryString {
        guard let occupation = question.occupation else { return "" }
        return " AND EXISTS (SELECT 1 FROM certificates c WHERE c.citizen_id_index = \(unsafeRaw: who)"
            + " AND c.occupation_code = \(bind: occupation) AND \(CertificateStore.validOn(today)))"
    }

    private func count(_ q: SQLQueryString) async throws -> Int {
        try await sql.raw(q).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
    }

    private func cells(_ q: SQLQueryString) async throws -> [String: [SkillLevel: Int]] {
        var out: [String: [SkillLevel: Int]] = [:]
        for r in try await sql.raw(q).all() {
            guard let level = SkillLevel(rawValue: try r.decode(column: "level", as: String.self)) else { continue }
            out[try r.decode(column: "code", as: String.self), default: [:]][level, default: 0] += try r.decode(column: "n", as: Int.self)
        }
        return out
    }
}
