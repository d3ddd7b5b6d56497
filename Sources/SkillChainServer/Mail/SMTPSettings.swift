import Foundation
import SkillChainCore

/// Where e-mail goes, read from `SKILLCHAIN_SMTP_URL`:
/// `smtp://user:password@host:587?from=noreply@example.cn` (STARTTLS when the server offers it; `starttls=required`
/// refuses a server that does not), `smtps://…:465` (TLS from the first byte). `from` is the sender address, `name`
/// its display name (default: the platform's name), `ca` a PEM file of the certificate authorities to trust instead of
/// the system's. A password is refused over a connection that is not encrypted unless `insecure-auth=1` (a relay on
/// loopback).
struct SMTPSettings: Sendable, Equatable {
    enum Security: Sendable, Equatable {
        case startTLS(required: Bool)
        case tls
    }

    var host: String
    var port: Int
    var security: Security
    var username: String?
    var password: String?
    var from: String
    var fromName: String?
    var caFile: String?
    var insecureAuth = false

    struct Invalid: Error, CustomStringConvertible {
        let reason: String
        var description: String { "SKILLCHAIN_SMTP_URL: \(reason)" }
    }

    init(url raw: String) throws {
        guard let url = URLComponents(string: raw), let scheme = url.scheme?.lowercased(), scheme == "smtp" || scheme == "smtps",
            let host = url.host, !host.isEmpty
        else {
            throw Invalid(reason: "an smtp:// or smtps:// address with a host, e.g. smtp://user:pass@mail.example.cn:587?from=noreply@example.cn")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
        self.host = host
        self.security = scheme == "smtps" ? .tls : .startTLS(required: query["starttls"] == "required")
        self.port = url.port ?? (scheme == "smtps" ? 465 : 587)
        self.username = url.user.flatMap { $0.removingPercentEncoding }
        self.password = url.password.flatMap { $0.removingPercentEncoding }
        guard let from = query["from"].flatMap({ try? EmailAddress.normalise($0) }) else {
            throw Invalid(reason: "name the sender with ?from=address (a valid e-mail address)")
        }
        self.from = from
        self.fromName = query["name"].flatMap { $0.isEmpty ? nil : $0 }
        self.caFile = query["ca"].flatMap { $0.isEmpty ? nil : $0 }
        self.insecureAuth = query["insecure-auth"] == "1"
        if let ca = caFile, !FileManager.default.isReadableFile(atPath: ca) { throw Invalid(reason: "ca=\(ca) is not a readable file") }
    }
}
