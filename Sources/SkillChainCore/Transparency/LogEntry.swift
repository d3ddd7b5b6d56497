import Crypto
import Foundation

/// One entry of the public transparency log: a certificate event, a signing key rotated, or the audit chain's head.
/// Plain text, one `name value` line each after the format line; only what is public (numbers, the issuer's DID, the
/// SHA-256 of the credential's canonical bytes, the status-list entry, the time), never a name, ID number or reason.
public struct LogEntry: Sendable, Equatable {
    public enum Event: String, Sendable, CaseIterable {
        case issued, imported, revoked, suspended, reinstated, keyRotated, auditHead
    }

    public static let format = "skillchain.log/v1"

    public let event: Event
    /// The fields after `event`, in their order.
    public let fields: [(String, String)]

    public static func == (a: LogEntry, b: LogEntry) -> Bool { a.text == b.text }

    public init(event: Event, fields: [(String, String)]) {
        self.event = event
        self.fields = fields
    }

    /// A certificate's event.
    public static func certificate(
        _ event: Event, number: String, issuer: String, credential: String, status: String, at time: Date
    ) -> LogEntry {
        LogEntry(
            event: event,
            fields: [
                ("number", number), ("issuer", issuer),
                ("credential", "sha256:" + SHA256.hash(data: Data(credential.utf8)).lowerHex),
                ("status", status), ("time", Self.time(time)),
            ])
    }

    public static func keyRotated(issuer: String, key: String, at time: Date) -> LogEntry {
        LogEntry(event: .keyRotated, fields: [("issuer", issuer), ("key", key), ("time", Self.time(time))])
    }

    public static func auditHead(sequence: Int64, hash: String, at time: Date) -> LogEntry {
        LogEntry(event: .auditHead, fields: [("sequence", String(sequence)), ("hash", hash), ("time", Self.time(time))])
    }

    /// The certificate number, for a certificate's event.
    public var number: String? { fields.first { $0.0 == "number" }?.1 }

    public var text: String {
        ([Self.format, "event \(event.rawValue)"] + fields.map { "\($0.0) \($0.1)" }).joined(separator: "\n") + "\n"
    }

    public init?(text: String) {
        var lines = text.split(separator: "\n").map(String.init)
        guard lines.first == Self.format, lines.count >= 2 else { return nil }
        lines.removeFirst()
        let pairs = lines.map { line -> (String, String) in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts.first ?? ""), parts.count > 1 ? String(parts[1]) : "")
        }
        guard pairs.first?.0 == "event", let event = Event(rawValue: pairs[0].1) else { return nil }
        self.init(event: event, fields: Array(pairs.dropFirst()))
    }

    static func time(_ date: Date) -> String { UTCTimestamp.string(date) }
}

/// A C2SP `tlog-proof`: the entry's index, its inclusion proof and the signed checkpoint it was proven against.
public struct TlogProof: Sendable, Equatable {
    public let index: Int
    public let hashes: [Data]
    /// The signed checkpoint note.
    public let checkpoint: String

    public init(index: Int, hashes: [Data], checkpoint: String) {
        self.index = index
        self.hashes = hashes
        self.checkpoint = checkpoint
    }

    public var text: String {
        (["c2sp.org/tlog-proof@v1", "index \(index)"] + hashes.map { $0.base64EncodedString() }).joined(separator: "\n") + "\n\n" + checkpoint
    }

    public init?(text: String) {
        guard let split = text.range(of: "\n\n") else { return nil }
        let head = text[..<split.lowerBound].split(separator: "\n").map(String.init)
        guard head.first == "c2sp.org/tlog-proof@v1" else { return nil }
        var rest = head.dropFirst()
        if rest.first?.hasPrefix("extra ") == true { rest = rest.dropFirst() }
        guard let line = rest.first, line.hasPrefix("index "), let index = Int(line.dropFirst(6)) else { return nil }
        let hashes = rest.dropFirst().compactMap { Data(base64Encoded: $0) }
        guard hashes.count == rest.count - 1, hashes.allSatisfy({ $0.count == 32 }) else { return nil }
        self.init(index: index, hashes: hashes, checkpoint: String(text[split.upperBound...]))
    }
}
