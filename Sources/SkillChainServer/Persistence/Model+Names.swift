import Fluent
import Foundation

extension Model where IDValue == UUID {
    /// The rows with these ids as id → `name` (one query; none for no ids): what a list shows beside a foreign key.
    static func names(_ ids: some Sequence<UUID>, _ name: KeyPath<Self, String>, on db: any Database) async throws -> [UUID: String] {
        let ids = Set(ids)
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await query(on: db).filter(\._$id ~~ ids).all().map { ($0.id!, $0[keyPath: name]) })
    }
}

extension Model where IDValue == UUID {
    /// The rows with these ids by id (one query; none for no ids).
    static func byID(_ ids: some Sequence<UUID>, on db: any Database) async throws -> [UUID: Self] {
        let ids = Set(ids)
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await query(on: db).filter(\._$id ~~ ids).all().map { ($0.id!, $0) })
    }
}
