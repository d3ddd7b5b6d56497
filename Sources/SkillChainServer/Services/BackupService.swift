import Crypto
import Fluent
import Foundation
import Vapor

/// Back up and restore the embedded SQLite database. A backup is a consistent copy taken while the server runs and
/// writes go on (`VACUUM INTO` reads one snapshot), with its SHA-256 beside it (`<file>.sha256`, as `sha256sum`
/// writes it). A restore refuses a file whose checksum or integrity check fails, keeps the database it replaces,
/// and checks the audit chain of what it restored. PostgreSQL is backed up with `pg_dump` (README).
struct BackupService {
    let app: Application

    init(_ app: Application) { self.app = app }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct Outcome {
        let path: String
        let bytes: Int
        let sha256: String
    }

    func sqlitePath() throws -> String {
        guard case .sqlite(let path) = app.config.database else {
            throw Failure(description: "backup and restore are for the embedded SQLite database; for PostgreSQL use pg_dump and pg_restore (README)")
        }
        return path
    }

    static func digest(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(description: "cannot read \(path)") }
        defer { try? handle.close() }
        var hash = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(data: chunk) }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    func take(to path: String) async throws -> Outcome {
        _ = try sqlitePath()
        guard !FileManager.default.fileExists(atPath: path) else { throw Failure(description: "\(path) exists: choose a new file") }
        try await DatabaseMaintenance(app.db).copy(to: path)
        let sha = try Self.digest(path)
        let name = URL(fileURLWithPath: path).lastPathComponent
        try Data("\(sha)  \(name)\n".utf8).write(to: URL(fileURLWithPath: path + ".sha256"))
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        return Outcome(path: path, bytes: size, sha256: sha)
    }

    /// Restores `path` over the configured database, which must not be in use (stop the server first). The database
    /// it replaces is kept as `<database>.before-restore`. Answers how many audit entries were verified.
    func restore(from path: String) async throws -> Int {
        let target = try sqlitePath()
        let expected = (try? String(contentsOfFile: path + ".sha256", encoding: .utf8))?.split(separator: " ").first.map(String.init)
        guard let expected else { throw Failure(description: "\(path).sha256 is missing: refusing a backup whose checksum cannot be checked") }
        let actual = try Self.digest(path)
        guard actual == expected.lowercased() else {
            throw Failure(description: "checksum mismatch: \(path) is \(actual), its .sha256 says \(expected); refusing to restore")
        }
        // Checked on a staged copy through its own connection, before anything is replaced.
        let fm = FileManager.default
        let staged = target + ".restoring"
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: staged + suffix) }
        try fm.copyItem(atPath: path, toPath: staged)
        let id = DatabaseID(string: "restore-check")
        app.databases.use(.sqlite(.file(staged)), as: id, isDefault: false)
        let checked: Int
        do {
            let db = app.db(id)
            let result = try await DatabaseMaintenance(db).integrityCheck()
            guard result == ["ok"] else { throw Failure(description: "integrity check failed: \(result.prefix(3).joined(separator: "; "))") }
            let audit = try await AuditLog.verify(on: db)
            guard audit.isIntact else {
                throw Failure(description: "the backup's audit log is broken at entry \(audit.firstBroken ?? 0) (\(audit.failure?.rawValue ?? ""))")
            }
            checked = audit.checked
            await app.databases.reinitialize(id)
        } catch {
            await app.databases.reinitialize(id)
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: staged + suffix) }
            throw error
        }
        // The database it replaces is kept beside it.
        let kept = target + ".before-restore"
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: kept + suffix) }
        for suffix in ["", "-wal", "-shm"] where fm.fileExists(atPath: target + suffix) {
            try fm.moveItem(atPath: target + suffix, toPath: kept + suffix)
        }
        for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: staged + suffix) }
        try fm.moveItem(atPath: staged, toPath: target)
        return checked
    }
}

/// `skillchain backup --to FILE`: a consistent copy of the live SQLite database and its SHA-256.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "to", help: "the new backup file") var to: String?
    }
    var help: String { "Backs up the SQLite database while the server runs (VACUUM INTO), with a SHA-256 file beside it." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let to = signature.to, !to.isEmpty else { throw CLIError(message: "backup needs --to FILE") }
        let o = try await BackupService(context.application).take(to: to)
        context.console.print("Backed up to \(o.path) (\(o.bytes) bytes, sha256 \(o.sha256)).")
    }
}

/// `skillchain restore --from FILE`: checks the checksum and integrity, restores, verifies the audit chain.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "from", help: "the backup file (its .sha256 beside it)") var from: String?
    }
    var help: String { "Restores a SQLite backup over the configured database (server stopped); refuses a damaged file." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let from = signature.from, !from.isEmpty else { throw CLIError(message: "restore needs --from FILE") }
        let checked = try await BackupService(context.application).restore(from: from)
        context.console.print("Restored from \(from): integrity ok, audit log intact (\(checked) entries verified).")
    }
}
