import Fluent
import Foundation

/// One stored dashboard count: the response as JSON, keyed by the question it answers.
final class DashboardSnapshotRecord: Model, @unchecked Sendable {
    static let schema = "dashboard_snapshots"

    @ID(key: .id) var id: UUID?
    @Field(key: "key") var key: String
    @Field(key: "body") var body: String
    @Field(key: "counted_at") var countedAt: Date
    @Field(key: "milliseconds") var milliseconds: Int

    init() {}
}
