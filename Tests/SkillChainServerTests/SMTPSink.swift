import Foundation
import Testing

@testable import SkillChainServer

/// A real SMTP server on loopback (`scripts/smtp-sink`, aiosmtpd) that keeps what it receives; the messages are read
/// back through Python's `email` parser, not ours.
final class SMTPSink: @unchecked Sendable {
    let port: Int
    let directory: String
    let process: Process
    private let stdin: Pipe
    /// A self-signed certificate for `localhost` (when started with TLS), which the client is told to trust.
    let certificate: String?

    // swift-format-ignore: AlwaysUseLowerCamelCase
    struct Message: Decodable {
        let mail_from: String
        let rcpt_tos: [String]
        let login: String?
        let tls: Bool
        let subject: String
        let to: String
        let sender: String
        let message_id: String
        let language: String
        let text: String?
        let html: String?
        let defects: [String]
    }

    static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/smtp-sink").path
    }

    /// Starts a sink; with `user`, AUTH is required; with `tls`, STARTTLS is offered and required.
    init(user: String? = nil, password: String? = nil, tls: Bool = false, delay: Double = 0) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var args = [Self.script, "--dir", directory + "/mail", "--delay", String(delay)]
        if let user, let password { args += ["--user", user, "--password", password] }
        if tls {
            let cert = directory + "/cert.pem"
            let key = directory + "/key.pem"
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            openssl.arguments = [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", cert,
            ]
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            args += ["--cert", cert, "--key", key]
            certificate = cert
        } else {
            certificate = nil
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + args
        let out = Pipe()
        stdin = Pipe()
        process.standardOutput = out
        process.standardInput = stdin
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let words = String(decoding: line, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.first == "ready", let port = words.dropFirst().first.flatMap({ Int($0) }) else {
            process.terminate()
            throw SinkFailed(output: String(decoding: line, as: UTF8.self))
        }
        self.port = port
    }

    struct SinkFailed: Error { let output: String }

    /// `SKILLCHAIN_SMTP_URL` for this sink.
    func url(user: String? = nil, password: String? = nil, from: String = "noreply@skillchain.test", extra: String = "") -> String {
        let auth = user.map { "\($0):\(password ?? "")@" } ?? ""
        let ca = certificate.map { "&ca=\($0)&starttls=required" } ?? "&insecure-auth=1"
        return "smtp://\(auth)localhost:\(port)?from=\(from)\(ca)\(extra)"
    }

    func messages() throws -> [Message] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.script, "--dir", directory + "/mail", "--dump"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONDecoder().decode([Message].self, from: data)
    }

    func stop() {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
