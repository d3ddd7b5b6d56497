import Vapor

/// Answers 405 with `Allow` when the path exists under another method (the router alone says 404).
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch let notFound as RouteNotFound {
            let parts = req.url.path.split(separator: "/").map(String.init)
            let methods = req.application.routes.all.filter { route in
                route.path.count == parts.count
                    && zip(route.path, parts).allSatisfy { component, part in
                        switch component {
                        case .constant(let c): c == part
                        case .parameter: true
                        default: false
                        }
                    }
            }.map(\.method.rawValue)
            guard !methods.isEmpty else { throw notFound }
            throw Abort(.methodNotAllowed, headers: ["Allow": Set(methods).sorted().joined(separator: ", ")])
        }
    }
}
