import Fluent
import Foundation
import SkillChainCore
import Vapor

/// The dashboard's stored counts (issue 6). Counting a region of a million people takes seconds, so a count that took
/// longer than the live budget is kept (`dashboard_snapshots`) and shown, with the time it was counted, until it is
/// older than the maximum age; then it is shown once more while it is counted again in the background, and the
/// server's schedule recounts every question asked in the last day before it gets that old. Smaller regions are counted
/// for every request and never kept. The policy is Core's `DashboardFreshness`.
enum DashboardSnapshots {
    static func answer(_ question: DashboardQuestion, locale: AppLocale, app: Application) async throws -> DashboardResponse {
        let key = question.key(locale)
        await app.dashboardRecounter.asked(key, question, locale, at: app.now)
        let stored = try await DashboardSnapshotRecord.query(on: app.db).filter(\.$key == key).first()
        let decision = app.config.dashboardFreshness.decide(
            now: app.now, snapshotCountedAt: stored?.countedAt, snapshotMilliseconds: stored?.milliseconds)
        // A kept count this version cannot read (written by an older one) is counted again, never shown as an error.
        guard decision != .count, let stored, let kept = try? decode(stored) else {
            // Requests for the same question while it is being counted wait for that count instead of starting another
            // (a large region's first count takes seconds; reloading the page must not multiply it).
            return try await app.dashboardRecounter.shared(key) { try await count(question, locale: locale, app: app, replacing: stored != nil) }
        }
        if decision == .serveAndRecount {
            await app.dashboardRecounter.recount(key) { try await count(question, locale: locale, app: app, replacing: true) }
        }
        return kept
    }

    /// Counts now; keeps the result when counting took longer than the live budget (and drops a kept one when not).
    @discardableResult
    static func count(_ question: DashboardQuestion, locale: AppLocale, app: Application, replacing: Bool) async throws -> DashboardResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let localizer = app.localizer
        let response = try await DashboardService.count(
            question, on: app.db, translate: { localizer.string($0, locale, []) }, today: app.today, now: app.now)
        let milliseconds = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        AppMetrics.dashboardCounted(seconds: Double(milliseconds) / 1000)
        let key = question.key(locale)
        if app.config.dashboardFreshness.keeps(milliseconds: milliseconds) {
            let body = String(decoding: try encoder.encode(response), as: UTF8.self)
            let countedAt = response.countedAt
            try await app.write { db in
                let record = try await DashboardSnapshotRecord.query(on: db).filter(\.$key == key).first() ?? DashboardSnapshotRecord()
                record.key = key
                record.body = body
                record.countedAt = countedAt
                record.milliseconds = milliseconds
                try await record.save(on: db)
            }
        } else if replacing {
            try await app.write { db in try await DashboardSnapshotRecord.query(on: db).filter(\.$key == key).delete() }
        }
        return response
    }

    private static func decode(_ record: DashboardSnapshotRecord) throws -> DashboardResponse {
        var response = try decoder.decode(DashboardResponse.self, from: Data(record.body.utf8))
        response.countedAt = record.countedAt
        response.live = false
        return response
    }

    private static var encoder: JSONEncoder { JSONEncoder.custom(dates: .iso8601) }
    private static var decoder: JSONDecoder { JSONDecoder.custom(dates: .iso8601) }
}

/// Recounts kept dashboards in the background, one count per question at a time, and (for `serve`) on a schedule.
actor DashboardRecounter {
    private var running: [String: Task<Void, Never>] = [:]
    private var asked: [String: (question: DashboardQuestion, locale: AppLocale, at: Date)] = [:]
    private var schedule: Task<Void, Never>?
    private let logger = Logger(label: "skillchain.dashboard")

    private var counting: [String: Task<DashboardResponse, any Error>] = [:]

    /// Runs `work` for `key`, or waits for the run already going for it, and answers with its result.
    func shared(_ key: String, _ work: @escaping @Sendable () async throws -> DashboardResponse) async throws -> DashboardResponse {
        if let running = counting[key] { return try await running.value }
        let task = Task { try await work() }
        counting[key] = task
        defer { counting[key] = nil }
        return try await task.value
    }

    func asked(_ key: String, _ question: DashboardQuestion, _ locale: AppLocale, at time: Date) {
        asked[key] = (question, locale, time)
    }

    /// Starts `work` for `key` unless a count for it is already running.
    func recount(_ key: String, _ work: @escaping @Sendable () async throws -> Void) {
        guard running[key] == nil else { return }
        let logger = logger
        running[key] = Task {
            do { try await work() } catch { logger.warning("dashboard recount failed: \(String(describing: error))") }
            self.finished(key)
        }
    }

    private func finished(_ key: String) { running[key] = nil }

    /// Waits until no recount is running.
    func idle() async {
        while let task = running.values.first { await task.value }
    }

    /// At start-up, counts each bureau's own region (the view its officers land on) in both languages, so that the
    /// first officer to open a large region's dashboard does not wait for its count; then, every half of the maximum
    /// age (at least a minute), recounts the kept dashboards asked for in the last day that are at least that old, so
    /// that a reader seldom finds one older than the maximum age.
    func startSchedule(_ app: Application) {
        guard schedule == nil else { return }
        let freshness = app.config.dashboardFreshness
        schedule = Task {
            await self.warm(app)
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(max(60, freshness.maxAgeSeconds / 2)) * 1_000_000_000)
                if Task.isCancelled { break }
                await self.recountDue(app)
            }
        }
    }

    /// Counts, one after another, each bureau's region that has no fresh kept count; remembers them as asked.
    func warm(_ app: Application) async {
        let kind = OrganizationKind.governmentDepartment.rawValue
        guard let bureaus = try? await OrganizationRecord.query(on: app.db).filter(\.$kind == kind).all() else { return }
        for region in Set(bureaus.map(\.regionCode)).sorted() where RegionCatalog.shared.region(region) != nil {
            let question = DashboardQuestion(region: region, occupation: nil, chain: nil, start: nil, end: nil)
            for locale in AppLocale.allCases {
                if Task.isCancelled { return }
                let key = question.key(locale)
                asked(key, question, locale, at: app.now)
                let stored = try? await DashboardSnapshotRecord.query(on: app.db).filter(\.$key == key).first()
                let decision = app.config.dashboardFreshness.decide(
                    now: app.now, snapshotCountedAt: stored?.countedAt, snapshotMilliseconds: stored?.milliseconds)
                guard decision != .serve, running[key] == nil else { continue }
                do { try await DashboardSnapshots.count(question, locale: locale, app: app, replacing: stored != nil) } catch {
                    logger.warning("dashboard warm-up failed for \(region): \(String(describing: error))")
                }
            }
        }
    }

    func recountDue(_ app: Application) async {
        let freshness = app.config.dashboardFreshness
        let now = app.now
        asked = asked.filter { now.timeIntervalSince($0.value.at) < 24 * 3600 }
        // Kept counts older than a week are questions nobody has asked since (every period filtered on leaves one): dropped.
        let week = now.addingTimeInterval(-7 * 24 * 3600)
        _ = try? await app.write { db in try await DashboardSnapshotRecord.query(on: db).filter(\.$countedAt < week).delete() }
        let kept = (try? await DashboardSnapshotRecord.query(on: app.db).filter(\.$key ~~ Array(asked.keys)).all()) ?? []
        let byKey = Dictionary(kept.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        for (key, entry) in asked {
            guard let stored = byKey[key], freshness.keeps(milliseconds: stored.milliseconds),
                now.timeIntervalSince(stored.countedAt) >= TimeInterval(freshness.maxAgeSeconds / 2)
            else { continue }
            recount(key) { try await DashboardSnapshots.count(entry.question, locale: entry.locale, app: app, replacing: true) }
        }
    }

    /// Stops the schedule and waits for running counts (before the databases shut down).
    func stop() async {
        let schedule = schedule
        self.schedule = nil
        schedule?.cancel()
        await schedule?.value
        await idle()
    }
}

extension Application {
    private struct RecounterKey: StorageKey { typealias Value = DashboardRecounter }
    var dashboardRecounter: DashboardRecounter {
        if let r = storage[RecounterKey.self] { return r }
        let r = DashboardRecounter()
        storage[RecounterKey.self] = r
        return r
    }
}

/// Lets running dashboard counts finish before the databases close.
struct DashboardRecounterShutdown: LifecycleHandler {
    func shutdownAsync(_ app: Application) async {
        let recounter = app.dashboardRecounter
        if !(await finishWithin(app.config.shutdownSeconds) { await recounter.stop() }) {
            app.logger.warning("shutdown: dashboard counts still running after \(app.config.shutdownSeconds) s; stopped")
        }
    }
}
