import Crypto
import Fluent
import Foundation
import SkillChainCore
import Vapor

/// The public transparency log (issue 19): every certificate event is appended in the transaction of the event; a
/// checkpoint (a C2SP signed note over the tree's size and root) is signed with the platform's log key whenever the
/// log has grown; tiles and proofs let anyone check that an entry is there and that history was only ever appended to.
enum TransparencyLog {
    /// `<host>/skillchain`: the log's name in checkpoints and its key's name.
    static func origin(_ app: Application) -> String { "\(app.config.publicURL.host ?? "localhost")/skillchain" }

    // MARK: Entries (written by the certificate services, inside their transactions)

    /// What a certificate entry names its issuer by: the body's DID and its revocation list's address.
    static func issuer(_ organization: UUID, app: Application) -> (did: String, list: String) {
        (CertificateService(app).did(organization), CertificateService(app).statusListURL(organization, purpose: "revocation"))
    }

    static func certificateEntries(_ rows: [CertificateStore.Row], _ event: LogEntry.Event, app: Application, now: Date) -> [LogEntry] {
        // A batch has one issuer: its DID and list address are written once, not once per certificate.
        var issuers: [UUID: (did: String, list: String)] = [:]
        return rows.map { r in
            let issuer = issuers[r.organizationID] ?? Self.issuer(r.organizationID, app: app)
            issuers[r.organizationID] = issuer
            return .certificate(
                event, number: r.number, issuer: issuer.did, credential: r.credential, status: "\(issuer.list)#\(r.revocationIndex)", at: now)
        }
    }

    /// A status change, with the status-list entry it flips (a suspension and its lifting: the suspension list).
    static func statusEntry(_ c: CertificateRecord, from old: String, to status: CertificateStatus, app: Application, at now: Date) -> LogEntry {
        let suspended = status == .suspended || old == CertificateStatus.suspended.rawValue && status == .valid
        let purpose = suspended ? "suspension" : "revocation"
        let event: LogEntry.Event =
            switch status {
            case .revoked: .revoked
            case .suspended: .suspended
            case .valid: .reinstated
            }
        let list = CertificateService(app).statusListURL(c.organizationID, purpose: purpose)
        return .certificate(
            event, number: c.number, issuer: CertificateService(app).did(c.organizationID), credential: c.credential,
            status: "\(list)#\(suspended ? c.suspensionIndex : c.revocationIndex)", at: now)
    }

    static func append(_ entries: [LogEntry], on db: any Database) async throws {
        try await TransparencyLogStore(db).append(entries)
    }

    /// Appends the certificates noted by migration 0034 (issued before the log began), a thousand per transaction, each
    /// as issued or imported at its creation time, followed by its revocation or suspension if it has one. Answers how
    /// many certificates were appended.
    @discardableResult
    static func backfill(_ app: Application) async throws -> Int {
        var total = 0
        while true {
            let done = try await app.write { db -> Int in
                let store = TransparencyLogStore(db)
                let numbers = try await store.pendingBackfill(limit: 1000)
                guard !numbers.isEmpty else { return 0 }
                let certificates = try await CertificateRecord.query(on: db).filter(\.$number ~~ numbers).all()
                    .sorted { ($0.createdAt ?? .distantPast, $0.number) < ($1.createdAt ?? .distantPast, $1.number) }
                var entries: [LogEntry] = []
                for c in certificates {
                    let issuer = issuer(c.organizationID, app: app)
                    entries.append(
                        .certificate(
                            c.batchID == nil ? .imported : .issued, number: c.number, issuer: issuer.did, credential: c.credential,
                            status: "\(issuer.list)#\(c.revocationIndex)", at: c.createdAt ?? app.now))
                    if let status = CertificateStatus(rawValue: c.status), status != .valid {
                        entries.append(statusEntry(c, from: CertificateStatus.valid.rawValue, to: status, app: app, at: app.now))
                    }
                }
                try await store.append(entries)
                try await store.clearBackfill(numbers)
                return numbers.count
            }
            guard done > 0 else { return total }
            total += done
        }
    }

    // MARK: Key and checkpoints

    /// The log key, made (and sealed with the platform secret) on first use.
    static func key(_ app: Application) async throws -> Curve25519.Signing.PrivateKey {
        if let k = try await TransparencyLogStore(app.db).key() { return try open(k.privateSealed, app) }
        return try await app.write { db in
            let store = TransparencyLogStore(db)
            if let k = try await store.key() { return try open(k.privateSealed, app) }
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: app.random.bytes(32))
            try await store.saveKey(
                publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
                privateSealed: try app.personalData.seal(key.rawRepresentation.base64EncodedString()))
            return key
        }
    }

    private static func open(_ sealed: String, _ app: Application) throws -> Curve25519.Signing.PrivateKey {
        guard let raw = Data(base64Encoded: try app.personalData.open(sealed)) else { throw Abort(.internalServerError) }
        return try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
    }

    /// `<name>+<id>+<key>`: what a monitor pins.
    static func verifierKey(_ app: Application) async throws -> String {
        SignedNote.verifierKey(name: origin(app), publicKey: try await key(app).publicKey.rawRepresentation)
    }

    /// The signed checkpoint of the log as it is now (signed and kept when the log has grown since the last).
    static func checkpoint(_ app: Application) async throws -> (size: Int, note: String) {
        let store = TransparencyLogStore(app.db)
        let size = try await store.size()
        if let note = try await store.checkpoint(size: size) { return (size, note) }
        let root = try await store.tree(size: size).root()
        let note = try SignedNote.sign(Checkpoint(origin: origin(app), size: size, root: root).text, name: origin(app), key: try await key(app))
        try await app.write { db in try await TransparencyLogStore(db).saveCheckpoint(size: size, note: note) }
        return (size, note)
    }

    /// The C2SP tlog-proof of a certificate's newest event against the current checkpoint.
    static func proof(number: String, app: Application) async throws -> TlogProof {
        guard let index = try await TransparencyLogStore(app.db).latestIndex(number: number) else { throw DomainError.notFound }
        let (size, note) = try await checkpoint(app)
        let tree = try await TransparencyLogStore(app.db).tree(size: size, focus: [index])
        return TlogProof(index: index, hashes: try tree.inclusionProof(index), checkpoint: note)
    }

    // MARK: Tiles

    /// A hash tile (`level` ≥ 0) or an entry bundle (`level` -1) of `width` (256 for a full tile); nil when the log does
    /// not hold it (yet).
    static func tile(level: Int, index: Int, width: Int, app: Application) async throws -> Data? {
        guard (1...TilePath.width).contains(width), level >= -1, level <= 3 else { return nil }
        let store = TransparencyLogStore(app.db)
        let size = try await store.size()
        if level == -1 {
            let first = index * TilePath.width
            guard first + width <= size else { return nil }
            var out = Data()
            for e in try await store.entries(first..<(first + width)) {
                let bytes = Data(e.utf8)
                out.append(contentsOf: [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)])
                out.append(bytes)
            }
            return out
        }
        let span = StoredTree.span(level)
        let first = index * TilePath.width
        guard (first + width) * span <= size else { return nil }
        // Levels above the stored ones fold their 256 stored nodes each.
        let stored = min(level, StoredTree.storedLevels)
        let fold = StoredTree.span(level - stored)
        let nodes = try await store.nodes(level: stored, (first * fold)..<((first + width) * fold))
        var out = Data()
        for j in 0..<width { out.append(MerkleTree.root(nodes[(j * fold)..<((j + 1) * fold)])) }
        return out
    }
}
