import Vapor

/// `GET /api/v1/dashboard`: the same counts as the dashboard page, for the same filters.
enum DashboardAPI {
    static func dashboard(_ req: Request) async throws -> DashboardResponse { try await DashboardPages.load(req) }
}
