import Fluent
import SkillChainCore
import Vapor

enum OrganizationPages {
    struct Row: Encodable {
        let href: String
        let name: String
        let kind: String
        let region: String
        let creditCode: String
    }
    struct ListBody: Encodable {
        let q: String
        let kinds: [ChoiceOption]
        let rows: [Row]
        let pagination: Pagination
        let canCreate: Bool
        let newHref: String
        let archived: Bool
    }

    static func list(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let filter = OrganizationService.Filter(
            q: req.query[String.self, at: "q"], kind: req.query[String.self, at: "kind"],
            region: req.query[String.self, at: "region"], archived: req.query[String.self, at: "archived"] == "1")
        let page = Pagination.requestedPage(req)
        let total = try await OrganizationService.query(filter, on: req.db).count()
        let rows = try await OrganizationService.query(filter, on: req.db).sort(\.$name)
            .range((page - 1) * Pagination.perPage..<page * Pagination.perPage).all()
        return try await Page.render(
            "organizations", title: req.t("organizations.title"),
            ListBody(
                q: filter.q ?? "",
                kinds: Page.options(OrganizationKind.self, prefix: "kind", selected: [filter.kind ?? ""], req),
                rows: rows.map {
                    Row(
                        href: SiteURL.organization($0.id!).path, name: $0.name, kind: req.t("kind.\($0.kind)"),
                        region: RegionCatalog.shared.fullName($0.regionCode) ?? $0.regionCode, creditCode: $0.creditCode)
                },
                pagination: Pagination(page: page, total: total, req),
                canCreate: Policy.grant(actor.role, .createOrganization) != .none,
                newHref: SiteURL.newOrganization.path, archived: filter.archived), req)
    }

    struct DetailBody: Encodable {
        let name: String
        let kind: String
        let creditCode: String
        let region: String
        let flags: [String]
        let insuredEmployees: Int
        let archived: Bool
        let canArchive: Bool
        let archiveAction: String
        let restoreAction: String
        let errors: [String: String]
        let contact: String
        let address: String
        let retention: String
        let canEdit: Bool
        let editHref: String
        let history: [RecordHistoryService.Entry]
        let hasHistory: Bool
    }

    static func show(_ req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound }
        return try await render(req, id: id)
    }

    static func render(_ req: Request, id: UUID, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        guard let org = try await OrganizationRecord.find(id, on: req.db) else { throw DomainError.notFound }
        // Its history, for those who may correct it (the platform admin and its own admins).
        let canEdit = actor.can(.editOrganization, actor.scope(owner: id))
        let history =
            canEdit
            ? try await RecordHistoryService.entries(
                objectType: "organization", objectID: id, req: req,
                fieldLabel: { req.t("organization.\($0)") }) : []
        return try await Page.render(
            "organization", title: org.name,
            DetailBody(
                name: org.name, kind: req.t("kind.\(org.kind)"), creditCode: org.creditCode,
                region: RegionCatalog.shared.fullName(org.regionCode) ?? org.regionCode,
                flags: {
                    let f = EnterpriseFlags(rawValue: org.flags).names.map { req.t("flag.\($0)") }
                    return f.isEmpty ? ["—"] : f
                }(),
                insuredEmployees: org.insuredEmployees, archived: org.archivedAt != nil,
                canArchive: Policy.grant(actor.role, .createOrganization) == .all && id != actor.organizationID,
                archiveAction: SiteURL.organizationArchive(id).path, restoreAction: SiteURL.organizationRestore(id).path, errors: errors,
                contact: org.contact ?? "—", address: org.address ?? "—",
                retention: org.retentionDays.map { req.t("organization.retentionValue", [String($0)]) } ?? req.t("organization.retentionOff"),
                canEdit: canEdit, editHref: SiteURL.organizationEdit(id).path, history: history, hasHistory: !history.isEmpty), req, status: status)
    }

    /// The platform admin archives an organization (with a reason): its logins stop, its records stay.
    static func archive(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(ArchiveInput.self)
        return try await Page.attempt(req) {
            try await ArchiveService(req.application).organization(id, archived: true, input, actor: actor)
            return Page.redirect(.organization(id), flash: "flash.archived", req)
        } onFailure: {
            try await render(req, id: id, errors: $0, status: .unprocessableEntity)
        }
    }

    static func restore(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        return try await Page.attempt(req) {
            try await ArchiveService(req.application).organization(id, archived: false, .init(), actor: actor)
            return Page.redirect(.organization(id), flash: "flash.restored", req)
        } onFailure: {
            try await render(req, id: id, errors: $0, status: .unprocessableEntity)
        }
    }

    struct FormBody: Encodable {
        let values: [String: String]
        let errors: [String: String]
        let kinds: [ChoiceOption]
        let regions: [ChoiceOption]
        let flags: [ChoiceOption]
        let action: String
    }

    static func form(_ req: Request, input: OrganizationInput = .init(), errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        try await Page.render(
            "organization-new", title: req.t("organizations.new"),
            FormBody(
                values: [
                    "name": input.name ?? "", "creditCode": input.creditCode ?? "",
                    "insuredEmployees": input.insuredEmployees.map(String.init) ?? "",
                ],
                errors: errors,
                kinds: Page.options(OrganizationKind.self, prefix: "kind", selected: [input.kind ?? ""], req),
                regions: Page.regionOptions(selected: input.regionCode, req),
                flags: EnterpriseFlags.all.map {
                    ChoiceOption(value: $0.name, label: req.t("flag.\($0.name)"), selected: input.flags?.contains($0.name) ?? false)
                },
                action: SiteURL.organizations.path), req, status: status)
    }

    static func showForm(_ req: Request) async throws -> Response { try await form(req) }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try FormDecoding.organization(req)
        do {
            let org = try await OrganizationService(req.application).create(input, actor: actor)
            return Page.redirect(.organization(org.id!), flash: "flash.organizationCreated", req)
        } catch let failure as ValidationFailure {
            return try await form(req, input: input, errors: Page.errors(failure, req), status: .unprocessableEntity)
        }
    }
}

/// Reads HTML form bodies leniently (every field a string), so a bad number becomes a field error, not a 400.
enum FormDecoding {
    struct Raw: Content {
        var name: String?
        var kind: String?
        var creditCode: String?
        var regionCode: String?
        var flags: [String]?
        var insuredEmployees: String?
    }

    static func organization(_ req: Request) throws -> OrganizationInput {
        let raw = try req.content.decode(Raw.self)
        var input = OrganizationInput(
            name: raw.name, kind: raw.kind, creditCode: raw.creditCode, regionCode: raw.regionCode,
            flags: raw.flags ?? [], insuredEmployees: nil)
        let employees = (raw.insuredEmployees ?? "").trimmingCharacters(in: .whitespaces)
        if !employees.isEmpty { input.insuredEmployees = Int(employees) ?? -1 }
        return input
    }

    /// A non-negative integer field, or -1 (which validation rejects as out of range).
    static func int(_ text: String?) -> Int? {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces)
        return t.isEmpty ? nil : (Int(t) ?? -1)
    }
}
