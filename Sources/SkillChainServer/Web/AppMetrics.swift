import Crypto
import Foundation
import Metrics
import Prometheus
import SkillChainCore
import Vapor

/// Prometheus metrics through swift-metrics: Vapor's own request counters and latency histograms (labelled by route
/// pattern, method and status, never the raw path), the platform's counters, and build info. `GET /metrics` serves them
/// to addresses in `SKILLCHAIN_METRICS_ALLOW` (default loopback) or to `Authorization: Bearer <SKILLCHAIN_METRICS_TOKEN>`.
enum AppMetrics {
    static let registry = PrometheusCollectorRegistry()

    /// The metrics backend is chosen once per process.
    static let bootstrapped: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        Gauge(label: "skillchain_build_info", dimensions: [("version", BuildInfo.version)]).record(1)
    }()

    static func certificatesIssued(_ n: Int) { Counter(label: "skillchain_certificates_issued_total").increment(by: n) }
    static func certificateStatusChanged(_ action: String) {
        Counter(label: "skillchain_certificate_status_changes_total", dimensions: [("action", action)]).increment()
    }
    static func verified(_ outcome: String) { Counter(label: "skillchain_verifications_total", dimensions: [("outcome", outcome)]).increment() }
    static func failedLogin() { Counter(label: "skillchain_failed_logins_total").increment() }
    static func throttled(_ kind: String) { Counter(label: "skillchain_throttled_requests_total", dimensions: [("kind", kind)]).increment() }
    /// How long a write transaction waited for this instance's writer lock (the database's one-writer queue).
    static func writeWaited(nanoseconds: UInt64) { Metrics.Timer(label: "skillchain_db_write_wait_seconds").recordNanoseconds(Int64(nanoseconds)) }
    /// Signed-in requests answered from the actor cache or from the database.
    static func actorResolved(cached: Bool) {
        Counter(label: "skillchain_actor_lookups_total", dimensions: [("source", cached ? "cache" : "database")]).increment()
    }
    static func dashboardCounted(seconds: Double) {
        Metrics.Timer(label: "skillchain_dashboard_count_seconds").recordSeconds(seconds)
    }

    static func serve(_ req: Request) throws -> Response {
        let config = req.application.config
        let peer = req.remoteAddress?.ipAddress ?? ""
        let byAddress = config.metricsAllow.contains { $0.contains(peer) }
        let byToken =
            config.metricsToken.map { token in
                guard let given = req.headers.bearerAuthorization?.token else { return false }
                return Data(SHA256.hash(data: Data(given.utf8))) == Data(SHA256.hash(data: Data(token.utf8)))
            } ?? false
        guard byAddress || byToken else { throw DomainError.notFound }
        return Response(
            status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(string: registry.emitToString()))
    }
}
