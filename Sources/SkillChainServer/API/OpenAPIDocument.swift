import Foundation
import Vapor

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
