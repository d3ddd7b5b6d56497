import Vapor

/// Serves `Public/` only under its own folders, so other requests never pay for a file-system look-up.
struct StaticFilesMiddleware: AsyncMiddleware {
    static let prefixes = ["/css/", "/js/", "/img/", "/favicon"]
    let files: FileMiddleware

    init(_ app: Application) {
        files = FileMiddleware(publicDirectory: app.directory.publicDirectory, defaultFile: nil)
    }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard Self.prefixes.contains(where: req.url.path.hasPrefix) else { return try await next.respond(to: req) }
        return try await files.respond(to: req, chainingTo: next)
    }
}
