import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Requests per client address and minute on the public verification addresses (verify, status lists, DID documents),
/// answered 429 with `Retry-After` beyond the limit. Counted in memory per instance: a person checking certificates is
/// far below it; a scraper is not. `SKILLCHAIN_PUBLIC_RATE_LIMIT` (default 600 a minute).
final class PublicRateLimit: Sendable {
    let limit: Int
    private let windows = NIOLockedValueBox<[String: (start: Date, count: Int)]>([:])

    init(limit: Int) { self.limit = limit }

    /// Seconds to wait, or nil when the request may go on.
    func check(_ address: String, now: Date) -> Int? {
        windows.withLockedValue { w in
            if w.count > 50_000 { w = w.filter { now.timeIntervalSince($0.value.start) < 60 } }
            var entry = w[address] ?? (now, 0)
            if now.timeIntervalSince(entry.start) >= 60 { entry = (now, 0) }
            entry.count += 1
            w[address] = entry
            return entry.count > limit ? max(1, Int(60 - now.timeIntervalSince(entry.start))) : nil
        }
    }
}

struct PublicRateLimitMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let wait = req.application.publicRateLimit.check(req.clientAddress, now: req.now) {
            AppMetrics.throttled("public")
            let r = Response(status: .tooManyRequests)
            r.headers.replaceOrAdd(name: .retryAfter, value: String(wait))
            r.headers.contentType = .plainText
            r.body = .init(string: req.t("problem.too-many-requests.title"))
            return r
        }
        return try await next.respond(to: req)
    }
}

extension Application {
    private struct PublicRateLimitKey: StorageKey { typealias Value = PublicRateLimit }
    var publicRateLimit: PublicRateLimit {
        if let l = storage[PublicRateLimitKey.self] { return l }
        let l = PublicRateLimit(limit: Environment.get("SKILLCHAIN_PUBLIC_RATE_LIMIT").flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 600)
        storage[PublicRateLimitKey.self] = l
        return l
    }
}
