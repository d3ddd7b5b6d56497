import Fluent
import SkillChainCore
import Vapor

extension ProgramPages {
    static func changeStatus(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(ProgramStatusInput.self)
        return try await Page.attempt(req) {
            try await ProgramService(req.application).changeStatus(id, input, actor: actor)
            return Page.redirect(.program(id), flash: "flash.programStatus", req)
        } onFailure: { errors in
            try await render(req, values: ["reason": input.reason ?? ""], errors: errors, status: .unprocessableEntity)
        }
    }

    static func addPartner(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content {
            var organizationId: String?
            var terms: String?
        }
        let raw = try req.content.decode(Raw.self)
        return try await Page.attempt(req) {
            try await ProgramService(req.application).addPartner(
                id, .init(organizationId: raw.organizationId.flatMap(UUID.init(uuidString:)), terms: raw.terms),
                actor: actor)
            return Page.redirect(.program(id), flash: "flash.partnerAdded", req)
        } onFailure: { errors in
            try await render(req, errors: errors.mapKeys { $0 == "organizationId" ? "partnerOrganizationId" : $0 }, status: .unprocessableEntity)
        }
    }

    static func enroll(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content {
            var personId: String?
            var contractStart: String?
            var contractEnd: String?
            var masterMembershipId: String?
            var teacherMembershipId: String?
            var trainingTerms: String?
        }
        let raw = try req.content.decode(Raw.self)
        let uuid: (String?) -> UUID? = { $0.flatMap { UUID(uuidString: $0) } }
        let input = EnrollmentInput(
            personId: uuid(raw.personId), contractStart: raw.contractStart, contractEnd: raw.contractEnd,
            masterMembershipId: uuid(raw.masterMembershipId), teacherMembershipId: uuid(raw.teacherMembershipId),
            trainingTerms: raw.trainingTerms)
        return try await Page.attempt(req) {
            let e = try await EnrollmentService(req.application).enroll(id, input, actor: actor)
            return Page.redirect(.enrollment(e.id!), flash: "flash.enrolled", req)
        } onFailure: { errors in
            try await render(
                req,
                values: [
                    "personId": raw.personId ?? "", "contractStart": raw.contractStart ?? "", "contractEnd": raw.contractEnd ?? "",
                    "masterMembershipId": raw.masterMembershipId ?? "", "teacherMembershipId": raw.teacherMembershipId ?? "",
                    "trainingTerms": raw.trainingTerms ?? "",
                ],
                errors: errors, status: .unprocessableEntity)
        }
    }

    /// Agreements are acted on from the program page (cooperation) or the apprentice's page (training); back to where it was.
    static func actOnAgreement(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(AgreementActionInput.self)
        guard let a = try await AgreementRecord.find(id, on: req.db) else { throw DomainError.notFound }
        let back: SiteURL = a.enrollmentID.map { .enrollment($0) } ?? .program(a.programID)
        return try await Page.attempt(req) {
            _ = try await EnrollmentService(req.application).actOnAgreement(id, input, actor: actor)
            return Page.redirect(back, flash: "flash.agreement.\(input.action ?? "")", req)
        } onFailure: { errors in
            // Shown beside the agreement's form: its fields are prefixed so they do not collide with other forms.
            let shown = errors.mapKeys { $0 == "form" ? "form" : "agreement_\($0)" }
            if let enrollment = a.enrollmentID {
                return try await EnrollmentPages.render(
                    req, id: enrollment, values: ["agreement_reason": input.reason ?? ""], errors: shown, status: .unprocessableEntity)
            }
            return try await render(
                req, id: a.programID, values: ["agreement_reason": input.reason ?? ""], errors: shown, status: .unprocessableEntity)
        }
    }

    /// Roster with mentors and hours by category, as CSV (UTF-8 with BOM).
    static func exportRoster(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let d = try await ProgramService.authorized(try req.idParameter(), .viewProgram, actor: actor, on: req.db)
        var csv = CSVWriter(
            header: [
                req.t("person.name"), req.t("person.citizenId"), req.t("enrollment.status"), req.t("enrollment.contract"),
                req.t("enrollment.master"), req.t("enrollment.teacher"),
            ]
                + HourCategory.allCases.map { req.t("hourCategory.\($0.rawValue)") } + [req.t("enrollment.totalHours")])
        for e in d.visibleEnrollments(for: actor) {
            csv.append(
                [
                    e.person.name, e.person.citizenIDMasked, req.t("enrollmentStatus.\(e.record.status)"),
                    [e.record.contractStart, e.record.contractEnd].compactMap { $0 }.joined(separator: " ~ "),
                    e.master?.name ?? "", e.teacher?.name ?? "",
                ] + HourCategory.allCases.map { String(e.hours[$0] ?? 0) } + [String(e.totalHours)])
        }
        return csv.response(filename: "roster.csv")
    }
}
