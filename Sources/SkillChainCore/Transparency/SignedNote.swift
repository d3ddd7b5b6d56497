import Crypto
import Foundation

/// C2SP signed notes and tlog checkpoints: the note text, then a blank line and one `— <name> <base64(key id ‖
/// signature)>` line per signature. An Ed25519 key's id is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0..<4]; its verifier
/// key text is `<name>+<hex id>+<base64(0x01 ‖ public key)>`.
public enum SignedNote {
    public static func keyID(name: String, publicKey: Data) -> Data {
        Data(SHA256.hash(data: Data(name.utf8) + [0x0A, 0x01] + publicKey).prefix(4))
    }

    public static func verifierKey(name: String, publicKey: Data) -> String {
        "\(name)+\(keyID(name: name, publicKey: publicKey).map { String(format: "%02x", $0) }.joined())+"
            + (Data([0x01]) + publicKey).base64EncodedString()
    }

    /// Parses a verifier key; nil unless well formed, Ed25519 and with the id its name and key give.
    public static func parseVerifierKey(_ text: String) -> (name: String, publicKey: Data)? {
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)  // base64 may hold "+"
        guard parts.count == 3, let raw = Data(base64Encoded: String(parts[2])), raw.count == 33, raw.first == 0x01 else { return nil }
        let name = String(parts[0])
        let key = raw.dropFirst()
        guard keyID(name: name, publicKey: Data(key)).map({ String(format: "%02x", $0) }).joined() == parts[1] else { return nil }
        return (name, Data(key))
    }

    /// The text (ending in a newline) signed by `key` under `name`.
    public static func sign(_ text: String, name: String, key: Curve25519.Signing.PrivateKey) throws -> String {
        precondition(text.hasSuffix("\n"))
        let signature = try key.signature(for: Data(text.utf8))
        let id = keyID(name: name, publicKey: key.publicKey.rawRepresentation)
        return text + "\n— \(name) \((id + signature).base64EncodedString())\n"
    }

    public enum Problem: String, Error, Sendable {
        case malformed = "note.malformed"
        case unsigned = "note.unsignedByKey"
        case badSignature = "note.badSignature"
    }

    /// The note's text when `name`'s key signed it (other keys' lines are ignored).
    public static func verify(_ note: String, name: String, publicKey: Data) throws(Problem) -> String {
        guard let split = note.range(of: "\n\n", options: .backwards) else { throw .malformed }
        let text = String(note[..<split.lowerBound]) + "\n"
        let id = keyID(name: name, publicKey: publicKey)
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { throw .malformed }
        var seen = false
        for line in note[split.upperBound...].split(separator: "\n") {
            guard line.hasPrefix("— ") else { throw .malformed }
            let fields = line.dropFirst(2).split(separator: " ")
            guard fields.count == 2, String(fields[0]) == name, let blob = Data(base64Encoded: String(fields[1])), blob.count > 4,
                blob.prefix(4) == id
            else { continue }
            seen = true
            if key.isValidSignature(blob.dropFirst(4), for: Data(text.utf8)) { return text }
        }
        throw seen ? .badSignature : .unsigned
    }
}

/// A tlog checkpoint's body: origin, tree size, base64 root hash.
public struct Checkpoint: Sendable, Equatable {
    public let origin: String
    public let size: Int
    public let root: Data

    public init(origin: String, size: Int, root: Data) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    public var text: String { "\(origin)\n\(size)\n\(root.base64EncodedString())\n" }

    public init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 4, let size = Int(lines[1]), size >= 0, let root = Data(base64Encoded: String(lines[2])), root.count == 32
        else { return nil }
        self.init(origin: String(lines[0]), size: size, root: root)
    }
}
