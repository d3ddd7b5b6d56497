import Foundation
import SkillChainCore
import Vapor

/// Typed configuration, decoded once at boot from the environment (and `.env` files).
public struct AppConfig: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public struct MissingVariables: Error, CustomStringConvertible {
        public let names: [String]
        public var description: String {
            "SkillChain cannot start in production: set " + names.joined(separator: ", ")
        }
    }

    public var database: DatabaseChoice
    public var publicURL: URL
    public var secret: String
    public var bcryptCost: Int
    public var chainThresholds: ChainThresholds
    public var trainingRules: TrainingRules
    public var subsidyRules: SubsidyRules
    public var evaluationRules: EvaluationRules
    public var payRules: PayGrid.Rules
    public var dashboardFreshness: DashboardFreshness
    public var sessionIdleTimeout: TimeInterval
    public var sessionAbsoluteLifetime: TimeInterval
    public var tokenLifetime: TimeInterval
    public var loginFailuresPerAccount: Int
    public var loginFailuresPerAddress: Int
    public var loginThrottleWindow: TimeInterval
    public var maxBodySize: String
    /// Peers whose `X-Forwarded-For` is believed (`SKILLCHAIN_TRUSTED_PROXIES`, a comma-separated CIDR list).
    public var trustedProxies: [CIDR] = []
    /// Who may read `/metrics`: these addresses (`SKILLCHAIN_METRICS_ALLOW`, default loopback), or anyone with the token.
    public var metricsAllow: [CIDR] = [CIDR("127.0.0.0/8")!, CIDR("::1/128")!]
    public var metricsToken: String?
    /// Roles that must use a second factor (`SKILLCHAIN_REQUIRE_TOTP_ROLES`) and the days new accounts have to enrol
    /// (`SKILLCHAIN_TOTP_GRACE_DAYS`, default 14).
    public var secondFactor = AccountRules.SecondFactorRule()
    /// Seconds a resolved session or token is remembered per instance (`SKILLCHAIN_ACTOR_CACHE_SECONDS`, 0…30, default 5).
    public var actorCacheSeconds: TimeInterval = 5
    /// On SIGTERM: seconds to finish requests in flight, then as long again for background work
    /// (`SKILLCHAIN_SHUTDOWN_SECONDS`, 1…120, default 10; the systemd unit allows 30 in all).
    public var shutdownSeconds: Int = 10
    /// Where notification e-mail goes (`SKILLCHAIN_SMTP_URL`); nil: the inbox only.
    var smtp: SMTPSettings?
    /// Seconds between the outbox worker's rounds (`SKILLCHAIN_MAIL_EVERY_SECONDS`, 1…3600, default 5).
    public var mailEverySeconds: Double = 5
    /// How long the outbox worker holds the rows it claimed (`SKILLCHAIN_MAIL_LEASE_SECONDS`, 5…3600, default 300): a
    /// worker that dies leaves its rows to the next after this long.
    public var mailLeaseSeconds: Double = 300

    public var isHTTPS: Bool { publicURL.scheme == "https" }
    public var publicOrigin: String {
        var origin = "\(publicURL.scheme ?? "http")://\(publicURL.host ?? "127.0.0.1")"
        if let port = publicURL.port { origin += ":\(port)" }
        return origin
    }

    public static let developmentSecret = "skillchain-development-secret-not-for-production"

    /// Reads `env`; in production, fails naming every required variable that is missing.
    public static func load(environment: Environment, get: (String) -> String? = { Environment.get($0) }) throws -> AppConfig {
        var missing: [String] = []
        let database: DatabaseChoice
        if let url = get("DATABASE_URL"), !url.isEmpty {
            database = .postgres(url: url)
        } else {
            database = .sqlite(path: get("SKILLCHAIN_SQLITE_PATH").flatMap { $0.isEmpty ? nil : $0 } ?? "skillchain.sqlite")
        }
        let secret = get("SKILLCHAIN_SECRET") ?? ""
        if environment == .production {
            if secret.isEmpty { missing.append("SKILLCHAIN_SECRET") }
            if (get("SKILLCHAIN_PUBLIC_URL") ?? "").isEmpty { missing.append("SKILLCHAIN_PUBLIC_URL") }
        }
        if !missing.isEmpty { throw MissingVariables(names: missing) }
        guard let publicURL = URL(string: get("SKILLCHAIN_PUBLIC_URL").flatMap { $0.isEmpty ? nil : $0 } ?? "http://127.0.0.1:8080"),
            publicURL.scheme == "http" || publicURL.scheme == "https"
        else { throw MissingVariables(names: ["SKILLCHAIN_PUBLIC_URL (an http or https URL)"]) }
        var thresholds = ChainThresholds()
        if let v = get("SKILLCHAIN_CHAIN_MIN_ENTERPRISES").flatMap(Int.init) { thresholds.minimumMemberEnterprises = v }
        if let v = get("SKILLCHAIN_CHAIN_MIN_POSTS").flatMap(Int.init) { thresholds.minimumPosts = v }
        var training = TrainingRules()
        if let v = get("SKILLCHAIN_CLASS_MAX").flatMap(Int.init), v > 0 { training.maxClassSize = v }
        if let v = get("SKILLCHAIN_MASTER_MAX_APPRENTICES").flatMap(Int.init), v > 0 { training.maxApprenticesPerMaster = v }
        var subsidy = SubsidyRules()
        if let v = get("SKILLCHAIN_SUBSIDY_INTERMEDIATE").flatMap(Int.init), v >= 0 { subsidy.intermediate = v }
        if let v = get("SKILLCHAIN_SUBSIDY_ADVANCED").flatMap(Int.init), v >= 0 { subsidy.advanced = v }
        if let v = get("SKILLCHAIN_SUBSIDY_NO_CERTIFICATE").flatMap(Int.init), v >= 0 { subsidy.completedWithoutCertificate = v }
        if let v = get("SKILLCHAIN_SUBSIDY_ADVANCE_PERCENT").flatMap(Int.init), (0...100).contains(v) { subsidy.maxAdvancePercent = v }
        var evaluation = EvaluationRules()
        if let v = get("SKILLCHAIN_PASS_MARK").flatMap(Int.init), (1...100).contains(v) { evaluation.passMark = v }
        if let v = get("SKILLCHAIN_NOTICE_WORKING_DAYS").flatMap(Int.init), (1...30).contains(v) { evaluation.noticeWorkingDays = v }
        if let v = get("SKILLCHAIN_SPREAD_MAX").flatMap(Double.init), v > 0 { evaluation.maximumSpread = v }
        if let v = get("SKILLCHAIN_RECUSE_COLLEAGUES") { evaluation.recuseColleagues = ["1", "true", "yes"].contains(v.lowercased()) }
        if let v = get("SKILLCHAIN_CHAIN_LEADER_EVALUATES_MEMBERS") {
            evaluation.chainLeaderEvaluatesMembers = ["1", "true", "yes"].contains(v.lowercased())
        }
        var pay = PayGrid.Rules()
        if let v = get("SKILLCHAIN_PAY_TECHNICIAN_CHECKS") {
            let on = ["1", "true", "yes", "on"].contains(v.lowercased())
            pay.specialTechnicianAtLeastMiddleManager = on
            pay.chiefTechnicianAtLeastSeniorManager = on
        }
        if let v = get("SKILLCHAIN_CONTEST_PROMOTIONS_PER_YEAR").flatMap(Int.init), (0...8).contains(v) { evaluation.contestPromotion.perYear = v }
        var freshness = DashboardFreshness()
        if let v = get("SKILLCHAIN_DASHBOARD_LIVE_MS").flatMap(Int.init), v >= 0 { freshness.liveBudgetMilliseconds = v }
        if let v = get("SKILLCHAIN_DASHBOARD_MAX_AGE_SECONDS").flatMap(Int.init), v >= 0 { freshness.maxAgeSeconds = v }
        var proxies: [CIDR] = []
        for item in (get("SKILLCHAIN_TRUSTED_PROXIES") ?? "").split(separator: ",") where !item.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let cidr = CIDR(String(item)) else {
                throw MissingVariables(names: ["SKILLCHAIN_TRUSTED_PROXIES (a CIDR list, e.g. 10.0.0.0/8,::1)"])
            }
            proxies.append(cidr)
        }
        var metricsAllow: [CIDR]?
        if let list = get("SKILLCHAIN_METRICS_ALLOW"), !list.trimmingCharacters(in: .whitespaces).isEmpty {
            metricsAllow = try list.split(separator: ",").map { item in
                guard let cidr = CIDR(item.trimmingCharacters(in: .whitespaces)) else {
                    throw MissingVariables(names: ["SKILLCHAIN_METRICS_ALLOW (a CIDR list, e.g. 127.0.0.1/32,10.1.0.0/16)"])
                }
                return cidr
            }
        }
        var secondFactor = AccountRules.SecondFactorRule()
        for item in (get("SKILLCHAIN_REQUIRE_TOTP_ROLES") ?? "").split(separator: ",") {
            let name = item.trimmingCharacters(in: .whitespaces)
            if name.isEmpty { continue }
            guard let role = Role(rawValue: name) else {
                throw MissingVariables(names: ["SKILLCHAIN_REQUIRE_TOTP_ROLES (roles among \(Role.allCases.map(\.rawValue).joined(separator: ", ")))"]
                )
            }
            secondFactor.roles.insert(role)
        }
        if let v = get("SKILLCHAIN_TOTP_GRACE_DAYS").flatMap(Int.init), v >= 0 { secondFactor.graceDays = v }
        var config = AppConfig(
            database: database,
            publicURL: publicURL,
            secret: secret.isEmpty ? developmentSecret : secret,
            bcryptCost: max(4, get("SKILLCHAIN_BCRYPT_COST").flatMap(Int.init) ?? 12),
            chainThresholds: thresholds,
            trainingRules: training,
            subsidyRules: subsidy,
            evaluationRules: evaluation,
            payRules: pay,
            dashboardFreshness: freshness,
            sessionIdleTimeout: 2 * 3600,
            sessionAbsoluteLifetime: 12 * 3600,
            tokenLifetime: 30 * 24 * 3600,
            loginFailuresPerAccount: 5,
            loginFailuresPerAddress: 30,
            loginThrottleWindow: 15 * 60,
            maxBodySize: "1mb",
            trustedProxies: proxies,
            secondFactor: secondFactor
        )
        if let metricsAllow { config.metricsAllow = metricsAllow }
        if let v = get("SKILLCHAIN_ACTOR_CACHE_SECONDS").flatMap(Int.init), (0...30).contains(v) { config.actorCacheSeconds = TimeInterval(v) }
        if let v = get("SKILLCHAIN_SHUTDOWN_SECONDS").flatMap(Int.init), (1...120).contains(v) { config.shutdownSeconds = v }
        if let url = get("SKILLCHAIN_SMTP_URL"), !url.isEmpty {
            do { config.smtp = try SMTPSettings(url: url) } catch { throw MissingVariables(names: [String(describing: error)]) }
        }
        if let v = get("SKILLCHAIN_MAIL_EVERY_SECONDS").flatMap(Double.init), (1...3600).contains(v) { config.mailEverySeconds = v }
        if let v = get("SKILLCHAIN_MAIL_LEASE_SECONDS").flatMap(Double.init), (5...3600).contains(v) { config.mailLeaseSeconds = v }
        config.metricsToken = get("SKILLCHAIN_METRICS_TOKEN").flatMap { $0.count >= 16 ? $0 : nil }
        return config
    }
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    public var config: AppConfig {
        get {
            guard let c = storage[ConfigKey.self] else { fatalError("configure(app) not called") }
            return c
        }
        set { storage[ConfigKey.self] = newValue }
    }
}
