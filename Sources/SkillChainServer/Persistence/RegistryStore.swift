import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The registry's SQL: what the skill bases and studios delivered, counted over the programmes linked to them.
struct RegistryStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    private var sql: any SQLDatabase { db as! any SQLDatabase }

    /// Per base: people enrolled in its programs, those who completed, and those holding a valid certificate in the
    /// program's occupation — counted in SQL.
    func delivered(_ links: [SkillBaseLinkRecord], today: Day) async throws -> [UUID: (Int, Int, Int)] {
        guard !links.isEmpty else { return [:] }
        var out: [UUID: (Int, Int, Int)] = [:]
        let rows = try await sql.raw(
            """
            SELECT l.base_id AS base, COUNT(DISTINCT p.citizen_id_index) AS trainees,
                   COUNT(DISTINCT CASE WHEN e.status = \(bind: EnrollmentStatus.completed.rawValue) THEN p.citizen_id_index END) AS completed,
                   COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM certificates c WHERE c.citizen_id_index = p.citizen_id_index
                        AND c.occupation_code = g.occupation_code AND \(CertificateStore.validOn(today)))
                        THEN p.citizen_id_index END) AS certified
            FROM skill_base_links l JOIN programs g ON g.id = l.target_id JOIN enrollments e ON e.program_id = g.id
                JOIN people p ON p.id = e.person_id
            WHERE l.kind = \(bind: SkillBaseLinkRecord.Kind.program.rawValue)
                AND l.base_id IN (\(SQLList(Set(links.map(\.baseID)).map { SQLBind($0) })))
            GROUP BY l.base_id
            """
        ).all()
        for r in rows {
            out[try r.decode(column: "base", as: UUID.self)] = (
                try r.decode(column: "trainees", as: Int.self), try r.decode(column: "completed", as: Int.self),
                try r.decode(column: "certified", as: Int.self)
            )
        }
        return out
    }
}
