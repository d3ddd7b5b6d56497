import Fluent
import SQLKit
import Vapor

/// Migrations 0012–0020 were first recorded under their Swift type names; they now have stable names like the others.
/// A database migrated by an earlier release has its records renamed before migrating, so nothing runs twice.
enum MigrationNames {
    static let renamed: [String: String] = [
        "SkillChainServer.M0012LegacyCertificates": "0012_LegacyCertificates",
        "SkillChainServer.M0013CreateTalentPool": "0013_CreateTalentPool",
        "SkillChainServer.M0014CreatePay": "0014_CreatePay",
        "SkillChainServer.M0015CreateHonours": "0015_CreateHonours",
        "SkillChainServer.M0016MatchingIndexes": "0016_MatchingIndexes",
        "SkillChainServer.M0017CreateRegistry": "0017_CreateRegistry",
        "SkillChainServer.M0018HonourNotice": "0018_HonourNotice",
        "SkillChainServer.M0019DashboardSnapshots": "0019_DashboardSnapshots",
        "SkillChainServer.M0020CompetitionResultWithdrawal": "0020_CompetitionResultWithdrawal",
    ]

    static func upgrade(_ db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        for (old, new) in renamed {
            try await sql.raw("UPDATE _fluent_migrations SET name = \(bind: new) WHERE name = \(bind: old)").run()
        }
    }
}

extension Application {
    /// Applies pending migrations, after giving the records of 0012–0020 their stable names.
    public func migrateDatabase() async throws {
        do { try await MigrationNames.upgrade(db) } catch {
            // A new database has no migrations table yet: nothing to rename.
        }
        try await autoMigrate()
    }
}
