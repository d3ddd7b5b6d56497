import Fluent
import Foundation
import SQLKit
import SkillChainCore

/// The transparency log's stored inner nodes (issue 19): level L holds the roots of the aligned subtrees of 256^L
/// leaves, so a root, a proof or a tile reads a few hundred hashes instead of every leaf. Filled here for a log that
/// already has entries; kept up to date by every append.
struct M0033LogNodes: AsyncMigration {
    var name: String { "0033_LogNodes" }

    func prepare(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE TABLE log_nodes (level INTEGER NOT NULL, idx BIGINT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (level, idx))")
            .run()
        try await TransparencyLogStore(db).storeCompletedNodes(from: 0, to: try await TransparencyLogStore(db).size())
    }

    func revert(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("DROP TABLE log_nodes").run()
    }
}
