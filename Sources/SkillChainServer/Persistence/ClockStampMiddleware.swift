import Fluent
import Foundation
import Vapor

/// A record that notes when it was created (`created_at`), from the application's clock.
protocol CreationStamped: AnyObject {
    var createdAt: Date? { get set }
}

/// A record that notes when it last changed (`updated_at`), from the application's clock.
protocol UpdateStamped: AnyObject {
    var updatedAt: Date? { get set }
}

/// Stamps `created_at` and `updated_at` from the application's clock, where Fluent's `@Timestamp` would read the system
/// time: a test that moves the clock ages records as it ages everything else. A creation time set by the caller (an
/// import of older records) is kept.
struct ClockStampMiddleware: AnyModelMiddleware {
    /// Read at each write: a test may replace the application's clock after `configure`.
    let app: Application

    func handle(_ event: ModelEvent, _ model: any AnyModel, on db: any Database, chainingTo next: any AnyModelResponder)
        -> EventLoopFuture<Void>
    {
        switch event {
        case .create:
            let now = app.now
            if let stamped = model as? any CreationStamped, stamped.createdAt == nil { stamped.createdAt = now }
            if let stamped = model as? any UpdateStamped { stamped.updatedAt = now }
        case .update:
            if model.hasChanges, let stamped = model as? any UpdateStamped { stamped.updatedAt = app.now }
        default: break
        }
        return next.handle(event, model, on: db)
    }
}
