import Fluent
import SkillChainCore
import Vapor

enum SubsidyPages {
    struct Row: Encodable {
        let href: String
        let apprentice: String
        let program: String
        let enterprise: String
        let year: Int
        let status: String
        let statusKey: String
        let advance: Int
        let payable: String
        let clawback: String
    }
    struct ListBody: Encodable {
        let rows: [Row]
        let statuses: [ChoiceOption]
        let pagination: Pagination
    }

    static func list(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let status = req.query[String.self, at: "status"].flatMap { SubsidyClaimStatus(rawValue: $0)?.rawValue }
        let page = Pagination.requestedPage(req)
        let total = try await SubsidyService.query(actor: actor, status: status, on: req.db).count()
        let rows = try await SubsidyService.query(actor: actor, status: status, on: req.db).sort(\.$createdAt, .descending)
            .range((page - 1) * Pagination.perPage..<page * Pagination.perPage).all()
        let names = try await labels(rows, on: req.db)
        return try await Page.render(
            "subsidy-claims", title: req.t("subsidy.title"),
            ListBody(
                rows: rows.map { c in
                    Row(
                        href: SiteURL.subsidyClaim(c.id!).path, apprentice: names.people[c.enrollmentID] ?? "",
                        program: names.programs[c.programID] ?? "",
                        enterprise: names.orgs[c.organizationID] ?? "", year: c.yearIndex, status: req.t("subsidyStatus.\(c.status)"),
                        statusKey: c.status,
                        advance: c.advancePaid > 0 ? c.advancePaid : c.advanceRequested, payable: c.payable.map(String.init) ?? "—",
                        clawback: c.clawback.map(String.init) ?? "—")
                },
                statuses: Page.options(SubsidyClaimStatus.self, prefix: "subsidyStatus", selected: [status ?? ""], req),
                pagination: Pagination(page: page, total: total, req)), req)
    }

    /// Apprentice, program and enterprise names for a page of claims.
    static func labels(_ rows: [SubsidyClaimRecord], on db: any Database) async throws -> (
        people: [UUID: String], programs: [UUID: String], orgs: [UUID: String]
    ) {
        guard !rows.isEmpty else { return ([:], [:], [:]) }
        let enrollments = try await EnrollmentRecord.byID(rows.map(\.enrollmentID), on: db)
        let personName = try await PersonRecord.names(enrollments.values.map(\.personID), \.name, on: db)
        return (
            enrollments.mapValues { personName[$0.personID] ?? "" },
            try await ProgramRecord.names(rows.map(\.programID), \.name, on: db),
            try await OrganizationRecord.names(rows.map(\.organizationID), \.name, on: db)
        )
    }

    struct Fact: Encodable {
        let label: String
        let value: String
    }
    struct DetailBody: Encodable {
        let title: String
        let status: String
        let statusKey: String
        let facts: [Fact]
        let reason: String?
        let revokedCertificate: String?
        let enrollmentHref: String
        let canDecide: Bool
        let decisionAction: String
        let canSettle: Bool
        let settlementAction: String
        let outcomes: [ChoiceOption]
        let canResubmit: Bool
        let resubmitAction: String
        let advance: Int
        let values: [String: String]
        let errors: [String: String]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let c = try await SubsidyService.authorized(id, .listSubsidyClaims, actor: actor, on: req.db)
        let names = try await labels([c], on: req.db)
        let scope = SubsidyService.scope(c, actor: actor)
        let st = SubsidyClaimStatus(rawValue: c.status) ?? .advanceRequested
        let isOwner = c.organizationID == actor.organizationID || actor.role == .platformAdmin
        let yuan: (Int?) -> String = { $0.map { req.t("program.yuan", [String($0)]) } ?? "—" }
        let body = DetailBody(
            title: req.t("subsidy.claimTitle", [names.people[c.enrollmentID] ?? "", String(c.yearIndex)]),
            status: req.t("subsidyStatus.\(c.status)"), statusKey: c.status,
            facts: [
                Fact(label: req.t("subsidy.program"), value: names.programs[c.programID] ?? ""),
                Fact(label: req.t("subsidy.enterprise"), value: names.orgs[c.organizationID] ?? ""),
                Fact(label: req.t("organization.region"), value: RegionCatalog.shared.fullName(c.regionCode) ?? c.regionCode),
                Fact(label: req.t("subsidy.advanceRequested"), value: yuan(c.advanceRequested)),
                Fact(label: req.t("subsidy.advancePaid"), value: yuan(c.advancePaid)),
                Fact(label: req.t("subsidy.outcome"), value: c.outcome.map { req.t("outcome.\($0)") } ?? "—"),
                Fact(label: req.t("subsidy.settlementTotal"), value: yuan(c.settlementTotal)),
                Fact(label: req.t("subsidy.payable"), value: yuan(c.payable)),
                Fact(label: req.t("subsidy.clawback"), value: yuan(c.clawback)),
            ],
            reason: c.reason, revokedCertificate: c.revokedCertificate, enrollmentHref: SiteURL.enrollment(c.enrollmentID).path,
            canDecide: st.awaitsGovernment && actor.can(.decideSubsidyClaim, scope), decisionAction: SiteURL.subsidyClaimDecision(id).path,
            canSettle: st == .advanceApproved && isOwner && actor.can(.createSubsidyClaim, scope),
            settlementAction: SiteURL.subsidyClaimSettlement(id).path,
            outcomes: Page.options(TrainingOutcome.self, prefix: "outcome", selected: [values["outcome"] ?? ""], req),
            canResubmit: st == .rejected && isOwner && actor.can(.createSubsidyClaim, scope), resubmitAction: SiteURL.subsidyClaimResubmit(id).path,
            advance: c.advanceRequested, values: values, errors: errors)
        return try await Page.render("subsidy-claim", title: body.title, body, req, status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Raw: Content {
            var enrollmentId: String?
            var yearIndex: String?
            var advanceAmount: String?
        }
        let raw = try req.content.decode(Raw.self)
        guard let enrollmentID = raw.enrollmentId.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound }
        let input = SubsidyClaimInput(
            enrollmentId: enrollmentID, yearIndex: FormDecoding.int(raw.yearIndex), advanceAmount: FormDecoding.int(raw.advanceAmount))
        return try await Page.attempt(req) {
            let c = try await SubsidyService(req.application).create(input, actor: actor)
            return Page.redirect(.subsidyClaim(c.id!), flash: "flash.subsidyClaimed", req)
        } onFailure: { errors in
            try await EnrollmentPages.render(
                req, id: enrollmentID, values: ["advanceAmount": raw.advanceAmount ?? "", "yearIndex": raw.yearIndex ?? ""],
                errors: errors, status: .unprocessableEntity)
        }
    }

    static func settle(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(SubsidySettlementInput.self)
        return try await Page.attempt(req) {
            _ = try await SubsidyService(req.application).requestSettlement(id, input, actor: actor)
            return Page.redirect(.subsidyClaim(id), flash: "flash.settlementRequested", req)
        } onFailure: { errors in
            try await render(req, values: ["outcome": input.outcome ?? ""], errors: errors, status: .unprocessableEntity)
        }
    }

    static func decide(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(SubsidyDecisionInput.self)
        return try await Page.attempt(req) {
            _ = try await SubsidyService(req.application).decide(id, input, actor: actor)
            return Page.redirect(.subsidyClaim(id), flash: input.decision == "approve" ? "flash.subsidyApproved" : "flash.subsidyRejected", req)
        } onFailure: { errors in
            try await render(req, values: ["reason": input.reason ?? ""], errors: errors, status: .unprocessableEntity)
        }
    }

    static func resubmit(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content { var advanceAmount: String? }
        let raw = try req.content.decode(Raw.self)
        return try await Page.attempt(req) {
            _ = try await SubsidyService(req.application).resubmit(id, .init(advanceAmount: FormDecoding.int(raw.advanceAmount)), actor: actor)
            return Page.redirect(.subsidyClaim(id), flash: "flash.subsidyResubmitted", req)
        } onFailure: { errors in
            try await render(req, values: ["advanceAmount": raw.advanceAmount ?? ""], errors: errors, status: .unprocessableEntity)
        }
    }
}
