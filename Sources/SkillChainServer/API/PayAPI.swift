import Fluent
import SkillChainCore
import Vapor

/// The JSON API beside `PayPages` (the pages of the same records).
enum PayAPI {
    static func list(_ req: Request) async throws -> APIPage<PayGridResponse> {
        let rows = try await PayService.grids(actor: try req.requireActor(), on: req.db)
        let names = try await OrganizationRecord.names(rows.map(\.organizationID), \.name, on: req.db)
        return APIPage(items: rows.map { PayPages.response($0, name: names[$0.organizationID] ?? "", req.application) }, nextCursor: nil)
    }

    /// The enterprise's grid as saved over time, newest first (a replaced grid stays readable).
    static func versions(_ req: Request) async throws -> APIPage<PayGridVersionResponse> {
        let rows = try await PayService.versions(actor: try req.requireActor(), on: req.db)
        return APIPage(
            items: rows.map {
                PayGridVersionResponse(
                    version: $0.version, bands: (try? JSONDecoder().decode([PayBand].self, from: Data($0.bands.utf8))) ?? [],
                    middleManagerPay: $0.middleManagerPay, seniorManagerPay: $0.seniorManagerPay, savedAt: $0.savedAt)
            }, nextCursor: nil)
    }

    static func save(_ req: Request) async throws -> PayGridResponse {
        let actor = try req.requireActor()
        let r = try await PayService(req.application).saveGrid(try req.content.decode(PayGridInput.self), actor: actor)
        return PayPages.response(r, name: actor.organizationName, req.application)
    }

    static func importRecords(_ req: Request) async throws -> Response {
        let n = try await PayService(req.application).importPay(try ImportPages.uploadedBytes(req), actor: try req.requireActor())
        return try ResourceAPI.created(PayPages.ImportResponse(imported: n))
    }

    static func gaps(_ req: Request) async throws -> PayGapResponse {
        try await PayService.gaps(actor: try req.requireActor(), on: req.db, today: req.today)
    }
}
