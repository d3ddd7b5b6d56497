import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The SQL of chain lists: a page of the chains an actor may list with all their members, in one query and without
/// Fluent's model reflection (which cost more than the queries themselves on the list's hot path).
struct ChainStore {
    let db: any Database
    let sql: any SQLDatabase

    init(_ db: any Database) throws {
        guard let sql = db as? any SQLDatabase else { throw DomainError.notFound }
        self.db = db
        self.sql = sql
    }

    /// Chains among `ids` (all when nil) whose name or industry contains `text`, in a status, for a caller that pages them.
    func search(ids: [UUID]?, text: String, status: String) -> QueryBuilder<ChainRecord> {
        let q = ChainRecord.query(on: db)
        if !text.isEmpty { q.group(.or) { $0.filter(\.$name ~~ text).filter(\.$industry ~~ text) } }
        if let ids { q.filter(\.$id ~~ ids) }
        if !status.isEmpty { q.filter(\.$status == status) }
        return q
    }

    /// Chains of a region and its sub-regions, by name, at most 200.
    func inRegion(_ region: String) async throws -> [ChainRecord] {
        try await ChainRecord.query(on: db).filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: region)).sort(\.$name).limit(200).all()
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct ChainRow: Decodable, Sendable {
        let id: UUID
        let name: String
        let industry: String
        let region_code: String
        let lead_organization_id: UUID
        let status: String
        let return_reason: String?
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct MemberRow: Decodable, Sendable {
        let chain_id: UUID
        let organization_id: UUID
        let contributions: String
        let posts_committed: Int
        let name: String
        let kind: String
        let flags: Int
    }

    /// Which chains: every one, those with `member` among their members, or these ids.
    enum Visible {
        case all
        case memberOf(UUID)
        case ids([UUID])
    }

    /// Up to `limit` chains after `after` in id order (the API's keyset pages), each with its members and their
    /// organizations in the order they joined: one query.
    func page(_ visible: Visible, after: UUID?, limit: Int) async throws -> [(chain: ChainRow, members: [MemberRow])] {
        var inner = SQLQueryString("SELECT c.id, c.name, c.industry, c.region_code, c.lead_organization_id, c.status, c.return_reason FROM chains c")
        var conditions: [SQLQueryString] = []
        switch visible {
        case .all: break
        case .memberOf(let org):
            inner.appendInterpolation(unsafeRaw: " JOIN chain_members v ON v.chain_id = c.id")
            conditions.append("v.organization_id = \(bind: org)")
        case .ids(let ids):
            if ids.isEmpty { return [] }
            conditions.append("c.id IN \(SQLBind.group(ids))")
        }
        if let after { conditions.append("c.id > \(bind: after)") }
        if !conditions.isEmpty { inner.appendInterpolation(SQLQueryString(" WHERE ") + conditions.joined(separator: " AND ")) }
        inner.appendInterpolation(unsafeRaw: " ORDER BY c.id LIMIT \(limit)")
        let rows = try await sql.raw(
            """
            SELECT c.*, m.organization_id AS member_id, m.contributions, m.posts_committed, o.name AS member_name, o.kind, o.flags
            FROM (\(inner)) c
            LEFT JOIN chain_members m ON m.chain_id = c.id LEFT JOIN organizations o ON o.id = m.organization_id
            ORDER BY c.id, m.created_at, m.id
            """
        ).all(decoding: JoinedRow.self)
        var out: [(chain: ChainRow, members: [MemberRow])] = []
        for r in rows {
            let chain = ChainRow(
                id: r.id, name: r.name, industry: r.industry, region_code: r.region_code,
                lead_organization_id: r.lead_organization_id, status: r.status, return_reason: r.return_reason)
            if out.last?.chain.id != r.id { out.append((chain, [])) }
            if let org = r.member_id, let name = r.member_name, let kind = r.kind {
                out[out.count - 1].members.append(
                    MemberRow(
                        chain_id: r.id, organization_id: org, contributions: r.contributions ?? "",
                        posts_committed: r.posts_committed ?? 0, name: name, kind: kind, flags: r.flags ?? 0))
            }
        }
        return out
    }

    // swift-format-ignore: AlwaysUseLowerCamelCase
    private struct JoinedRow: Decodable {
        let id: UUID
        let name: String
        let industry: String
        let region_code: String
        let lead_organization_id: UUID
        let status: String
        let return_reason: String?
        let member_id: UUID?
        let contributions: String?
        let posts_committed: Int?
        let member_name: String?
        let kind: String?
        let flags: Int?
    }
}

extension ChainStore {
    /// The chain's conversion from training to employment, counted in SQL over the people enrolled in programmes its
    /// members lead: completed, holding a valid certificate in the programme's occupation, placed anywhere, placed
    /// with a member.
    func conversion(_ chainID: UUID, lead: UUID, today: Day) async throws -> Conversion {
        let members: SQLQueryString =
            "(SELECT organization_id FROM chain_members WHERE chain_id = \(bind: chainID)) OR g.lead_organization_id = \(bind: lead)"
        let row = try await sql.raw(
            """
            SELECT COUNT(DISTINCT p.citizen_id_index) AS trained,
                   COUNT(DISTINCT CASE WHEN e.status = \(bind: EnrollmentStatus.completed.rawValue) THEN p.citizen_id_index END) AS completed,
                   COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM certificates c WHERE c.citizen_id_index = p.citizen_id_index
                        AND c.occupation_code = g.occupation_code AND \(CertificateStore.validOn(today)))
                        THEN p.citizen_id_index END) AS certified,
                   COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM placements pl WHERE pl.citizen_id_index = p.citizen_id_index)
                        THEN p.citizen_id_index END) AS placed,
                   COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM placements pl WHERE pl.citizen_id_index = p.citizen_id_index
                        AND (pl.organization_id IN (SELECT organization_id FROM chain_members WHERE chain_id = \(bind: chainID))
                            OR pl.organization_id = \(bind: lead)))
                        THEN p.citizen_id_index END) AS in_chain
            FROM enrollments e JOIN programs g ON g.id = e.program_id JOIN people p ON p.id = e.person_id
            WHERE (g.lead_organization_id IN \(members))
                AND e.status IN \(SQLBind.group([EnrollmentStatus.enrolled, .completed, .terminated].map(\.rawValue)))
            """
        ).first()
        func n(_ c: String) throws -> Int { try row?.decode(column: c, as: Int.self) ?? 0 }
        return Conversion(
            trained: try n("trained"), completed: try n("completed"), certified: try n("certified"), placed: try n("placed"),
            placedInChain: try n("in_chain"))
    }
}
