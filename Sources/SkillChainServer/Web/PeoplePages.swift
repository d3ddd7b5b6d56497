import Fluent
import SkillChainCore
import Vapor

enum PeoplePages {
    struct Row: Encodable {
        let href: String
        let name: String
        let citizenId: String
        let sex: String
        let category: String
        let phone: String
    }
    struct ListBody: Encodable {
        let q: String
        let categories: [ChoiceOption]
        let rows: [Row]
        let pagination: Pagination
        let canCreate: Bool
        let newHref: String
        let canImport: Bool
        let importHref: String
        let archived: Bool
    }

    /// The organization whose people the actor works with (nil: every organization, platform admin only).
    static func scopeOrganization(_ actor: Actor) -> UUID? {
        Policy.grant(actor.role, .listPeople) == .all ? nil : actor.organizationID
    }

    static func list(_ req: Request) async throws -> Response {
        let filter = PersonService.Filter(
            q: req.query[String.self, at: "q"], category: req.query[String.self, at: "category"],
            archived: req.query[String.self, at: "archived"] == "1")
        if let q = filter.q, (try? CitizenID(q)) != nil {
            // An ID number never travels in a URL (history, proxies, logs): search by POST instead.
            return req.redirect(to: listURL(q: nil, category: filter.category))
        }
        return try await render(req, filter: filter, page: Pagination.requestedPage(req))
    }

    /// The search form posts here. A full ID number is searched by blind index and answered directly;
    /// anything else becomes an ordinary, bookmarkable GET.
    static func search(_ req: Request) async throws -> Response {
        struct Form: Content {
            var q: String?
            var category: String?
            var archived: String?
        }
        let form = try req.content.decode(Form.self)
        let q = form.q?.trimmingCharacters(in: .whitespaces) ?? ""
        let filter = PersonService.Filter(q: q, category: form.category, archived: form.archived == "1")
        if (try? CitizenID(q)) != nil { return try await render(req, filter: filter, page: 1) }
        return req.redirect(to: listURL(q: q, category: form.category, archived: filter.archived), redirectType: .normal)
    }

    /// The people list with the given filters (empty ones left out).
    static func listURL(q: String?, category: String?, archived: Bool = false) -> String {
        var components = URLComponents()
        components.queryItems = [("q", q ?? ""), ("category", category ?? ""), ("archived", archived ? "1" : "")].filter { !$0.1.isEmpty }
            .map { URLQueryItem(name: $0.0, value: $0.1) }
        return SiteURL.people.path + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
    }

    static func render(_ req: Request, filter: PersonService.Filter, page: Int) async throws -> Response {
        let actor = try req.requireActor()
        let org = scopeOrganization(actor)
        let total = try await PersonService(req.application).query(filter, organizationID: org, on: req.db).count()
        let rows = try await PersonService(req.application).query(filter, organizationID: org, on: req.db).sort(\.$name)
            .range((page - 1) * Pagination.perPage..<page * Pagination.perPage).all()
        return try await Page.render(
            "people", title: req.t("people.title"),
            ListBody(
                q: filter.q ?? "",
                categories: Page.options(PersonCategory.self, prefix: "category", selected: [filter.category ?? ""], req),
                rows: rows.map {
                    Row(
                        href: SiteURL.person($0.id!).path, name: $0.name, citizenId: $0.citizenIDMasked,
                        sex: req.t("sex.\($0.sex)"), category: req.t("category.\($0.category)"), phone: $0.phoneMasked)
                },
                pagination: Pagination(page: page, total: total, req),
                canCreate: Policy.grant(actor.role, .createPerson) != .none, newHref: SiteURL.newPerson.path,
                canImport: Policy.grant(actor.role, .importRoster) != .none, importHref: SiteURL.peopleImport.path, archived: filter.archived), req)
    }

    struct DetailBody: Encodable {
        let name: String
        let citizenId: String
        let revealed: Bool
        let sex: String
        let birthDate: String
        let phone: String
        let education: String
        let category: String
        let organization: String
        let canReveal: Bool
        let revealHref: String
        let canEdit: Bool
        let editHref: String
        let archived: Bool
        let archiveAction: String
        let restoreAction: String
        let history: [RecordHistoryService.Entry]
        let corrections: [CorrectionRow]
        let correctionErrors: [String: String]
        let hasCorrections: Bool
        let hasHistory: Bool
    }

    /// The person's history: every audit entry about them, the changed fields masked as the log keeps them.
    static func history(_ id: UUID, _ req: Request) async throws -> [RecordHistoryService.Entry] {
        try await RecordHistoryService.entries(
            objectType: "person", objectID: id, req: req, fieldLabel: { req.t("person.\($0)") },
            value: { PersonEditPages.display($0, $1, req) })
    }

    static func show(_ req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound }
        return try await render(req, id: id)
    }

    struct CorrectionRow: Encodable {
        let id: String
        let field: String
        let value: String
        let explanation: String
        let action: String
    }

    /// Open correction requests for this record, for those who may edit it (the requested value opened for them).
    static func corrections(_ p: PersonRecord, canEdit: Bool, _ req: Request) async throws -> [CorrectionRow] {
        guard canEdit else { return [] }
        return try await PersonalDataStore(req.db).openCorrections(of: p.id!).map { c in
            let value = (try? req.application.personalData.open(c.requestedValueSealed)) ?? ""
            return CorrectionRow(
                id: c.id!.uuidString.lowercased(), field: req.t("person.\(c.field)"), value: PersonEditPages.display(c.field, value, req),
                explanation: c.explanation ?? "", action: SiteURL.correctionDecision(c.id!).path)
        }
    }

    static func render(_ req: Request, id: UUID, correctionErrors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        guard let p = try await PersonRecord.find(id, on: req.db) else { throw DomainError.notFound }
        try actor.require(.viewPerson, actor.scope(owner: p.organizationID))
        let canReveal = actor.can(.revealCitizenID, actor.scope(owner: p.organizationID))
        let canEdit = actor.can(.editPerson, actor.scope(owner: p.organizationID))
        let reveal = canReveal && req.query[String.self, at: "reveal"] == "1"
        var citizenID = p.citizenIDMasked
        var phone = p.phoneMasked
        if reveal {
            citizenID = try req.application.personalData.open(p.citizenIDSealed)
            phone = try req.application.personalData.open(p.phoneSealed)
            try await req.write { db in
                try await AuditLog.append(
                    .init(action: "person.identityRevealed", objectType: "person", objectID: id.uuidString.lowercased()),
                    actor: actor, on: db, now: req.now)
            }
        }
        let org = try await OrganizationRecord.find(p.organizationID, on: req.db)
        let entries = try await history(id, req)
        let open = try await corrections(p, canEdit: canEdit, req)
        return try await Page.render(
            "person", title: p.name,
            DetailBody(
                name: p.name, citizenId: citizenID, revealed: reveal, sex: req.t("sex.\(p.sex)"), birthDate: p.birthDate, phone: phone,
                education: req.t("education.\(p.education)"), category: req.t("category.\(p.category)"), organization: org?.name ?? "",
                canReveal: canReveal && !reveal, revealHref: SiteURL.person(id).path + "?reveal=1",
                canEdit: canEdit, editHref: SiteURL.personEdit(id).path,
                archived: p.archivedAt != nil, archiveAction: SiteURL.personArchive(id).path, restoreAction: SiteURL.personRestore(id).path,
                history: entries, corrections: open, correctionErrors: correctionErrors, hasCorrections: !open.isEmpty, hasHistory: !entries.isEmpty),
            req, status: status)
    }

    struct FormBody: Encodable {
        let values: [String: String]
        let errors: [String: String]
        let educations: [ChoiceOption]
        let categories: [ChoiceOption]
        let action: String
    }

    static func form(_ req: Request, input: PersonInput = .init(), errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response
    {
        try await Page.render(
            "person-new", title: req.t("people.new"),
            FormBody(
                values: ["name": input.name ?? "", "citizenId": input.citizenId ?? "", "phone": input.phone ?? ""],
                errors: errors,
                educations: Page.options(Education.self, prefix: "education", selected: [input.education ?? ""], req),
                categories: Page.options(PersonCategory.self, prefix: "category", selected: [input.category ?? ""], req),
                action: SiteURL.people.path), req, status: status)
    }

    static func showForm(_ req: Request) async throws -> Response { try await form(req) }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Raw: Content {
            var name: String?
            var citizenId: String?
            var phone: String?
            var education: String?
            var category: String?
        }
        let raw = try req.content.decode(Raw.self)
        let input = PersonInput(name: raw.name, citizenId: raw.citizenId, phone: raw.phone, education: raw.education, category: raw.category)
        do {
            let person = try await PersonService(req.application).create(input, organizationID: actor.organizationID, actor: actor)
            return Page.redirect(.person(person.id!), flash: "flash.personCreated", req)
        } catch let failure as ValidationFailure {
            return try await form(req, input: input, errors: Page.errors(failure, req), status: .unprocessableEntity)
        }
    }
}
