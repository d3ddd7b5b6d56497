import Foundation
import SkillChainCore
import Vapor

/// `skillchain log monitor --url https://… --key <verifier key> [--state FILE] [--numbers FILE]`: checks a SkillChain
/// transparency log from outside (see `LogMonitor`). The key is pinned by whoever runs it (from the operator's README,
/// never from the server being checked); `--state` keeps the last checkpoint seen, so a rewritten history shows;
/// `--numbers` lists the certificate numbers the registry answers for, one per line. Exits non-zero on any finding.
/// `skillchain log key` prints this platform's verifier key.
struct LogCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "monitor | key") var action: String
        @Option(name: "url", help: "the platform's address") var url: String?
        @Option(name: "key", help: "the log's verifier key (name+id+key)") var key: String?
        @Option(name: "state", help: "file keeping the last checkpoint seen") var state: String?
        @Option(name: "numbers", help: "file of certificate numbers, one per line") var numbers: String?
    }
    var help: String { "Monitors a transparency log, or prints this platform's log key." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        switch signature.action {
        case "key":
            try await app.migrateDatabase()
            context.console.print(try await TransparencyLog.verifierKey(app))
        case "monitor":
            guard let base = signature.url.map({ $0.hasSuffix("/") ? String($0.dropLast()) : $0 }), let key = signature.key else {
                throw CLIError(message: "log monitor needs --url and --key")
            }
            let client = app.client
            let monitor = try LogMonitor(verifierKey: key) { path in
                let res = try await client.get(URI(string: base + path))
                guard res.status == .ok, var body = res.body else { return nil }
                return body.readData(length: body.readableBytes)
            }
            let previous = try signature.state.flatMap { path in
                FileManager.default.fileExists(atPath: path)
                    ? try JSONDecoder().decode(LogMonitor.State.self, from: Data(contentsOf: URL(fileURLWithPath: path))) : nil
            }
            let numbers =
                try signature.numbers.map {
                    try String(contentsOfFile: $0, encoding: .utf8).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                        .filter { !$0.isEmpty }
                } ?? []
            let report = try await monitor.run(previous: previous, numbers: numbers)
            if let size = report.checkpoint?.size {
                context.console.print("checkpoint: \(size) entries, signature good; \(report.entries) entries read")
            }
            if let state = signature.state, let s = report.state, report.findings.isEmpty {
                try JSONEncoder().encode(s).write(to: URL(fileURLWithPath: state))
            }
            for f in report.findings { context.console.print("finding: \(f)") }
            if !report.findings.isEmpty { throw CLIError(message: "\(report.findings.count) finding(s)") }
            context.console.print("no findings")
        default:
            throw CLIError(message: "unknown action \(signature.action); use: log monitor --url … --key …, or log key")
        }
    }
}
