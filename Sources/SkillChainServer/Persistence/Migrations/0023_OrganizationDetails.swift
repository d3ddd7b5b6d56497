import Fluent
import SQLKit

/// What an organization keeps up to date about itself (a contact and an address), and how long it keeps personal data
/// of people with nothing open (`retention_days`, off when null; `skillchain retention run` erases after it). People erased
/// so are marked, their counts and audit entries kept.
struct M0023OrganizationDetails: AsyncMigration {
    var name: String { "0023_OrganizationDetails" }

    func prepare(on db: any Database) async throws {
        try await db.schema("organizations").field("contact", .string).update()
        try await db.schema("organizations").field("address", .string).update()
        try await db.schema("organizations").field("retention_days", .int).update()
        try await db.schema("people").field("erased_at", .datetime).update()
    }

    func revert(on db: any Database) async throws {
        try await db.schema("people").deleteField("erased_at").update()
        for field in ["retention_days", "address", "contact"] {
            try await db.schema("organizations").deleteField(.string(field)).update()
        }
    }
}
