import Fluent
import SQLKit

/// Certificates as records and signed credentials, the bodies' signing keys and the serial counters.
struct M0011CreateCertificates: AsyncMigration {
    var name: String { "0011_CreateCertificates" }

    func prepare(on db: any Database) async throws {
        try await db.schema("signing_keys")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("public_multibase", .string, .required)
            .field("private_sealed", .string, .required)
            .field("created_at", .datetime)
            .field("retired_at", .datetime)
            .unique(on: "public_multibase")
            .create()
        try await db.schema("certificate_serials")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("year", .int, .required)
            .field("level", .string, .required)
            .field("last_serial", .int, .required)
            .unique(on: "organization_id", "year", "level")
            .create()
        try await db.schema("certificates")
            .id()
            .field("number", .string, .required)
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("batch_id", .uuid, .required, .references("evaluation_batches", "id"))
            .field("registration_id", .uuid, .required, .references("registrations", "id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("citizen_id_index", .string, .required)
            .field("holder_name", .string, .required)
            .field("citizen_id_masked", .string, .required)
            .field("occupation_code", .string, .required)
            .field("occupation_name", .string, .required)
            .field("work_type", .string, .required)
            .field("level", .string, .required)
            .field("issue_date", .string, .required)
            .field("valid_until", .string)
            .field("credential", .string, .required)
            .field("jwt", .string, .required)
            .field("key_id", .string, .required)
            .field("revocation_index", .int, .required)
            .field("suspension_index", .int, .required)
            .field("status", .string, .required)  // valid | revoked | suspended
            .field("status_category", .string)  // shown publicly
            .field("status_reason_sealed", .string)  // kept privately
            .field("created_at", .datetime)
            .unique(on: "number")
            .unique(on: "registration_id")
            .unique(on: "organization_id", "revocation_index")
            .unique(on: "organization_id", "suspension_index")
            .create()
        // A settled subsidy that relied on a certificate is flagged when that certificate is revoked.
        try await db.schema("subsidy_claims").field("revoked_certificate", .string).update()
        if let sql = db as? any SQLDatabase {
            try await sql.create(index: "certificates_citizen_id_index_idx").on("certificates").column("citizen_id_index").run()
            try await sql.create(index: "certificates_batch_id_idx").on("certificates").column("batch_id").run()
        }
    }

    func revert(on db: any Database) async throws {
        try await db.schema("subsidy_claims").deleteField("revoked_certificate").update()
        for t in ["certificates", "certificate_serials", "signing_keys"] { try await db.schema(t).delete() }
    }
}
