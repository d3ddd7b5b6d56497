import Foundation

/// The two languages of the user interface. Simplified Chinese is the default.
public enum AppLocale: String, Sendable, CaseIterable, Codable {
    case zhHans = "zh-Hans"
    case en

    public static let `default` = AppLocale.zhHans

    /// Accepts `en`, `en-US`, `zh`, `zh-Hans`, `zh-CN`, … and nothing else.
    public init?(tag: String) {
        let t = tag.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "en" || t.hasPrefix("en-") { self = .en } else if t == "zh" || t.hasPrefix("zh-") { self = .zhHans } else { return nil }
    }

    /// The best match for an `Accept-Language` header, honouring q-values.
    public static func negotiate(acceptLanguage: String?) -> AppLocale {
        guard let header = acceptLanguage else { return .default }
        let ranked = header.split(separator: ",").compactMap { part -> (AppLocale, Double)? in
            let pieces = part.split(separator: ";")
            guard let tag = pieces.first, let locale = AppLocale(tag: String(tag)) else { return nil }
            let q =
                pieces.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
                .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)) } ?? 1
            return (locale, q)
        }
        return ranked.filter { $0.1 > 0 }.max { $0.1 < $1.1 }?.0 ?? .default
    }
}

/// Message catalogs, one flat JSON object per locale (`Resources/Localizations/<locale>.json`).
/// `{0}`, `{1}` … in a message are replaced by arguments.
public struct Localizer: Sendable {
    public let catalogs: [AppLocale: [String: String]]

    public init(catalogs: [AppLocale: [String: String]]) { self.catalogs = catalogs }

    public init(directory: URL) throws {
        var loaded: [AppLocale: [String: String]] = [:]
        for locale in AppLocale.allCases {
            let data = try Data(contentsOf: directory.appendingPathComponent("\(locale.rawValue).json"))
            loaded[locale] = try JSONDecoder().decode([String: String].self, from: data)
        }
        self.init(catalogs: loaded)
    }

    /// The message for `key`; a missing key shows itself (and a test keeps that from shipping).
    /// The text for `key` with `{0}`, `{1}` … replaced by `args`; an argument written `@key` is itself translated
    /// (so domain rules can name a level or an education without knowing the language).
    public func string(_ key: String, _ locale: AppLocale, _ args: [String] = []) -> String {
        var text = catalogs[locale]?[key] ?? catalogs[.default]?[key] ?? key
        for (i, arg) in args.enumerated() {
            // `@key` is a message of its own, filled with the arguments after it (`第 {0} 行：{1}` with
            // `[3, @import.unknownValue, 车间]`); the outer message may use those arguments too.
            let value = arg.hasPrefix("@") ? string(String(arg.dropFirst()), locale, Array(args.dropFirst(i + 1))) : arg
            text = text.replacingOccurrences(of: "{\(i)}", with: value)
        }
        return text
    }

    public func has(_ key: String, _ locale: AppLocale) -> Bool { catalogs[locale]?[key] != nil }

    /// Keys present in one catalog and missing from another.
    public func missingKeys() -> [AppLocale: Set<String>] {
        let all = catalogs.values.reduce(into: Set<String>()) { $0.formUnion($1.keys) }
        var result: [AppLocale: Set<String>] = [:]
        for locale in AppLocale.allCases {
            let missing = all.subtracting(catalogs[locale]?.keys.map { $0 } ?? [])
            if !missing.isEmpty { result[locale] = missing }
        }
        return result
    }
}
