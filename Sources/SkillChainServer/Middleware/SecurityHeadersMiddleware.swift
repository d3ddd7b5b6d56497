import Vapor

/// Security headers on every response (OWASP ASVS 5.0 §3.4): CSP with frame-ancestors, nosniff,
/// Referrer-Policy, and HSTS when served over https.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    let https: Bool

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response: Response
        do { response = try await next.respond(to: req) } catch { throw error }
        let h = response.headers
        if !h.contains(name: "Content-Security-Policy") {
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value:
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
            )
        }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Cross-Origin-Opener-Policy", value: "same-origin")
        if https {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        if req.actor != nil || req.isAPI {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }
}
