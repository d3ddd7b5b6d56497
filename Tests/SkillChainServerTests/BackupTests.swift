import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Backups of the embedded database taken while writes go on, and restores that refuse a damaged file (issue 16).
@Suite struct BackupTests {
    /// A second application on its own SQLite file, not yet opened (as `skillchain restore` starts), shut down after.
    func withApp(at path: String, _ body: (Application) async throws -> Void) async throws {
        let app = try await Application.make(.testing)
        do {
            try await configure(app, config: testConfig(.sqlite(path: path)))
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test func a_backup_taken_while_writes_go_on_restores_elsewhere_with_the_audit_chain_intact() async throws {
        guard !TestDatabase.isPostgres else {
            // PostgreSQL is backed up with pg_dump: the command says so rather than copy nothing.
            try await withTestApp { app in
                await #expect(throws: BackupService.Failure.self) { try await BackupService(app).take(to: "/tmp/never.sqlite") }
            }
            return
        }
        try await withTestApp { app in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let w = try await TrainingWorld.make(app)
            let actor = try #require(try await DemoData.actor(app, username: "hr"))
            // Writes keep coming while the backup is taken; it holds one consistent snapshot of them.
            let writer = Task {
                for i in 0..<40 {
                    let input = PersonInput(
                        name: "并发\(i)", citizenId: CitizenID.completing(String(format: "44190019900101%03d", i))!.value,
                        phone: String(format: "13800138%03d", i), education: "bachelor", category: "employee")
                    _ = try? await PersonService(app).create(input, organizationID: w.enterprise.id!, actor: actor)
                }
            }
            let backup = dir + "/skillchain-backup.sqlite"
            let taken = try await BackupService(app).take(to: backup)
            await writer.value
            let line = try String(contentsOfFile: backup + ".sha256", encoding: .utf8)
            #expect(line == "\(taken.sha256)  skillchain-backup.sqlite\n" && taken.bytes > 0)
            await #expect(throws: BackupService.Failure.self) { try await BackupService(app).take(to: backup) }  // never overwrites

            // Restored over another database: integrity and the audit chain are checked; the replaced one is kept.
            let target = dir + "/restored.sqlite"
            try await withApp(at: target) { other in
                let checked = try await BackupService(other).restore(from: backup)
                #expect(checked > 0)
            }
            // Started on the restored file, the platform has what the backup held.
            try await withApp(at: target) { (restored: Application) async throws in
                #expect(try await PersonRecord.query(on: restored.db).count() >= 1)
                #expect(try await AuditLog.verify(on: restored.db).isIntact)
            }
            // Restoring again keeps the database it replaces.
            try await withApp(at: target) { again in _ = try await BackupService(again).restore(from: backup) }
            #expect(FileManager.default.fileExists(atPath: target + ".before-restore"))

            // A changed byte is refused by its checksum; a file whose checksum matches but is not a database, by the check.
            var bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
            bytes[bytes.count / 2] ^= 0xFF
            let damaged = dir + "/damaged.sqlite"
            try bytes.write(to: URL(fileURLWithPath: damaged))
            try FileManager.default.copyItem(atPath: backup + ".sha256", toPath: damaged + ".sha256")
            try await withApp(at: dir + "/third.sqlite") { third in
                await #expect(throws: BackupService.Failure.self) { try await BackupService(third).restore(from: damaged) }
                let junk = dir + "/junk.sqlite"
                try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: junk))
                try Data("\(try BackupService.digest(junk))  junk.sqlite\n".utf8).write(to: URL(fileURLWithPath: junk + ".sha256"))
                await #expect(throws: (any Error).self) { try await BackupService(third).restore(from: junk) }
            }
            // Nothing was replaced: the refused files were not put in place.
            #expect(!FileManager.default.fileExists(atPath: dir + "/third.sqlite.before-restore"))
        }
    }
}

@Suite struct BackupScheduleTests {
    @Test func scheduled_backups_keep_the_newest_and_read_their_settings() async throws {
        #expect(BackupSchedule.from(environment: [:]) == nil)
        let s = try #require(
            BackupSchedule.from(environment: [
                "SKILLCHAIN_BACKUP_DIR": "/b", "SKILLCHAIN_BACKUP_EVERY_HOURS": "6",
                "SKILLCHAIN_BACKUP_KEEP": "2",
            ]))
        #expect(s.everyHours == 6 && s.keep == 2)
        #expect(BackupSchedule.from(environment: ["SKILLCHAIN_BACKUP_DIR": "/b", "SKILLCHAIN_BACKUP_KEEP": "-1"])?.keep == 7)
        guard !TestDatabase.isPostgres else { return }
        try await withTestApp { app in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scheduled-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let schedule = BackupSchedule(directory: dir, everyHours: 1, keep: 2)
            let start = Date(timeIntervalSince1970: 1_790_000_000)
            var written: [String] = []
            for hour in 0..<3 { written.append(try await schedule.runOnce(app, now: start.addingTimeInterval(Double(hour) * 3600))) }
            let left = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
            // The oldest backup and its checksum are gone; the newest two remain, each with its checksum.
            let names = written.map { URL(fileURLWithPath: $0).lastPathComponent }
            #expect(left == [names[1], names[1] + ".sha256", names[2], names[2] + ".sha256"])
        }
    }
}
