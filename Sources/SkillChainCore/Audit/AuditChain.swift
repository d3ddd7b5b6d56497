import Crypto
import Foundation

/// One entry of the hash-chained audit log. `hash` commits to every field and to `previousHash`.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var sequence: Int64
    public var occurredAtMillis: Int64
    public var actorUserID: String?
    public var actingMembershipID: String?
    public var action: String
    public var objectType: String
    public var objectID: String?
    public var outcome: String
    public var detail: String
    public var previousHash: String
    public var hash: String

    public init(
        sequence: Int64, occurredAtMillis: Int64, actorUserID: String?, actingMembershipID: String?,
        action: String, objectType: String, objectID: String?, outcome: String, detail: String,
        previousHash: String, hash: String = ""
    ) {
        self.sequence = sequence
        self.occurredAtMillis = occurredAtMillis
        self.actorUserID = actorUserID
        self.actingMembershipID = actingMembershipID
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.outcome = outcome
        self.detail = detail
        self.previousHash = previousHash
        self.hash = hash
    }
}

public enum AuditChain {
    /// The hash before the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// SHA-256 over length-prefixed fields, so no two different entries share an encoding.
    public static func computeHash(_ e: AuditEntry) -> String {
        let fields: [String] = [
            e.previousHash, String(e.sequence), String(e.occurredAtMillis), e.actorUserID ?? "",
            e.actingMembershipID ?? "", e.action, e.objectType, e.objectID ?? "", e.outcome, e.detail,
        ]
        var data = Data()
        for f in fields {
            let bytes = Data(f.utf8)
            data.append(contentsOf: "\(bytes.count):".utf8)
            data.append(bytes)
        }
        return Data(SHA256.hash(data: data)).hexString
    }

    /// Fills in `previousHash` and `hash` for the entry that follows `previous`.
    public static func seal(_ entry: AuditEntry, after previous: AuditEntry?) -> AuditEntry {
        var e = entry
        e.sequence = (previous?.sequence ?? 0) + 1
        e.previousHash = previous?.hash ?? genesis
        e.hash = computeHash(e)
        return e
    }

    public struct Verification: Sendable, Equatable {
        public enum Failure: String, Sendable { case sequenceGap, previousHashMismatch, hashMismatch }
        public let checked: Int
        /// Sequence number of the first entry that does not fit, if any.
        public let firstBroken: Int64?
        public let failure: Failure?
        public var isIntact: Bool { firstBroken == nil }
    }

    /// Walks entries in storage order (ascending sequence) and names the first one that breaks the chain:
    /// a changed entry fails its own hash, a deleted one leaves a gap, a reordered one points at the wrong predecessor.
    public static func verify<S: Sequence>(_ entries: S) -> Verification where S.Element == AuditEntry {
        var previousHash = genesis
        var expected: Int64 = 1
        var count = 0
        for e in entries {
            count += 1
            if e.sequence != expected {
                return Verification(checked: count, firstBroken: min(e.sequence, expected), failure: .sequenceGap)
            }
            if e.previousHash != previousHash {
                return Verification(checked: count, firstBroken: e.sequence, failure: .previousHashMismatch)
            }
            if computeHash(e) != e.hash {
                return Verification(checked: count, firstBroken: e.sequence, failure: .hashMismatch)
            }
            previousHash = e.hash
            expected += 1
        }
        return Verification(checked: count, firstBroken: nil, failure: nil)
    }
}
