import Fluent
import Vapor

/// `/healthz` (the process answers) and `/readyz` (the database answers, with the release and its migrations).
enum Health {
    static func live(_ req: Request) -> Response {
        Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(string: "ok\n"))
    }

    static func ready(_ req: Request) async -> Response {
        do {
            // The release and how many migrations this database has: what an operator checks after an upgrade.
            let applied = try await DatabaseMaintenance(req.db).appliedMigrations()
            let commit = BuildInfo.commit(home: req.application.directory.workingDirectory)
            let body = "ready\nversion: \(BuildInfo.version) (\(commit))\nmigrations: \(applied) of \(SkillChainMigrations.all.count)\n"
            return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(string: body))
        } catch {
            return Response(
                status: .serviceUnavailable, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(string: "database unreachable\n"))
        }
    }
}
