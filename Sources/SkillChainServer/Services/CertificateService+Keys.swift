import Crypto
import Fluent
import Foundation
import SkillChainCore
import Vapor

extension CertificateService {
    func baseURL() -> String {
        var s = app.config.publicURL.absoluteString
        while s.hasSuffix("/") { s.removeLast() }
        return s
    }

    /// `did:web:<host>[%3A<port>]:orgs:`, the start of every body's identifier on this platform.
    func didPrefix() -> String {
        let url = app.config.publicURL
        var host = url.host ?? "127.0.0.1"
        if let port = url.port { host += "%3A\(port)" }
        return "did:web:\(host):orgs:"
    }

    /// `did:web:<host>[%3A<port>]:orgs:<id>`, resolved at `<base>/orgs/<id>/did.json`.
    func did(_ organization: UUID) -> String { didPrefix() + organization.uuidString.lowercased() }

    func statusListURL(_ organization: UUID, purpose: String) -> String {
        baseURL() + SiteURL.statusList("\(organization.uuidString.lowercased())-\(purpose)").path
    }

    /// The body's current signing key, from the application's key store (created on first use).
    func activeKey(_ organization: UUID, on db: any Database) async throws -> (
        SigningKeyRecord, Curve25519.Signing.PrivateKey
    ) {
        try await app.dependencies.signingKeys.activeKey(organization, app: app, on: db)
    }

    /// Retires the current key and makes a new one; old public keys stay in the DID document.
    func rotate(_ organization: UUID, actor: Actor?) async throws -> String {
        try await app.write { db in
            try await app.dependencies.signingKeys.retire(organization, at: app.now, on: db)
            let (k, _) = try await activeKey(organization, on: db)
            try await TransparencyLog.append([.keyRotated(issuer: did(organization), key: k.publicMultibase, at: app.now)], on: db)
            try await AuditLog.append(
                .init(
                    action: "keys.rotated", objectType: "organization", objectID: organization.uuidString.lowercased(),
                    detail: ["key": k.publicMultibase]), actor: actor, on: db, now: app.now)
            return k.publicMultibase
        }
    }

    /// The DID document: every key (current and retired) as a `Multikey` in `verificationMethod` and `assertionMethod`.
    func didDocument(_ organization: UUID) async throws -> JSONValue {
        guard try await OrganizationRecord.find(organization, on: app.db) != nil else { throw DomainError.notFound }
        let id = did(organization)
        let keys = try await app.dependencies.signingKeys.history(organization, on: app.db)
        let methods: [JSONValue] = keys.map { k in
            .object([
                "id": .string("\(id)#\(k.publicMultibase)"), "type": .string("Multikey"), "controller": .string(id),
                "publicKeyMultibase": .string(k.publicMultibase),
            ])
        }
        return .object([
            "@context": .array([.string("https://www.w3.org/ns/did/v1"), .string("https://w3id.org/security/multikey/v1")]),
            "id": .string(id), "verificationMethod": .array(methods),
            "assertionMethod": .array(keys.map { .string("\(id)#\($0.publicMultibase)") }),
        ])
    }

    // MARK: Issuance

    /// The printed certificate's offline record (`SC1:`…), signed with the body's current key.
    func compactRecord(_ c: CertificateRecord) async throws -> String {
        let (_, key) = try await app.write { db in try await activeKey(c.organizationID, on: db) }
        let claims = CompactCertificate.Claims(
            number: c.number, holder: c.holderName, occupationCode: c.occupationCode, occupation: c.occupationName, level: c.level,
            issued: c.issueDate, issuer: did(c.organizationID), validUntil: c.validUntil)
        return try CompactCertificate.encode(claims, key: key)
    }
}

extension CertificateService {
    /// The trust list of the offline verifier: every body that has a signing key, with all its keys, signed with the
    /// platform's log key (the key a monitor and the offline page pin).
    func trustList() async throws -> String {
        let keys = try await app.dependencies.signingKeys.history(nil, on: app.db)
        let names = try await OrganizationRecord.query(on: app.db).filter(\.$id ~~ Set(keys.map(\.organizationID))).all()
            .reduce(into: [UUID: String]()) { $0[$1.id!] = $1.name }
        let time = ISO8601DateFormatter()
        let bodies = Dictionary(grouping: keys, by: \.organizationID).sorted { $0.key.uuidString < $1.key.uuidString }.map { org, keys in
            TrustList.Body(
                did: did(org), name: names[org] ?? "",
                keys: keys.compactMap { k in
                    Multikey.decode(k.publicMultibase).map {
                        .init(
                            publicKey: $0.rawRepresentation, created: k.createdAt.map(time.string) ?? "", retired: k.retiredAt.map(time.string))
                    }
                })
        }
        let list = TrustList(issued: time.string(from: app.now), bodies: bodies)
        return try list.signed(name: TransparencyLog.origin(app), key: try await TransparencyLog.key(app))
    }
}
