import Fluent
import SkillChainCore
import Vapor

/// Correcting a programme (`/programs/{id}/edit`): name and dates while planning; after the start only the end date,
/// capacity and hours, with a reason (Core `ProgramEdit`). The form carries the version; a stale one comes back.
enum ProgramEditPages {
    struct Body: Encodable {
        let name: String
        let version: Int
        let started: Bool
        let values: [String: String]
        let errors: [String: String]
        let action: String
        let backHref: String
    }

    struct Form: Content {
        var version: Int?
        var name: String?
        var startDate: String?
        var endDate: String?
        var capacity: String?
        var hoursGeneral: String?
        var hoursBasics: String?
        var hoursOperational: String?
        var reason: String?
    }

    static func show(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let d = try await ProgramService.authorized(try req.idParameter(), .editProgram, actor: actor, on: req.db)
        let p = d.program
        return try await render(
            req, p,
            form: Form(
                version: p.version, name: p.name, startDate: p.startDate, endDate: p.endDate,
                capacity: String(p.capacity), hoursGeneral: String(p.hoursGeneral),
                hoursBasics: String(p.hoursBasics), hoursOperational: String(p.hoursOperational)))
    }

    static func render(_ req: Request, _ p: ProgramRecord, form: Form, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let values = [
            "name": form.name, "startDate": form.startDate, "endDate": form.endDate, "capacity": form.capacity,
            "hoursGeneral": form.hoursGeneral, "hoursBasics": form.hoursBasics, "hoursOperational": form.hoursOperational,
            "reason": form.reason,
        ].compactMapValues { $0 }
        return try await Page.render(
            "program-edit", title: req.t("program.edit"),
            Body(
                name: p.name, version: form.version ?? p.version, started: p.status != ProgramStatus.planning.rawValue, values: values,
                errors: errors,
                action: SiteURL.programUpdate(p.id!).path, backHref: SiteURL.program(p.id!).path), req, status: status)
    }

    static func save(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let form = try req.content.decode(Form.self)
        let d = try await ProgramService.authorized(id, .editProgram, actor: actor, on: req.db)
        let planning = d.status == .planning
        let patch = ProgramPatch(
            name: planning ? form.name ?? "" : nil, startDate: planning ? form.startDate ?? "" : nil,
            endDate: form.endDate ?? "", capacity: FormDecoding.int(form.capacity) ?? 0,
            hoursGeneral: FormDecoding.int(form.hoursGeneral) ?? -1, hoursBasics: FormDecoding.int(form.hoursBasics) ?? -1,
            hoursOperational: FormDecoding.int(form.hoursOperational) ?? -1, reason: form.reason)
        do {
            return try await Page.attempt(req) {
                try await ProgramEditService(req.application).update(
                    id, patch, expected: form.version.map { .versions([$0]) } ?? .none, actor: actor)
                return Page.redirect(.program(id), flash: "flash.programUpdated", req)
            } onFailure: {
                try await render(req, d.program, form: form, errors: $0, status: .unprocessableEntity)
            }
        } catch is StaleRecord {
            let fresh = try await ProgramService.load(id, on: req.db).program
            var shown = form
            shown.version = fresh.version
            return try await render(req, fresh, form: shown, errors: ["form": req.t("edit.staleProgram")], status: .conflict)
        }
    }
}
