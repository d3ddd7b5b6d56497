import Fluent
import Vapor

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

/// Serves the OpenAPI document (`Resources/openapi.json`) with this deployment's server URL.
enum OpenAPIDocument {
    static func load(_ app: Application) throws -> Data {
        let url = URL(fileURLWithPath: app.directory.resourcesDirectory + "openapi.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        json["servers"] = [["url": app.config.publicURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))]]
        return try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    static func serve(_ req: Request) throws -> Response {
        let data = try load(req.application)
        return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: data))
    }
}
