import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Every row Fluent creates takes its id from the application's random source (not Fluent's own `UUID()`), so a test
/// with a seeded source gets the same ids on every run.
struct RandomIDMiddleware: AnyModelMiddleware {
    /// Read at each creation: a test may replace the application's random source after `configure`.
    let app: Application

    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database, chainingTo next: any AnyModelResponder)
        -> EventLoopFuture<Void>
    {
        if case .create = event, let model = model as? any Model { assign(model) }
        return next.handle(event, model, on: db)
    }

    private func assign<M: Model>(_ model: M) {
        guard model.id == nil, M.IDValue.self == UUID.self, let id = app.random.uuid() as? M.IDValue else { return }
        model.id = id
    }
}

extension UUID {
    /// An id no row has: what a filter uses to match nothing (no actor's person, no grant).
    static let nothing = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))

    /// A version 8 (RFC 9562) UUID from the first 16 bytes of a digest: a stable id for a row whose content is unique.
    static func derived(from digest: some Sequence<UInt8>) -> UUID {
        var b = Array(digest.prefix(16))
        while b.count < 16 { b.append(0) }
        b[6] = (b[6] & 0x0F) | 0x80
        b[8] = (b[8] & 0x3F) | 0x80
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
