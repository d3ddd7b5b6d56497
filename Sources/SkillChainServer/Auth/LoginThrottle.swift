import Fluent
import Vapor

/// Thrown when an account or a client address has failed too often; answered 429 + Retry-After.
struct LoginThrottled: Error { let retryAfter: Int }

/// Failed-login counters per account and per client address, in fixed windows, stored in the
/// database so several instances share them. An account lock never blocks other accounts.
enum LoginThrottle {
    static func keys(username: String, address: String) -> (account: String, address: String) {
        ("account:" + username.lowercased(), "address:" + address)
    }

    static func check(_ req: Request, username: String) async throws {
        let config = req.application.config
        let k = keys(username: username, address: req.clientAddress)
        let now = Date()
        for (key, limit) in [(k.account, config.loginFailuresPerAccount), (k.address, config.loginFailuresPerAddress)] {
            guard let row = try await LoginThrottleRecord.find(key, on: req.db) else { continue }
            let elapsed = now.timeIntervalSince(row.windowStart)
            if elapsed < config.loginThrottleWindow && row.failures >= limit {
                throw LoginThrottled(retryAfter: max(1, Int((config.loginThrottleWindow - elapsed).rounded(.up))))
            }
        }
    }

    static func recordFailure(_ req: Request, username: String) async throws {
        let window = req.application.config.loginThrottleWindow
        let k = keys(username: username, address: req.clientAddress)
        try await req.write { db in
            let now = Date()
            for key in [k.account, k.address] {
                if let row = try await LoginThrottleRecord.find(key, on: db) {
                    if now.timeIntervalSince(row.windowStart) >= window { row.windowStart = now; row.failures = 1 } else { row.failures += 1 }
                    try await row.update(on: db)
                } else {
                    let row = LoginThrottleRecord()
                    row.id = key; row.windowStart = now; row.failures = 1
                    try await row.create(on: db)
                }
            }
        }
    }

    static func recordSuccess(_ req: Request, username: String) async throws {
        let key = keys(username: username, address: req.clientAddress).account
        try await req.write { db in try await LoginThrottleRecord.query(on: db).filter(\.$id == key).delete() }
    }
}

extension Request {
    /// The peer address (the platform is expected to sit directly on the network or behind a proxy
    /// that is configured separately; forwarded headers are not trusted).
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
