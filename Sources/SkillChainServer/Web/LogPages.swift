import SkillChainCore
import Vapor

/// The transparency log as static-like files (C2SP tlog-tiles): `/log` (what it is and its verifier key),
/// `/log/checkpoint` (the signed tree head), `/log/tile/<L>/<N>[.p/<W>]` and `/log/tile/entries/<N>[.p/<W>]`
/// (immutable once served: a tile only ever grows into a new, wider one).
enum LogPages {
    static func info(_ req: Request) async throws -> Response {
        let app = req.application
        let (size, _) = try await TransparencyLog.checkpoint(app)
        let text =
            [
                req.t("log.intro"), "", TransparencyLog.origin(app), try await TransparencyLog.verifierKey(app), "",
                req.t("log.size", [String(size)]),
            ].joined(separator: "\n") + "\n"
        return plain(text, cache: "no-cache")
    }

    static func checkpoint(_ req: Request) async throws -> Response {
        plain(try await TransparencyLog.checkpoint(req.application).note, cache: "no-cache")
    }

    static func tile(_ req: Request) async throws -> Response {
        let parts = req.parameters.getCatchall()
        guard let (level, index, width) = parse(parts) else { throw DomainError.notFound }
        let key = "\(level)/\(index)"
        let cache = req.application.tileCache
        let found = width == TilePath.width ? cache.get(key) : nil
        var data = found
        if data == nil { data = try await TransparencyLog.tile(level: level, index: index, width: width, app: req.application) }
        guard let data else { throw DomainError.notFound }
        if width == TilePath.width, found == nil { cache.put(key, data) }
        let res = Response(status: .ok, body: .init(data: data))
        res.headers.contentType = .binary
        res.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=31536000, immutable")
        return res
    }

    /// `["0", "x001", "234.p", "17"]` → level 0, index 1234, width 17; `entries` is level -1.
    static func parse(_ parts: [String]) -> (level: Int, index: Int, width: Int)? {
        guard parts.count >= 2 else { return nil }
        let level = parts[0] == "entries" ? -1 : Int(parts[0])
        guard let level, parts[0] == "entries" || parts[0].allSatisfy(\.isNumber) else { return nil }
        var path = parts.dropFirst().joined(separator: "/")
        var width = TilePath.width
        if let p = path.range(of: ".p/") {
            guard let w = Int(path[p.upperBound...]), (1..<TilePath.width).contains(w) else { return nil }
            width = w
            path = String(path[..<p.lowerBound])
        }
        let elements = path.split(separator: "/", omittingEmptySubsequences: false)
        var index = 0
        for (i, e) in elements.enumerated() {
            let digits = i < elements.count - 1 ? (e.hasPrefix("x") ? e.dropFirst() : "") : e
            guard digits.count == 3, digits.allSatisfy(\.isNumber), let v = Int(digits) else { return nil }
            index = index * 1000 + v
        }
        guard TilePath.index(index) == path else { return nil }
        return (level, index, width)
    }

    static func plain(_ text: String, cache: String) -> Response {
        let res = Response(status: .ok, body: .init(string: text))
        res.headers.replaceOrAdd(name: .contentType, value: "text/plain; charset=utf-8")
        res.headers.replaceOrAdd(name: .cacheControl, value: cache)
        return res
    }
}
