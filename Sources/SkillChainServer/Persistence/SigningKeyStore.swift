import Crypto
import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Where the evaluation bodies' signing keys come from. The live store keeps them in the database, the private half
/// sealed with the platform secret; `Dependencies.signingKeys` may hold another (a test pins a known key).
protocol SigningKeyStore: Sendable {
    /// The body's current key (created on first use, in the caller's transaction) and its private half.
    func activeKey(_ organization: UUID, app: Application, on db: any Database) async throws -> (SigningKeyRecord, Curve25519.Signing.PrivateKey)

    /// Retires the body's current key at `time`; the next `activeKey` makes a new one.
    func retire(_ organization: UUID, at time: Date, on db: any Database) async throws

    /// Every key the body has held, oldest first (all bodies' keys when `organization` is nil).
    func history(_ organization: UUID?, on db: any Database) async throws -> [SigningKeyRecord]
}

/// Keys in `signing_keys`, new ones drawn from the application's random source and sealed with the platform secret.
struct SealedSigningKeyStore: SigningKeyStore {
    func activeKey(_ organization: UUID, app: Application, on db: any Database) async throws -> (SigningKeyRecord, Curve25519.Signing.PrivateKey) {
        if let k = try await current(organization, on: db) {
            guard let raw = Data(base64Encoded: try app.personalData.open(k.privateSealed)) else { throw Abort(.internalServerError) }
            return (k, try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
        }
        return try await create(organization, key: try Curve25519.Signing.PrivateKey(rawRepresentation: app.random.bytes(32)), app: app, on: db)
    }

    func retire(_ organization: UUID, at time: Date, on db: any Database) async throws {
        try await SigningKeyRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$retiredAt == nil).set(\.$retiredAt, to: time)
            .update()
    }

    func history(_ organization: UUID?, on db: any Database) async throws -> [SigningKeyRecord] {
        let query = SigningKeyRecord.query(on: db)
        if let organization { query.filter(\.$organizationID == organization) }
        return try await query.sort(\.$createdAt).sort(\.$id).all()
    }

    func current(_ organization: UUID, on db: any Database) async throws -> SigningKeyRecord? {
        try await SigningKeyRecord.query(on: db).filter(\.$organizationID == organization).filter(\.$retiredAt == nil)
            .sort(\.$createdAt, .descending).first()
    }

    /// Stores `key` as the body's current key.
    func create(_ organization: UUID, key: Curve25519.Signing.PrivateKey, app: Application, on db: any Database) async throws -> (
        SigningKeyRecord, Curve25519.Signing.PrivateKey
    ) {
        let r = SigningKeyRecord()
        r.organizationID = organization
        r.publicMultibase = Multikey.encode(key.publicKey)
        r.privateSealed = try app.personalData.seal(key.rawRepresentation.base64EncodedString())
        try await r.create(on: db)
        return (r, key)
    }
}
