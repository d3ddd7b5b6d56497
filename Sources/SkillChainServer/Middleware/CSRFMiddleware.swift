import Crypto
import Foundation
import SkillChainCore
import Vapor

/// Protects every state-changing page request: the `Origin` / `Sec-Fetch-Site` headers must not
/// name another site, and the form must carry `_csrf` = HMAC(key, csrf cookie) — a signed
/// double-submit token that works before login too. The API takes no cookies and is exempt.
struct CSRFMiddleware: AsyncMiddleware {
    static let field = "_csrf"
    /// Page routes that accept bodies larger than the default limit.
    static let uploadPaths: Set<String> = [SiteURL.peopleImport.path]

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.isAPI || req.url.path == SiteURL.healthz.path || req.url.path == SiteURL.readyz.path { return try await next.respond(to: req) }
        let names = req.application.cookieNames
        var cookieValue = req.cookies[names.csrf]?.string ?? ""
        let isNew = cookieValue.count < 32
        if isNew { cookieValue = req.application.random.token() }
        req.csrfToken = Self.token(for: cookieValue, req.application)

        if ![.GET, .HEAD, .OPTIONS].contains(req.method) {
            guard originAllowed(req) else { throw Abort(.forbidden, reason: "csrf.origin") }
            // A large upload may still be streaming: collect it (within the route's limit) to read the token.
            if req.body.data == nil {
                let limit = Self.uploadPaths.contains(req.url.path) ? ImportPages.maxUpload : req.application.routes.defaultMaxBodySize
                _ = try await req.body.collect(max: limit.value).get()
            }
            let sent = (try? req.content.get(String.self, at: Self.field)) ?? req.headers.first(name: "X-CSRF-Token") ?? ""
            guard !isNew, Tokens.equal(sent, req.csrfToken) else { throw Abort(.forbidden, reason: "csrf.token") }
        }
        let response = try await next.respond(to: req)
        if isNew { response.cookies[names.csrf] = names.cookie(cookieValue, maxAge: nil) }
        return response
    }

    static func token(for cookie: String, _ app: Application) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(cookie.utf8), using: app.secretKeys.csrfKey)).hexString
    }

    private func originAllowed(_ req: Request) -> Bool {
        if let site = req.headers.first(name: "Sec-Fetch-Site"), !["same-origin", "none"].contains(site) { return false }
        guard let origin = req.headers.first(name: .origin), origin != "null" else { return true }
        if origin == req.application.config.publicOrigin { return true }
        if let host = req.headers.first(name: .host), origin == "http://\(host)" || origin == "https://\(host)" { return true }
        return false
    }
}

extension Request {
    private struct CSRFKey: StorageKey { typealias Value = String }
    var csrfToken: String {
        get { storage[CSRFKey.self] ?? "" }
        set { storage[CSRFKey.self] = newValue }
    }
}

extension Application {
    private struct SecretKeysKey: StorageKey { typealias Value = SecretKeys }
    var secretKeys: SecretKeys {
        if let k = storage[SecretKeysKey.self] { return k }
        let k = SecretKeys(secret: config.secret)
        storage[SecretKeysKey.self] = k
        return k
    }

    var personalData: PersonalDataCipher { PersonalDataCipher(keys: secretKeys) }
}
