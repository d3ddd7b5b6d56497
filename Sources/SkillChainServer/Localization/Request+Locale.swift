import SkillChainCore
import Vapor

extension Application {
    struct LocalizerKey: StorageKey { typealias Value = Localizer }
    var localizer: Localizer {
        get { storage[LocalizerKey.self]! }
        set { storage[LocalizerKey.self] = newValue }
    }
}

extension Request {
    private struct LocaleKey: StorageKey { typealias Value = AppLocale }
    var locale: AppLocale {
        get { storage[LocaleKey.self] ?? .default }
        set { storage[LocaleKey.self] = newValue }
    }

    /// The message for `key` in the request's language.
    func t(_ key: String, _ args: [String] = []) -> String {
        application.localizer.string(key, locale, args)
    }
}

/// Chooses the language: `?lang=` (remembered in a cookie), then the cookie, then `Accept-Language`.
struct LocaleMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let names = req.application.cookieNames
        var remember: AppLocale?
        if let tag = req.query[String.self, at: "lang"], let chosen = AppLocale(tag: tag) {
            req.locale = chosen
            remember = chosen
        } else if let tag = req.cookies[names.locale]?.string, let saved = AppLocale(tag: tag) {
            req.locale = saved
        } else {
            req.locale = AppLocale.negotiate(acceptLanguage: req.headers.first(name: .acceptLanguage))
        }
        let response = try await next.respond(to: req)
        if let remember {
            response.cookies[names.locale] = names.cookie(remember.rawValue, maxAge: 365 * 24 * 3600)
        }
        if response.headers.first(name: .contentLanguage) == nil {
            response.headers.replaceOrAdd(name: .contentLanguage, value: req.locale.rawValue)
        }
        return response
    }
}
