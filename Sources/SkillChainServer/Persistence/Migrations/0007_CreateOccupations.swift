import Fluent
import SQLKit
import SkillChainCore

/// The national occupation catalogue, 2022 edition, with the edition stored beside every code.
struct M0007CreateOccupations: AsyncMigration {
    var name: String { "0007_CreateOccupations" }

    func prepare(on db: any Database) async throws {
        try await db.schema("occupations")
            .field("edition", .string, .required)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("major_code", .string, .required)
            .field("medium_code", .string, .required)
            .field("minor_code", .string, .required)
            .field("is_digital", .bool, .required)
            .field("is_green", .bool, .required)
            .compositeIdentifier(over: "edition", "code")
            .create()
        let sql = db as! any SQLDatabase
        let rows = OccupationCatalog.edition2022.occupations
        for start in stride(from: 0, to: rows.count, by: 400) {
            let chunk = rows[start..<min(start + 400, rows.count)]
            let insert = sql.insert(into: "occupations")
                .columns("edition", "code", "name", "major_code", "medium_code", "minor_code", "is_digital", "is_green")
            for o in chunk {
                let row: [any SQLExpression] = [
                    SQLBind(o.edition), SQLBind(o.code), SQLBind(o.name), SQLBind(o.majorCode),
                    SQLBind(o.mediumCode), SQLBind(o.minorCode), SQLBind(o.isDigital), SQLBind(o.isGreen),
                ]
                insert.values(row)
            }
            try await insert.run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("occupations").delete()
    }
}
