import Fluent

/// A published contest result can be withdrawn by its organizer with a reason (a disqualification, a wrong person):
/// it then no longer counts for the contest route or for honours, and stays on the results page marked so.
struct M0020CompetitionResultWithdrawal: AsyncMigration {
    var name: String { "0020_CompetitionResultWithdrawal" }
    func prepare(on db: any Database) async throws {
        try await db.schema("competition_results").field("withdrawn_at", .datetime).update()
        try await db.schema("competition_results").field("withdrawal_reason", .string).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("competition_results").deleteField("withdrawal_reason").update()
        try await db.schema("competition_results").deleteField("withdrawn_at").update()
    }
}
