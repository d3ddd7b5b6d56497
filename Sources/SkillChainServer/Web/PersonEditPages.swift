import Fluent
import SkillChainCore
import Vapor

/// Correcting a person (`/people/{id}/edit`): the form carries the version it started from; if someone else saved in
/// between, it comes back with their values beside the user's instead of overwriting them.
enum PersonEditPages {
    struct Difference: Encodable {
        let field: String
        let yours: String
        let current: String
    }
    struct Body: Encodable {
        let name: String
        let version: Int
        let values: [String: String]
        let errors: [String: String]
        let educations: [ChoiceOption]
        let categories: [ChoiceOption]
        let canChangeID: Bool
        let maskedID: String
        let action: String
        let backHref: String
        let stale: Bool
        let differences: [Difference]
    }

    struct Form: Content {
        var version: Int?
        var name: String?
        var phone: String?
        var education: String?
        var category: String?
        var citizenId: String?
        var reason: String?
    }

    static func show(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let p = try await PersonEditService.authorized(try req.idParameter(), actor: actor, on: req.db)
        let v = PersonEditService(req.application).values(p)
        return try await render(
            req, p, form: Form(version: p.version, name: v["name"], phone: v["phone"], education: p.education, category: p.category))
    }

    static func render(
        _ req: Request, _ p: PersonRecord, form: Form, errors: [String: String] = [:], differences: [Difference]? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.requireActor()
        return try await Page.render(
            "person-edit", title: req.t("person.edit"),
            Body(
                name: p.name, version: differences == nil ? (form.version ?? p.version) : p.version,
                values: ["name": form.name ?? "", "phone": form.phone ?? "", "citizenId": form.citizenId ?? "", "reason": form.reason ?? ""],
                errors: errors,
                educations: Page.options(Education.self, prefix: "education", selected: [form.education ?? p.education], req),
                categories: Page.options(PersonCategory.self, prefix: "category", selected: [form.category ?? p.category], req),
                canChangeID: actor.can(.revealCitizenID, actor.scope(owner: p.organizationID)), maskedID: p.citizenIDMasked,
                action: SiteURL.person(p.id!).path, backHref: SiteURL.person(p.id!).path,
                stale: differences != nil, differences: differences ?? []), req, status: status)
    }

    static func save(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let form = try req.content.decode(Form.self)
        let blankToNil = { (s: String?) in s.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        let patch = PersonPatch(
            name: form.name ?? "", phone: form.phone ?? "", education: form.education, category: form.category,
            citizenId: blankToNil(form.citizenId), reason: blankToNil(form.reason))
        let expected: RecordVersion.Precondition = form.version.map { .versions([$0]) } ?? .none
        do {
            return try await Page.attempt(req) {
                try await PersonEditService(req.application).update(id, patch, expected: expected, actor: actor)
                return Page.redirect(.person(id), flash: "flash.personUpdated", req)
            } onFailure: { errors in
                let p = try await PersonEditService.authorized(id, actor: actor, on: req.db)
                return try await render(req, p, form: form, errors: errors, status: .unprocessableEntity)
            }
        } catch is StaleRecord {
            // Someone saved in between: show their values beside the user's; saving again (with the new version) overwrites.
            let p = try await PersonEditService.authorized(id, actor: actor, on: req.db)
            let current = PersonEditService(req.application).values(p)
            let yours: [String: String] = [
                "name": form.name ?? "", "phone": (try? PhoneNumber.normalise(form.phone ?? "")) ?? (form.phone ?? ""),
                "education": form.education ?? "", "category": form.category ?? "",
            ]
            let differences = ["name", "phone", "education", "category"].compactMap { f -> Difference? in
                guard (yours[f] ?? "") != (current[f] ?? "") else { return nil }
                return Difference(field: req.t("person.\(f)"), yours: display(f, yours[f] ?? "", req), current: display(f, current[f] ?? "", req))
            }
            return try await render(req, p, form: form, differences: differences, status: .conflict)
        }
    }

    /// A field's value as the page shows it (codes as their labels).
    static func display(_ field: String, _ value: String, _ req: Request) -> String {
        guard !value.isEmpty else { return "—" }
        switch field {
        case "education", "category", "sex": return req.t("\(field).\(value)")
        default: return value
        }
    }

    static func archive(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        try await ArchiveService(req.application).person(id, archived: true, actor: try req.requireActor())
        return Page.redirect(.person(id), flash: "flash.archived", req)
    }

    static func restore(_ req: Request) async throws -> Response {
        let id = try req.idParameter()
        try await ArchiveService(req.application).person(id, archived: false, actor: try req.requireActor())
        return Page.redirect(.person(id), flash: "flash.restored", req)
    }
}
