import Leaf
import LeafKit
import SkillChainCore

/// `#t("key")` or `#t("key", arg0, arg1)`: the message in the request's language (HTML-escaped by Leaf).
struct TranslateTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string else { throw LeafError(.unknownError("#t() needs a key")) }
        let args = ctx.parameters.dropFirst().map { $0.string ?? "" }
        guard let req = ctx.request else { return .string(key) }
        return .string(req.application.localizer.string(key, req.locale, Array(args)))
    }
}
