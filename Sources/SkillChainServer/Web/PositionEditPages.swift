import Fluent
import SkillChainCore
import Vapor

/// Correcting a published position (`/positions/{id}/edit`): the creation form, filled, carrying the version; a stale
/// form or a change Core `PositionEdit` refuses comes back with the reason.
enum PositionEditPages {
    static func values(_ p: PositionRecord) -> [String: String] {
        var v = PositionEditService.values(p)
        v["frontLine"] = p.frontLine ? "on" : nil
        return v.filter { !$0.value.isEmpty }
    }

    static func show(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let p = try await PositionRecord.find(try req.idParameter(), on: req.db) else { throw DomainError.notFound }
        try actor.require(.editPosition, actor.scope(owner: p.organizationID))
        return try await PositionPages.form(req, values: values(p), editing: (p.id!, p.version))
    }

    static func save(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let form = try req.content.decode(PositionForm.self)
        let input = form.input(correcting: true)
        // Empty values left out: Leaf treats "" as true.
        let typed = form.values.filter { !$0.value.isEmpty }
        do {
            return try await Page.attempt(req) {
                try await PositionEditService(req.application).update(
                    id, input, expected: form.version.map { .versions([$0]) } ?? .none, actor: actor)
                return Page.redirect(.positions, flash: "flash.positionUpdated", req)
            } onFailure: { errors in
                try await PositionPages.form(req, values: typed, errors: errors, status: .unprocessableEntity, editing: (id, form.version ?? 1))
            }
        } catch is StaleRecord {
            guard let p = try await PositionRecord.find(id, on: req.db) else { throw DomainError.notFound }
            return try await PositionPages.form(
                req, values: values(p), errors: ["form": req.t("edit.stalePosition")], status: .conflict,
                editing: (id, p.version))
        }
    }
}
