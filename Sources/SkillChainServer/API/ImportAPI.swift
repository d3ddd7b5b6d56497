import Fluent
import SkillChainCore
import Vapor

/// `POST /api/v1/roster-imports`: the roster import of the people page, as JSON.
enum ImportAPI {
    static func importRoster(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let outcome = try await RosterImportService(req.application).run(
            try ImportPages.uploadedBytes(req), organizationID: actor.organizationID, actor: actor)
        guard outcome.errors.isEmpty else {
            throw ValidationFailure(
                outcome.errors.map {
                    FieldError($0.line > 0 ? "line \($0.line)\($0.column.isEmpty ? "" : ": \($0.column)")" : "file", $0.code, $0.args)
                })
        }
        return try ResourceAPI.created(ImportPages.ImportResponse(imported: outcome.imported, encoding: outcome.encoding?.rawValue ?? "utf8"))
    }
}
