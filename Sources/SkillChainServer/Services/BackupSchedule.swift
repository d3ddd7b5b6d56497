import Foundation
import Vapor

/// Scheduled backups while serving (SQLite): `SKILLCHAIN_BACKUP_DIR`, every `SKILLCHAIN_BACKUP_EVERY_HOURS` (default 24),
/// keeping the newest `SKILLCHAIN_BACKUP_KEEP` (default 7) with their checksums. A failed backup is logged and retried
/// at the next turn; it never stops the server.
struct BackupSchedule: Sendable {
    let directory: String
    let everyHours: Double
    let keep: Int

    static func from(environment: [String: String]) -> BackupSchedule? {
        guard let dir = environment["SKILLCHAIN_BACKUP_DIR"], !dir.isEmpty else { return nil }
        let hours = environment["SKILLCHAIN_BACKUP_EVERY_HOURS"].flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } ?? 24
        let keep = environment["SKILLCHAIN_BACKUP_KEEP"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 7
        return BackupSchedule(directory: dir, everyHours: hours, keep: keep)
    }

    /// The file name of a backup taken at `now` (UTC, sortable).
    static func fileName(_ now: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "skillchain-\(f.string(from: now)).sqlite"
    }

    /// Takes one backup now and removes the oldest beyond `keep`; answers the new file.
    func runOnce(_ app: Application, now: Date? = nil) async throws -> String {
        let now = now ?? app.now
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName(now)).path
        _ = try await BackupService(app).take(to: path)
        let ours = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasPrefix("skillchain-") && $0.hasSuffix(".sqlite") }.sorted()
        for old in ours.dropLast(keep) {
            for suffix in ["", ".sha256"] { try? FileManager.default.removeItem(atPath: directory + "/" + old + suffix) }
        }
        return path
    }

    func start(_ app: Application) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                do {
                    let path = try await runOnce(app)
                    app.logger.info("scheduled backup written", metadata: ["file": .string(path)])
                } catch {
                    app.logger.error("scheduled backup failed", metadata: ["error": .string(String(describing: error))])
                }
                try? await Task.sleep(nanoseconds: UInt64(everyHours * 3600 * 1_000_000_000))
            }
        }
    }
}

/// Stops the scheduled backups when the application shuts down.
struct BackupScheduleShutdown: LifecycleHandler {
    let task: Task<Void, Never>
    /// The loop ends at its next sleep; a backup being written is finished first (within the shutdown bound).
    func shutdownAsync(_ application: Application) async {
        task.cancel()
        let task = task
        if !(await finishWithin(application.config.shutdownSeconds) { await task.value }) {
            application.logger.warning("shutdown: scheduled backup still running after \(application.config.shutdownSeconds) s; stopped")
        }
    }
}
