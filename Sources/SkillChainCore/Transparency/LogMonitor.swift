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
        // The leaf hashes and entries, tile by tile (sixteen fetched at once); of each certificate only its newest event
        // is kept.
        var hashes: [Data] = []
        var latest: [String: LogEntry] = [:]
        var bundlesMatch = true
        let tiles = (checkpoint.size + TilePath.width - 1) / TilePath.width
        for window in stride(from: 0, to: tiles, by: 16) {
            let fetched = try await withThrowingTaskGroup(of: (Int, Data?, Data?).self) { group in
                for n in window..<min(window + 16, tiles) {
                    let width = min(TilePath.width, checkpoint.size - n * TilePath.width)
                    let partial = width < TilePath.width ? width : nil
                    group.addTask {
                        async let tile = fetch("/log/" + TilePath.tile(level: 0, index: n, partial: partial))
                        async let bundle = fetch("/log/" + TilePath.tile(level: -1, index: n, partial: partial))
                        return (n, try await tile, try await bundle)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }.sorted { $0.0 < $1.0 }
            }
            for (n, tile, bundle) in fetched {
                let width = min(TilePath.width, checkpoint.size - n * TilePath.width)
                guard let tile, tile.count == width * 32, let bundle else {
                    report.findings.append("tile \(n) is missing or short")
                    return report
                }
                let tileHashes = stride(from: 0, to: tile.count, by: 32).map { Data(tile[(tile.startIndex + $0)..<(tile.startIndex + $0 + 32)]) }
                hashes += tileHashes
                var rest = bundle[...]
                var count = 0
                while rest.count >= 2 {
                    let length = Int(rest[rest.startIndex]) << 8 | Int(rest[rest.startIndex + 1])
                    let entry = Data(rest.dropFirst(2).prefix(length))
                    rest = rest.dropFirst(2 + length)
                    if count >= width || MerkleTree.leafHash(entry) != tileHashes[count] { bundlesMatch = false }
                    count += 1
                    if let e = LogEntry(text: String(decoding: entry, as: UTF8.self)), let number = e.number { latest[number] = e }
                }
                if count != width { bundlesMatch = false }
                report.entries += count
            }
        }
        if MerkleTree.root(hashes) != checkpoint.root { report.findings.append("the tiles do not give the signed root") }
        if !bundlesMatch { report.findings.append("the entry bundles do not match the hash tiles") }
        if let previous {
            if checkpoint.size < previous.size {
                report.findings.append("the log shrank from \(previous.size) to \(checkpoint.size) entries")
            } else if MerkleTree.root(hashes.prefix(previous.size)).base64EncodedString() != previous.root {
                report.findings.append("the first \(previous.size) entries are not those of the last checkpoint seen: history was rewritten")
            }
        }
        // The status lists against each certificate's newest event.
        for number in numbers where latest[number] == nil {
            report.findings.append("certificate \(number) is answered for but not in the log")
        }
        var lists: [String: BitstringStatusList?] = [:]  // nil inside: fetched, not there
        for (number, e) in latest.sorted(by: { $0.key < $1.key }) {
            guard let status = e.fields.first(where: { $0.0 == "status" })?.1, let hash = status.lastIndex(of: "#"),
                let index = Int(status[status.index(after: hash)...]), let url = URL(string: String(status[..<hash]))
            else { continue }
            let path = url.path
            if lists[path] == nil {
                let json = try await fetch(path).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
                let encoded = (json?["credentialSubject"] as? [String: Any])?["encodedList"] as? String
                lists[path] = .some(encoded.flatMap(BitstringStatusList.init(encodedList:)))
            }
            guard let found = lists[path], let list = found, index >= 0, index < BitstringStatusList.size else { continue }
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
