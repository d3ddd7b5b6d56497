import Logging
import SkillChainCore
import Vapor

/// One id per request, on the response (`X-Request-Id`), in every log line of the request and in problem bodies, so an
/// operator finds what a user reports. A trusted proxy's `X-Request-Id` is kept; anyone else's is replaced.
struct RequestIDMiddleware: AsyncMiddleware {
    static let header = "X-Request-Id"

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let peer = req.remoteAddress?.ipAddress ?? ""
        let trusted = req.application.config.trustedProxies.contains { $0.contains(peer) }
        let given = req.headers.first(name: Self.header).flatMap { Self.acceptable($0) ? $0 : nil }
        // Vapor takes `X-Request-Id` from any client; only a trusted proxy's is kept, anyone else gets a new one.
        let id = (trusted ? given : nil) ?? req.application.random.uuid().uuidString.lowercased()
        req.requestID = id
        req.logger[metadataKey: "request-id"] = .string(id)
        let response = try await next.respond(to: req)
        response.headers.replaceOrAdd(name: Self.header, value: id)
        return response
    }

    /// A proxy's id is kept only when short and plain (no spaces or control characters that could forge log lines).
    static func acceptable(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 128 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }
    }
}

extension Request {
    private struct RequestIDKey: StorageKey { typealias Value = String }
    /// The id of this request (see `RequestIDMiddleware`).
    var requestID: String {
        get { storage[RequestIDKey.self] ?? id }
        set { storage[RequestIDKey.self] = newValue }
    }
}

/// `SKILLCHAIN_LOG_FORMAT=json`: one JSON object per line on standard error (time, level, label, message, metadata),
/// for log collectors.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        guard
            let data = Self.line(
                label: label, level: level, message: message.description,
                metadata: metadata.merging(explicit ?? [:], uniquingKeysWith: { $1 }))
        else { return }
        FileHandle.standardError.write(data)
    }

    /// One log line: a JSON object with the time, level, label, message and every metadata value, and a newline.
    static func line(label: String, level: Logger.Level, message: String, metadata: Logger.Metadata, now: Date = SystemClock().now()) -> Data? {
        var fields: [String: String] = [:]
        for (k, v) in metadata { fields[k] = "\(v)" }
        fields["time"] = ISO8601DateFormatter().string(from: now)
        fields["level"] = level.rawValue
        fields["label"] = label
        fields["message"] = message
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var data = try? encoder.encode(fields) else { return nil }
        data.append(0x0A)
        return data
    }
}
