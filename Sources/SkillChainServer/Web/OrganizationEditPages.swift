import Fluent
import SkillChainCore
import Vapor

/// Correcting an organization (`/organizations/{id}/edit`): its own admin or the platform admin; the credit code only the
/// platform admin, with a reason. A stale form (someone saved in between) is refused with the current values shown.
enum OrganizationEditPages {
    struct Body: Encodable {
        let name: String
        let version: Int
        let values: [String: String]
        let errors: [String: String]
        let regions: [ChoiceOption]
        let flags: [ChoiceOption]
        let isEnterprise: Bool
        let canChangeCreditCode: Bool
        let action: String
        let backHref: String
    }

    struct Form: Content {
        var version: Int?
        var name: String?
        var contact: String?
        var address: String?
        var regionCode: String?
        var flags: [String]?
        var insuredEmployees: String?
        var retentionDays: String?
        var creditCode: String?
        var reason: String?
    }

    static func show(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let o = try await OrganizationEditService.authorized(try req.idParameter(), actor: actor, on: req.db)
        return try await render(
            req, o,
            form: Form(
                version: o.version, name: o.name, contact: o.contact, address: o.address, regionCode: o.regionCode,
                flags: EnterpriseFlags(rawValue: o.flags).names, insuredEmployees: String(o.insuredEmployees),
                retentionDays: o.retentionDays.map(String.init)))
    }

    static func render(_ req: Request, _ o: OrganizationRecord, form: Form, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.requireActor()
        return try await Page.render(
            "organization-edit", title: req.t("organization.edit"),
            Body(
                name: o.name, version: form.version ?? o.version,
                values: [
                    "name": form.name ?? "", "contact": form.contact ?? "", "address": form.address ?? "",
                    "insuredEmployees": form.insuredEmployees ?? "",
                    "retentionDays": form.retentionDays ?? "", "creditCode": form.creditCode ?? "", "reason": form.reason ?? "",
                ],
                errors: errors, regions: Page.regionOptions(selected: form.regionCode ?? o.regionCode, req),
                flags: EnterpriseFlags.all.map {
                    ChoiceOption(value: $0.name, label: req.t("flag.\($0.name)"), selected: (form.flags ?? []).contains($0.name))
                },
                isEnterprise: o.kind == OrganizationKind.enterprise.rawValue,
                canChangeCreditCode: Policy.grant(actor.role, .createOrganization) == .all,
                action: SiteURL.organization(o.id!).path, backHref: SiteURL.organization(o.id!).path), req, status: status)
    }

    static func save(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let form = try req.content.decode(Form.self)
        let org = try await OrganizationEditService.authorized(id, actor: actor, on: req.db)
        let canChangeCode = Policy.grant(actor.role, .createOrganization) == .all
        let typedCode = (form.creditCode ?? "").trimmingCharacters(in: .whitespaces)
        let patch = OrganizationPatch(
            name: form.name ?? "", contact: form.contact ?? "", address: form.address ?? "", regionCode: form.regionCode ?? "",
            flags: org.kind == OrganizationKind.enterprise.rawValue ? (form.flags ?? []) : nil,
            insuredEmployees: FormDecoding.int(form.insuredEmployees) ?? -1,
            retentionDays: (form.retentionDays ?? "").isEmpty ? 0 : (FormDecoding.int(form.retentionDays) ?? -1),
            creditCode: canChangeCode && !typedCode.isEmpty && typedCode.uppercased() != org.creditCode ? typedCode : nil,
            reason: form.reason)
        do {
            return try await Page.attempt(req) {
                try await OrganizationEditService(req.application).update(
                    id, patch, expected: form.version.map { .versions([$0]) } ?? .none, actor: actor)
                return Page.redirect(.organization(id), flash: "flash.organizationUpdated", req)
            } onFailure: {
                try await render(req, org, form: form, errors: $0, status: .unprocessableEntity)
            }
        } catch is StaleRecord {
            let current = try await OrganizationEditService.authorized(id, actor: actor, on: req.db)
            var fresh = form
            fresh.version = current.version
            return try await render(req, current, form: fresh, errors: ["form": req.t("edit.staleOrganization")], status: .conflict)
        }
    }
}
