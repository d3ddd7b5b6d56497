import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import SkillChainCore

/// What a mail server said to one message: accepted, try later (a 4xx or a broken connection), or never (a 5xx).
enum MailOutcome: Sendable, Equatable {
    case accepted
    case transient(String)
    case permanent(String)
}

/// Sends e-mail: one session per round of the outbox, several messages in it.
protocol MailTransport: Sendable {
    func open() async throws -> any MailSession
}

protocol MailSession: AnyObject {
    func send(_ message: MailMessage) async throws -> MailOutcome
    func close() async
}

/// SMTP (RFC 5321) over SwiftNIO: EHLO, STARTTLS (RFC 3207) or TLS from the start, AUTH PLAIN (RFC 4954), then MAIL,
/// RCPT and DATA per message with dot-stuffing. A reply not seen within `timeout` closes the connection.
struct SMTPTransport: MailTransport {
    let settings: SMTPSettings
    let group: any EventLoopGroup
    var timeout: TimeAmount = .seconds(30)

    func open() async throws -> any MailSession {
        let session = SMTPSession(settings: settings, timeout: timeout)
        try await session.connect(group: group)
        return session
    }
}

struct SMTPReply: Sendable {
    let code: Int
    let lines: [String]
    var text: String { "\(code) " + lines.joined(separator: " / ") }
}

enum SMTPFailure: Error, CustomStringConvertible {
    case unexpected(String, SMTPReply)
    case closed
    case timedOut
    case tlsRequired
    case authWithoutTLS

    var description: String {
        switch self {
        case .unexpected(let step, let reply): "\(step): \(reply.text)"
        case .closed: "the server closed the connection"
        case .timedOut: "no reply from the server in time"
        case .tlsRequired: "the server does not offer STARTTLS (starttls=required)"
        case .authWithoutTLS: "refusing to send a password over an unencrypted connection (insecure-auth=1 allows it)"
        }
    }
}

final class SMTPSession: MailSession {
    let settings: SMTPSettings
    let timeout: TimeAmount
    private var channel: (any Channel)?
    private var replies: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator?
    private var encrypted = false

    init(settings: SMTPSettings, timeout: TimeAmount) {
        self.settings = settings
        self.timeout = timeout
    }

    private func tlsContext() throws -> NIOSSLContext {
        var config = TLSConfiguration.makeClientConfiguration()
        if let ca = settings.caFile { config.trustRoots = .file(ca) }
        return try NIOSSLContext(configuration: config)
    }

    func connect(group: any EventLoopGroup) async throws {
        let (stream, continuation) = AsyncThrowingStream<SMTPReply, any Error>.makeStream()
        let tls = settings.security == .tls ? try tlsContext() : nil
        let timeout = self.timeout
        let host = settings.host
        let channel = try await ClientBootstrap(group: group).connectTimeout(timeout).channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls { try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: host)) }
                try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: timeout))
                try channel.pipeline.syncOperations.addHandler(SMTPReplyHandler(continuation))
            }
        }.connect(host: settings.host, port: settings.port).get()
        self.channel = channel
        self.replies = stream.makeAsyncIterator()
        encrypted = tls != nil
        try await expect(220, "greeting")
        var capabilities = try await ehlo()
        if case .startTLS(let required) = settings.security {
            if capabilities.contains("STARTTLS") {
                try await command("STARTTLS", expect: 220)
                let tls = try tlsContext()
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: host), position: .first)
                }.get()
                encrypted = true
                capabilities = try await ehlo()
            } else if required {
                throw SMTPFailure.tlsRequired
            }
        }
        if let user = settings.username {
            guard encrypted || settings.insecureAuth else { throw SMTPFailure.authWithoutTLS }
            let token = Data(("\0" + user + "\0" + (settings.password ?? "")).utf8).base64EncodedString()
            try await command("AUTH PLAIN " + token, expect: 235, step: "AUTH")
        }
    }

    /// The server's extensions (the words after the first line of its EHLO reply).
    private func ehlo() async throws -> Set<String> {
        let reply = try await command("EHLO skillchain", expect: 250)
        return Set(reply.lines.dropFirst().compactMap { $0.split(separator: " ").first.map { $0.uppercased() } })
    }

    func send(_ message: MailMessage) async throws -> MailOutcome {
        for (line, code) in [("MAIL FROM:<\(message.fromAddress)>", 250), ("RCPT TO:<\(message.to)>", 250), ("DATA", 354)] {
            let reply = try await command(line, expect: nil)
            if reply.code != code { return try await refused(reply) }
        }
        // Dot-stuffing (RFC 5321 §4.5.2): a line that starts with "." gets another.
        let body = message.rendered.replacingOccurrences(of: "\r\n.", with: "\r\n..")
        try await write((body.hasPrefix(".") ? "." : "") + body + ".\r\n")
        let reply = try await next()
        return reply.code == 250 ? .accepted : try await refused(reply)
    }

    private func refused(_ reply: SMTPReply) async throws -> MailOutcome {
        _ = try await command("RSET", expect: 250)
        return reply.code >= 500 ? .permanent(reply.text) : .transient(reply.text)
    }

    func close() async {
        guard let channel else { return }
        _ = try? await command("QUIT", expect: nil)
        try? await channel.close()
        self.channel = nil
    }

    deinit { channel?.close(promise: nil) }

    @discardableResult
    private func command(_ line: String, expect code: Int?, step: String? = nil) async throws -> SMTPReply {
        try await write(line + "\r\n")
        let reply = try await next()
        if let code, reply.code != code { throw SMTPFailure.unexpected(step ?? String(line.prefix(10)), reply) }
        return reply
    }

    private func expect(_ code: Int, _ step: String) async throws {
        let reply = try await next()
        if reply.code != code { throw SMTPFailure.unexpected(step, reply) }
    }

    private func write(_ text: String) async throws {
        guard let channel else { throw SMTPFailure.closed }
        try await channel.writeAndFlush(ByteBuffer(string: text))
    }

    private func next() async throws -> SMTPReply {
        guard var replies, let reply = try await replies.next() else { throw SMTPFailure.closed }
        self.replies = replies
        return reply
    }
}

/// Cuts the server's bytes into lines and lines into replies (`250-…` continues, `250 …` ends one).
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation
    private var pending = ""
    private var lines: [String] = []

    init(_ continuation: AsyncThrowingStream<SMTPReply, any Error>.Continuation) { self.continuation = continuation }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readString(length: buffer.readableBytes) ?? ""
        while let end = pending.range(of: "\r\n") {
            let line = String(pending[..<end.lowerBound])
            pending.removeSubrange(..<end.upperBound)
            guard line.count >= 3, let code = Int(line.prefix(3)) else { continue }
            lines.append(line.count > 4 ? String(line.dropFirst(4)) : "")
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                continuation.yield(SMTPReply(code: code, lines: lines))
                lines = []
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            continuation.finish(throwing: SMTPFailure.timedOut)
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish(throwing: SMTPFailure.closed)
        context.fireChannelInactive()
    }
}
