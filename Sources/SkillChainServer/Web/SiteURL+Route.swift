import Foundation
import Vapor

extension UUID {
    /// Placeholders for a route's UUID parameters: `.organization(.routeID)` registers `/organizations/:id`.
    static let routeID = UUID(uuidString: "00000000-0000-4000-8000-0000000a0001")!
    static let routeOrg = UUID(uuidString: "00000000-0000-4000-8000-0000000a0002")!
    static let routeResult = UUID(uuidString: "00000000-0000-4000-8000-0000000a0003")!

    /// Each placeholder's segment in a built path and the parameter name it stands for.
    fileprivate static let routeParameters: [String: String] = [
        routeID.uuidString.lowercased(): "id", routeOrg.uuidString.lowercased(): "org", routeResult.uuidString.lowercased(): "result",
    ]
}

extension SiteURL {
    /// The route pattern of an address built with placeholders: a UUID placeholder becomes its parameter, a segment
    /// written `:name` a parameter, `**` the rest of the path. The route table and every link share one spelling.
    var pattern: [PathComponent] {
        let path = self.path
        precondition(!path.contains("?") && !path.contains("#"), "a route has no query or fragment: \(path)")
        return path.split(separator: "/").map { segment in
            if let name = UUID.routeParameters[String(segment)] { return .parameter(name) }
            return PathComponent(stringLiteral: String(segment))
        }
    }
}
