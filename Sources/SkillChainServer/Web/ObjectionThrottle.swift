import Fluent
import SkillChainCore
import Vapor

/// Objections per client address: at most `limit` in an hour, counted in the shared throttle table.
enum ObjectionThrottle {
    static let limit = 5
    static let window: TimeInterval = 3600

    static func allow(_ req: Request) async throws -> Bool {
        let key = "objection:" + req.clientAddress
        return try await req.write { db in
            let now = req.now
            if let row = try await LoginThrottleRecord.find(key, on: db) {
                if now.timeIntervalSince(row.windowStart) >= window {
                    row.windowStart = now
                    row.failures = 1
                } else if row.failures >= limit {
                    return false
                } else {
                    row.failures += 1
                }
                try await row.update(on: db)
            } else {
                let row = LoginThrottleRecord()
                row.id = key
                row.windowStart = now
                row.failures = 1
                try await row.create(on: db)
            }
            return true
        }
    }
}
