import Vapor

/// Cookie names and attributes. With an https public URL the names carry the `__Host-` prefix,
/// which browsers only accept with `Secure`, `Path=/` and no `Domain`.
struct CookieNames: Sendable {
    let session: String
    let csrf: String
    let locale: String
    let flash: String
    let secure: Bool

    init(config: AppConfig) {
        secure = config.isHTTPS
        let prefix = secure ? "__Host-" : ""
        session = prefix + "skillchain-session"
        csrf = prefix + "skillchain-csrf"
        locale = prefix + "skillchain-lang"
        flash = prefix + "skillchain-flash"
    }

    func cookie(_ value: String, maxAge: Int?, httpOnly: Bool = true) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: nil, maxAge: maxAge, domain: nil, path: "/",
            isSecure: secure, isHTTPOnly: httpOnly, sameSite: .lax)
    }

    func expired() -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, domain: nil, path: "/",
            isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
}

extension Application {
    var cookieNames: CookieNames { CookieNames(config: config) }
}
