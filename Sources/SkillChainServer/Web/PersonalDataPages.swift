import Fluent
import SkillChainCore
import Vapor

/// "My data" (`/account/data`): what each organization holds about the signed-in person, a JSON download of all of
/// it, and a request to correct a field; the holding organization decides on the person's page.
enum PersonalDataPages {
    struct Fact: Encodable {
        let label: String
        let value: String
    }
    struct Record: Encodable {
        let personId: String
        let organization: String
        let facts: [Fact]
        let summary: String
        let corrections: [String]
        let errors: [String: String]
        let open: Bool
        let hasCorrections: Bool
    }
    struct Body: Encodable {
        let records: [Record]
        let fields: [ChoiceOption]
        let errors: [String: String]
        let correctionAction: String
        let downloadHref: String
        let hasRecords: Bool
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, errorsFor person: String? = nil, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.requireActor()
        let data = try await PersonalDataService(req.application).export(actor)
        let records = data.records.map { r in
            let id = r.personId.uuidString.lowercased()
            let facts = [
                Fact(label: req.t("person.name"), value: r.name), Fact(label: req.t("person.citizenId"), value: CitizenID.mask(r.citizenId)),
                Fact(label: req.t("person.sex"), value: req.t("sex.\(r.sex)")), Fact(label: req.t("person.birthDate"), value: r.birthDate),
                Fact(label: req.t("person.phone"), value: PhoneNumber.mask(r.phone)),
                Fact(label: req.t("person.education"), value: req.t("education.\(r.education)")),
                Fact(label: req.t("person.category"), value: req.t("category.\(r.category)")),
            ]
            let summary = req.t(
                "myData.summary",
                [
                    String(r.enrollments.count), String(r.registrations.count), String(r.invitations.count),
                    String(r.placements.count), String(r.payRecords.count),
                ])
            let corrections = r.corrections.map { c in
                req.t("myData.correctionLine", [req.t("person.\(c.field)"), req.t("correctionStatus.\(c.status)"), c.decisionReason ?? ""])
            }
            return Record(
                personId: id, organization: r.organization, facts: facts, summary: summary, corrections: corrections,
                errors: person == id ? errors : [:], open: person == id, hasCorrections: !corrections.isEmpty)
        }
        return try await Page.render(
            "my-data", title: req.t("myData.title"),
            Body(
                records: records,
                fields: PersonalDataService.correctableFields.map { ChoiceOption(value: $0, label: req.t("person.\($0)"), selected: false) },
                errors: person == nil ? errors : [:], correctionAction: SiteURL.ownDataCorrections.path, downloadHref: SiteURL.ownDataDownload.path,
                hasRecords: !records.isEmpty),
            req, status: status)
    }

    /// The whole export as a file (the same JSON as `GET /api/v1/me/data`), never cached.
    static func download(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let data = try await PersonalDataService(req.application).export(actor)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let response = Response(status: .ok, body: .init(data: try encoder.encode(data)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"skillchain-my-data.json\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func requestCorrection(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Form: Content {
            var personId: String?
            var field: String?
            var value: String?
            var explanation: String?
        }
        let form = try req.content.decode(Form.self)
        let input = CorrectionRequestInput(
            personId: form.personId.flatMap(UUID.init(uuidString:)), field: form.field, value: form.value,
            explanation: form.explanation)
        return try await Page.attempt(req) {
            _ = try await PersonalDataService(req.application).requestCorrection(input, actor: actor)
            return Page.redirect(.ownData, flash: "flash.correctionRequested", req)
        } onFailure: {
            try await render(req, errorsFor: form.personId?.lowercased(), errors: $0, status: .unprocessableEntity)
        }
    }

    /// The holding organization accepts or refuses a request (from the person's page).
    static func decide(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(CorrectionDecisionInput.self)
        guard let request = try await CorrectionRequestRecord.find(id, on: req.db) else { throw DomainError.notFound }
        return try await Page.attempt(req) {
            _ = try await PersonalDataService(req.application).decide(id, input, actor: actor)
            return Page.redirect(
                .person(request.personID), flash: input.decision == "accept" ? "flash.correctionAccepted" : "flash.correctionRefused", req)
        } onFailure: {
            try await PeoplePages.render(req, id: request.personID, correctionErrors: $0, status: .unprocessableEntity)
        }
    }
}
