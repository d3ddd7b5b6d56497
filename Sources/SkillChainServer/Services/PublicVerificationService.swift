import Fluent
import Foundation
import NIOConcurrencyHelpers
import SkillChainCore
import Vapor

/// Public verification by number: one lookup for the page and the API, keyed by the canonical number, with the holder's
/// name masked unless the verifier supplies it or follows the printed QR link (see Core `PublicVerification`).
struct PublicVerificationService {
    let app: Application

    init(_ app: Application) { self.app = app }

    enum Outcome {
        /// No certificate of that number (or the number is malformed).
        case unknown
        /// The certificate exists but the supplied name is not the holder's.
        case nameMismatch
        /// The certificate, with the holder's full name and masked ID number only when `fullName`.
        case found(CertificateResponse, fullName: Bool)
    }

    /// The printed certificate's verification address: the number and its link secret.
    func verifyURL(_ number: String) -> String {
        "\(CertificateService(app).baseURL())\(SiteURL.verifyNumber(number, key: linkSecret(number)).path)"
    }

    func linkSecret(_ number: String) -> String {
        PublicVerification.linkSecret(number: number, key: app.secretKeys.verificationLinkKey)
    }

    /// Looks `raw` up as printed (spaces, hyphens and case ignored). Unknown numbers, wrong names and wrong link secrets
    /// count as misses for the client address, and an address with many misses is slowed.
    static func lookup(_ raw: String, name: String, linkSecret given: String, req: Request) async throws -> Outcome {
        let outcome = try await Self.find(raw, name: name, linkSecret: given, req: req)
        switch outcome {
        case .unknown: AppMetrics.verified("unknown")
        case .nameMismatch: AppMetrics.verified("nameMismatch")
        case .found(let c, _): AppMetrics.verified(c.status)
        }
        return outcome
    }

    private static func find(_ raw: String, name: String, linkSecret given: String, req: Request) async throws -> Outcome {
        let app = req.application
        let address = req.clientAddress
        try await app.verificationMisses.holdBack(address, now: app.now)
        guard let number = try? CertificateNumber(raw).value, let full = try await PublicVerificationService(app).cached(number) else {
            app.verificationMisses.record(address, now: app.now)
            return .unknown
        }
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty {
            guard PublicVerification.nameMatches(trimmed, holder: full.holderName) else {
                app.verificationMisses.record(address, now: app.now)
                return .nameMismatch
            }
            return .found(full, fullName: true)
        }
        if !given.isEmpty {
            if PublicVerification.linkSecretMatches(given, number: number, key: app.secretKeys.verificationLinkKey) {
                return .found(full, fullName: true)
            }
            app.verificationMisses.record(address, now: app.now)
        }
        return .found(Self.masked(full), fullName: false)
    }

    /// The answer with the name masked and no ID digits, for a verifier who gave only the number.
    static func masked(_ r: CertificateResponse) -> CertificateResponse {
        CertificateResponse(
            number: r.number, holderName: PublicVerification.maskName(r.holderName), citizenIdMasked: "",
            occupationCode: r.occupationCode, occupationName: r.occupationName, workType: r.workType, level: r.level, body: r.body,
            issueDate: r.issueDate, validUntil: r.validUntil, status: r.status, statusCategory: r.statusCategory, verifyUrl: r.verifyUrl)
    }

    /// The full answer for a canonical number, from this instance's cache or the database.
    private func cached(_ number: String) async throws -> CertificateResponse? {
        if let hit = app.verificationCache.get(number, now: app.now) { return hit }
        guard let c = try await CertificateStore(app.db).find(number: number) else { return nil }
        let body = try await CertificateAPI.bodyName(c, on: app.db)
        // The public answer's address is the plain one: the link secret is for the printed certificate only.
        let full = CertificateAPI.response(
            c, body: body, app, verifyURL: "\(CertificateService(app).baseURL())\(SiteURL.verifyNumber(number, key: nil).path)")
        app.verificationCache.put(number, full, now: app.now)
        return full
    }
}

/// Full answers to public verification kept for `ttl` seconds in this instance, keyed by the canonical number and bounded
/// in size. A status change here clears the entry at once; other instances see it within `ttl` (well inside the status
/// list's own 300-second ttl).
final class VerificationCache: Sendable {
    let ttl: TimeInterval = 30
    let capacity: Int
    private let entries = NIOLockedValueBox<[String: (CertificateResponse, Date)]>([:])

    init(capacity: Int = 10_000) { self.capacity = capacity }

    var count: Int { entries.withLockedValue { $0.count } }

    func get(_ number: String, now: Date) -> CertificateResponse? {
        entries.withLockedValue { e in
            guard let (v, at) = e[number] else { return nil }
            if now.timeIntervalSince(at) > ttl {
                e[number] = nil
                return nil
            }
            return v
        }
    }

    func put(_ number: String, _ v: CertificateResponse, now: Date) {
        let ttl = self.ttl
        let capacity = self.capacity
        entries.withLockedValue { e in
            if e[number] == nil && e.count >= capacity {
                // Expired entries go first; if that is not enough, the older half.
                e = e.filter { now.timeIntervalSince($0.value.1) <= ttl }
                if e.count >= capacity {
                    let keep = e.sorted { $0.value.1 > $1.value.1 }.prefix(capacity / 2)
                    e = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
                }
            }
            e[number] = (v, now)
        }
    }

    func clear(_ number: String) { entries.withLockedValue { $0[number] = nil } }
}

/// Misses (unknown numbers, wrong names, wrong link secrets) per client address in a sliding window, kept in memory per
/// instance; an address past the free misses waits before each further answer (Core `PublicVerification.MissPolicy`).
final class VerificationMisses: Sendable {
    let policy: PublicVerification.MissPolicy
    private let misses = NIOLockedValueBox<[String: [Date]]>([:])

    init(policy: PublicVerification.MissPolicy = .init()) { self.policy = policy }

    func record(_ address: String, now: Date) {
        let window = TimeInterval(policy.windowSeconds)
        misses.withLockedValue { m in
            if m.count > 50_000 { m = m.filter { ($0.value.last.map { now.timeIntervalSince($0) } ?? window) < window } }
            var list = (m[address] ?? []).filter { now.timeIntervalSince($0) < window }
            list.append(now)
            m[address] = Array(list.suffix(1_000))
        }
    }

    func count(_ address: String, now: Date) -> Int {
        let window = TimeInterval(policy.windowSeconds)
        return misses.withLockedValue { ($0[address] ?? []).filter { now.timeIntervalSince($0) < window }.count }
    }

    func delayMilliseconds(_ address: String, now: Date) -> Int { policy.delayMilliseconds(misses: count(address, now: now)) }

    func holdBack(_ address: String, now: Date) async throws {
        let ms = delayMilliseconds(address, now: now)
        if ms > 0 { try await Task.sleep(for: .milliseconds(ms)) }
    }
}

extension Application {
    private struct VerificationCacheKey: StorageKey { typealias Value = VerificationCache }
    private struct VerificationMissesKey: StorageKey { typealias Value = VerificationMisses }

    var verificationCache: VerificationCache {
        if let c = storage[VerificationCacheKey.self] { return c }
        let c = VerificationCache()
        storage[VerificationCacheKey.self] = c
        return c
    }

    var verificationMisses: VerificationMisses {
        get {
            if let c = storage[VerificationMissesKey.self] { return c }
            let c = VerificationMisses()
            storage[VerificationMissesKey.self] = c
            return c
        }
        set { storage[VerificationMissesKey.self] = newValue }
    }
}
