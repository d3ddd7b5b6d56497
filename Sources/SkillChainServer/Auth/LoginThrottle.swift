import Fluent
import SkillChainCore
import Vapor

/// Thrown when an (account, address) pair or a client address has failed too often; answered 429 + Retry-After.
struct LoginThrottled: Error { let retryAfter: Int }

/// Failed-login counters per (account, address) pair, per account and per client address, in fixed windows, stored in
/// the database so several instances share them. Core `LoginThrottlePolicy` decides: the pair and the address block,
/// the account alone only slows.
enum LoginThrottle {
    struct Keys {
        let pair: String
        let account: String
        let address: String
    }

    static func keys(username: String, address: String) -> Keys {
        let user = username.lowercased()
        return Keys(pair: "pair:\(user)|\(address)", account: "account:\(user)", address: "address:\(address)")
    }

    static func policy(_ config: AppConfig) -> LoginThrottlePolicy {
        var p = LoginThrottlePolicy()
        p.failuresPerPair = config.loginFailuresPerAccount
        p.failuresPerAddress = config.loginFailuresPerAddress
        p.freeFailuresPerAccount = config.loginFailuresPerAccount
        p.windowSeconds = Int(config.loginThrottleWindow)
        return p
    }

    /// Throws `LoginThrottled` for a blocked pair or address; otherwise waits the account's delay, if any.
    static func check(_ req: Request, username: String) async throws {
        let policy = policy(req.application.config)
        let k = keys(username: username, address: req.clientAddress)
        let rows = try await LoginThrottleRecord.query(on: req.db).filter(\.$id ~~ [k.pair, k.account, k.address]).all()
        let now = req.now
        func current(_ key: String) -> (Int, Int) {
            guard let r = rows.first(where: { $0.id == key }) else { return (0, 0) }
            let elapsed = Int(now.timeIntervalSince(r.windowStart))
            return elapsed < policy.windowSeconds ? (r.failures, elapsed) : (0, 0)
        }
        let pair = current(k.pair)
        let account = current(k.account)
        let address = current(k.address)
        switch policy.decide(.init(pair: pair.0, pairElapsed: pair.1, account: account.0, address: address.0, addressElapsed: address.1)) {
        case .block(let seconds):
            AppMetrics.throttled("login")
            throw LoginThrottled(retryAfter: max(1, seconds))
        case .allow(let ms):
            if ms > 0 { try await Task.sleep(for: .milliseconds(ms)) }
        }
    }

    static func recordFailure(_ req: Request, username: String) async throws {
        AppMetrics.failedLogin()
        let window = req.application.config.loginThrottleWindow
        let k = keys(username: username, address: req.clientAddress)
        try await req.write { db in
            let now = req.now
            for key in [k.pair, k.account, k.address] {
                if let row = try await LoginThrottleRecord.find(key, on: db) {
                    if now.timeIntervalSince(row.windowStart) >= window {
                        row.windowStart = now
                        row.failures = 1
                    } else {
                        row.failures += 1
                    }
                    try await row.update(on: db)
                } else {
                    let row = LoginThrottleRecord()
                    row.id = key
                    row.windowStart = now
                    row.failures = 1
                    try await row.create(on: db)
                }
            }
        }
    }

    /// A correct password clears the pair and the account; the address keeps its count (a sprayer who guesses one
    /// account right is still counted for the others).
    static func recordSuccess(_ req: Request, username: String) async throws {
        let k = keys(username: username, address: req.clientAddress)
        try await req.write { db in try await LoginThrottleRecord.query(on: db).filter(\.$id ~~ [k.pair, k.account]).delete() }
    }
}

extension Request {
    /// The client address: the peer, or, when the peer is one of `SKILLCHAIN_TRUSTED_PROXIES`, the rightmost untrusted
    /// hop of `X-Forwarded-For`. Login throttling, the public rate limit and the audit log all read this one value.
    var clientAddress: String {
        ClientAddress.resolve(peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor], trusted: application.config.trustedProxies)
    }
}
