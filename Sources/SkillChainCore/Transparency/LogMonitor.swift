import Foundation

/// What a bureau or any third party runs against the log (`skillchain log monitor`): the checkpoint must be signed by
/// the pinned key, the tree may only have grown since the last checkpoint seen, the served tiles must give the signed
/// root and hold the entries, every certificate the registry answers for must be logged, and every status list bit
/// must agree with the certificate's newest logged event. Reads through `fetch` (a path below the site; nil: 404).
public struct LogMonitor: Sendable {
    public struct State: Codable, Sendable, Equatable {
        public var size: Int
        public var root: String

        public init(size: Int, root: String) {
            self.size = size
            self.root = root
        }
    }

    public struct Report: Sendable {
        public var checkpoint: Checkpoint?
        public var entries = 0
        public var findings: [String] = []
        public var state: State?
    }

    public let name: String
    public let publicKey: Data
    public let fetch: @Sendable (String) async throws -> Data?

    public init(verifierKey: String, fetch: @escaping @Sendable (String) async throws -> Data?) throws {
        guard let key = SignedNote.parseVerifierKey(verifierKey) else { throw Problem.badKey }
        self.name = key.name
        self.publicKey = key.publicKey
        self.fetch = fetch
    }

    public enum Problem: Error { case badKey }

    /// One run: `numbers` are the certificate numbers the registry answers for (to find any the log lacks).
    public func run(previous: State?, numbers: [String] = []) async throws -> Report {
        var report = Report()
        guard let noteData = try await fetch("/log/checkpoint"), let note = String(data: noteData, encoding: .utf8) else {
            report.findings.append("no checkpoint at /log/checkpoint")
            return report
        }
        let checkpoint: Checkpoint
        do {
            guard let c = Checkpoint(text: try SignedNote.verify(note, name: name, publicKey: publicKey)), c.origin == name else {
                report.findings.append("the checkpoint is malformed or names another log")
                return report
            }
            checkpoint = c
        } catch {
            report.findings.append("the checkpoint is not signed by the pinned key (\(error))")
            return report
        }
        report.checkpoint = checkpoint
        // The leaf hashes, tile by tile.
        var hashes: [Data] = []
        var entries: [String] = []
        let tiles = (checkpoint.size + TilePath.width - 1) / TilePath.width
        for n in 0..<tiles {
            let width = min(TilePath.width, checkpoint.size - n * TilePath.width)
            let partial = width < TilePath.width ? width : nil
            guard let tile = try await fetch("/log/" + TilePath.tile(level: 0, index: n, partial: partial)), tile.count == width * 32,
                let bundle = try await fetch("/log/" + TilePath.tile(level: -1, index: n, partial: partial))
            else {
                report.findings.append("tile \(n) is missing or short")
                return report
            }
            hashes += stride(from: 0, to: tile.count, by: 32).map { Data(tile[tile.startIndex + $0..<tile.startIndex + $0 + 32]) }
            var rest = bundle[...]
            while rest.count >= 2 {
                let length = Int(rest[rest.startIndex]) << 8 | Int(rest[rest.startIndex + 1])
                let entry = rest.dropFirst(2).prefix(length)
                entries.append(String(decoding: entry, as: UTF8.self))
                rest = rest.dropFirst(2 + length)
            }
        }
        report.entries = entries.count
        if MerkleTree.root(hashes) != checkpoint.root { report.findings.append("the tiles do not give the signed root") }
        if entries.count != hashes.count || zip(entries, hashes).contains(where: { MerkleTree.leafHash(Data($0.utf8)) != $1 }) {
            report.findings.append("the entry bundles do not match the hash tiles")
        }
        if let previous {
            if checkpoint.size < previous.size {
                report.findings.append("the log shrank from \(previous.size) to \(checkpoint.size) entries")
            } else if MerkleTree.root(hashes.prefix(previous.size)).base64EncodedString() != previous.root {
                report.findings.append("the first \(previous.size) entries are not those of the last checkpoint seen: history was rewritten")
            }
        }
        // The newest event of each certificate, and the status lists against it.
        var latest: [String: LogEntry] = [:]
        for case let e? in entries.map(LogEntry.init(text:)) { if let number = e.number { latest[number] = e } }
        for number in numbers where latest[number] == nil {
            report.findings.append("certificate \(number) is answered for but not in the log")
        }
        var lists: [String: BitstringStatusList] = [:]
        for (number, e) in latest.sorted(by: { $0.key < $1.key }) {
            guard let status = e.fields.first(where: { $0.0 == "status" })?.1, let hash = status.lastIndex(of: "#"),
                let index = Int(status[status.index(after: hash)...]), let url = URL(string: String(status[..<hash]))
            else { continue }
            let path = url.path
            if lists[path] == nil, let data = try await fetch(path),
                let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let subject = json["credentialSubject"] as? [String: Any], let encoded = subject["encodedList"] as? String
            {
                lists[path] = BitstringStatusList(encodedList: encoded)
            }
            guard let list = lists[path] else { continue }
            let expected = path.hasSuffix("-suspension") ? e.event == .suspended : e.event == .revoked
            if list[index] != expected {
                report.findings.append(
                    "certificate \(number): the status list says \(list[index] ? "set" : "clear"), the log's last event is \(e.event.rawValue)")
            }
        }
        report.state = State(size: checkpoint.size, root: checkpoint.root.base64EncodedString())
        return report
    }
}
