import Fluent
import SkillChainCore
import Vapor

enum ChainPages {
    struct Row: Encodable {
        let href: String
        let name: String
        let industry: String
        let region: String
        let status: String
        let statusKey: String
    }
    struct ListBody: Encodable {
        let q: String
        let rows: [Row]
        let statuses: [ChoiceOption]
        let pagination: Pagination
        let canCreate: Bool
        let newHref: String
    }

    static func list(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let ids = try await ChainService.visibleIDs(actor: actor, on: req.db)
        let status = req.query[String.self, at: "status"] ?? ""
        let text = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        let store = try ChainStore(req.db)
        func query() -> QueryBuilder<ChainRecord> { store.search(ids: ids, text: text, status: status) }
        let page = Pagination.requestedPage(req)
        let total = try await query().count()
        let rows = try await query().sort(\.$name).range((page - 1) * Pagination.perPage..<page * Pagination.perPage).all()
        return try await Page.render(
            "chains", title: req.t("chains.title"),
            ListBody(
                q: text,
                rows: rows.map {
                    Row(
                        href: SiteURL.chain($0.id!).path, name: $0.name, industry: $0.industry,
                        region: RegionCatalog.shared.fullName($0.regionCode) ?? $0.regionCode,
                        status: req.t("chainStatus.\($0.status)"), statusKey: $0.status)
                },
                statuses: Page.options(ChainStatus.self, prefix: "chainStatus", selected: [status], req),
                pagination: Pagination(page: page, total: total, req),
                canCreate: Policy.grant(actor.role, .createChain) != .none, newHref: SiteURL.newChain.path), req)
    }

    struct FormBody: Encodable {
        let values: [String: String]
        let errors: [String: String]
        let regions: [ChoiceOption]
        let action: String
    }

    static func form(_ req: Request, input: ChainInput = .init(), errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        try await Page.render(
            "chain-new", title: req.t("chains.new"),
            FormBody(
                values: ["name": input.name ?? "", "industry": input.industry ?? "", "postsCommitted": input.postsCommitted.map(String.init) ?? ""],
                errors: errors, regions: Page.regionOptions(selected: input.regionCode ?? req.actor?.organizationRegion, req),
                action: SiteURL.chains.path), req, status: status)
    }

    static func showForm(_ req: Request) async throws -> Response { try await form(req) }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Raw: Content {
            var name: String?
            var industry: String?
            var regionCode: String?
            var postsCommitted: String?
        }
        let raw = try req.content.decode(Raw.self)
        let input = ChainInput(
            name: raw.name, industry: raw.industry, regionCode: raw.regionCode, postsCommitted: FormDecoding.int(raw.postsCommitted))
        do {
            let chain = try await ChainService(req.application).create(input, actor: actor)
            return Page.redirect(.chain(chain.id!), flash: "flash.chainCreated", req)
        } catch let failure as ValidationFailure {
            return try await form(req, input: input, errors: Page.errors(failure, req), status: .unprocessableEntity)
        }
    }

    struct MemberRow: Encodable {
        let name: String
        let href: String
        let kind: String
        let provides: String
        let posts: Int
        let openPositions: Int
        let isLead: Bool
        let canRemove: Bool
        let removeAction: String
    }
    struct CheckRow: Encodable {
        let label: String
        let required: Int
        let actual: Int
        let passed: Bool
    }
    struct DetailBody: Encodable {
        let id: String
        let name: String
        let industry: String
        let region: String
        let status: String
        let statusKey: String
        let returnReason: String?
        let diagram: String
        let members: [MemberRow]
        let checks: [CheckRow]
        let allChecksPassed: Bool
        /// The checks not met, named for the reviewer beside the approve button.
        let gaps: String
        let totalPosts: Int
        let totalOpenPositions: Int
        let canEdit: Bool
        let canSubmit: Bool
        let canDecide: Bool
        let candidates: [ChoiceOption]
        let contributions: [ChoiceOption]
        let values: [String: String]
        let errors: [String: String]
        let membersAction: String
        let submitAction: String
        let decisionAction: String
        let conversion: [ConversionRow]
        let hasConversion: Bool
        let canDelete: Bool
        let deleteAction: String
        let canRequestChange: Bool
        let changeAction: String
        let changeKinds: [ChoiceOption]
        let changeOrganizations: [ChoiceOption]
        let changes: [ChangeRow]
        let hasChanges: Bool
        let history: [RecordHistoryService.Entry]
        let hasHistory: Bool
    }
    struct ChangeRow: Encodable {
        let text: String
        let explanation: String
        let status: String
        let statusKey: String
        let decisionReason: String?
        let canDecide: Bool
        let decideAction: String
        let id: String
    }
    struct ConversionRow: Encodable {
        let label: String
        let count: Int
        let share: String
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.requireActor()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound }
        let d = try await ChainService.authorized(id, .viewChain, actor: actor, on: req.db)
        let isLead = d.chain.leadOrganizationID == actor.organizationID || actor.role == .platformAdmin
        let scope = d.scope(for: actor)
        let canEdit = isLead && d.status.isEditable && actor.can(.editChain, scope)
        let checks = d.checks(req.application.config.chainThresholds)
        let memberIDs = Set(d.members.map { $0.organization.id! })
        let candidates =
            canEdit
            ? try await DirectoryStore(req.db).activeOrganizations()
                .filter { !memberIDs.contains($0.id!) } : []
        let provides: (ChainDetail.Member) -> String = { m in
            m.contributions.map { req.t("contribution.\($0.rawValue)") }.joined(separator: req.t("list.separator"))
        }
        let nodes = d.members.map { m in
            ChainDiagram.Node(
                name: m.organization.name, kind: m.organization.kind, provides: provides(m),
                isLead: m.organization.id == d.chain.leadOrganizationID)
        }
        let openPosts = try await PositionService.openPosts(of: d.members.compactMap { $0.organization.id }, on: req.db)
        let conversion = try await ChainStore(req.db).conversion(id, lead: d.chain.leadOrganizationID, today: req.today)
        let changes = try await ChainChangeService.list(id, actor: actor, on: req.db)
        // The chain's history, for its lead and the bureau deciding on it.
        let history =
            isLead || actor.can(.decideChain, scope)
            ? try await RecordHistoryService.entries(
                objectType: "chain", objectID: id, req: req,
                fieldLabel: { req.t(["contributions": "chain.provides", "postsCommitted": "chain.posts"][$0] ?? $0) }) : []
        let canRequestChange = isLead && d.status == .approved && actor.can(.editChain, scope)
        let canDecideChange = actor.can(.decideChain, scope)
        let everyone = canRequestChange ? try await DirectoryStore(req.db).activeOrganizations() : []
        let body = DetailBody(
            id: id.uuidString.lowercased(), name: d.chain.name, industry: d.chain.industry,
            region: RegionCatalog.shared.fullName(d.chain.regionCode) ?? d.chain.regionCode,
            status: req.t("chainStatus.\(d.chain.status)"), statusKey: d.chain.status, returnReason: d.chain.returnReason,
            diagram: ChainDiagram.svg(
                title: req.t("chain.diagram.title", [d.chain.name]),
                description: req.t("chain.diagram.desc", [String(d.members.count)]), nodes: nodes),
            members: d.members.map { m in
                MemberRow(
                    name: m.organization.name, href: SiteURL.organization(m.organization.id!).path, kind: req.t("kind.\(m.organization.kind)"),
                    provides: provides(m), posts: m.record.postsCommitted,
                    openPositions: openPosts[m.organization.id!] ?? 0, isLead: m.organization.id == d.chain.leadOrganizationID,
                    canRemove: canEdit && m.organization.id != d.chain.leadOrganizationID,
                    removeAction: SiteURL.chainMemberRemoval(id, m.organization.id!).path)
            },
            checks: checks.map { CheckRow(label: req.t($0.key), required: $0.required, actual: $0.actual, passed: $0.passed) },
            allChecksPassed: checks.allSatisfy(\.passed),
            gaps: checks.filter { !$0.passed }.map { req.t("chain.gapItem", [req.t($0.key), String($0.actual), String($0.required)]) }
                .joined(separator: req.t("list.separator")),
            totalPosts: d.facts.postsOffered, totalOpenPositions: openPosts.values.reduce(0, +),
            canEdit: canEdit,
            canSubmit: canEdit && actor.can(.submitChain, scope),
            canDecide: d.status == .submitted && actor.can(.decideChain, scope),
            candidates: candidates.map {
                ChoiceOption(
                    value: $0.id!.uuidString.lowercased(), label: "\($0.name)（\(req.t("kind.\($0.kind)"))）",
                    selected: values["organizationId"] == $0.id!.uuidString.lowercased())
            },
            contributions: Page.options(
                ChainContribution.self, prefix: "contribution", selected: (values["contributions"] ?? "").split(separator: ",").map(String.init), req),
            values: values, errors: errors,
            membersAction: SiteURL.chainMembers(id).path, submitAction: SiteURL.chainSubmit(id).path, decisionAction: SiteURL.chainDecision(id).path,
            conversion: conversion.stages.map { s in
                ConversionRow(
                    label: req.t("chain.conversion.\(s.key)"), count: s.count,
                    share: conversion.share(s.count).map { String(format: "%.0f%%", $0 * 100) } ?? "—")
            },
            hasConversion: conversion.trained > 0,
            canDelete: canEdit && d.status == .draft && d.chain.submittedAt == nil, deleteAction: SiteURL.chainDeletion(id).path,
            canRequestChange: canRequestChange, changeAction: SiteURL.chainChangeRequests(id).path,
            changeKinds: Page.options(ChainChangeKind.self, prefix: "chainChange.kind", selected: [values["kind"] ?? ""], req),
            changeOrganizations: everyone.map {
                ChoiceOption(
                    value: $0.id!.uuidString.lowercased(), label: "\($0.name)\(memberIDs.contains($0.id!) ? req.t("chainChange.isMember") : "")",
                    selected: values["changeOrganizationId"] == $0.id!.uuidString.lowercased())
            },
            changes: changes.map { c in
                ChangeRow(
                    text: req.t(
                        "chainChange.line.\(c.kind)",
                        [c.organizationName, c.contributions.map { req.t("contribution.\($0)") }.joined(separator: req.t("list.separator"))]),
                    explanation: c.explanation, status: req.t("chainChange.status.\(c.status)"), statusKey: c.status,
                    decisionReason: c.decisionReason,
                    canDecide: canDecideChange && c.status == ChainChangeStatus.pending.rawValue,
                    decideAction: SiteURL.chainChangeDecision(c.id).path,
                    id: c.id.uuidString.lowercased())
            },
            hasChanges: !changes.isEmpty, history: history, hasHistory: !history.isEmpty)
        return try await Page.render("chain", title: d.chain.name, body, req, status: status)
    }

    static func addMember(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound }
        struct Raw: Content {
            var organizationId: String?
            var contributions: [String]?
            var postsCommitted: String?
        }
        let raw = try req.content.decode(Raw.self)
        let input = ChainMemberInput(
            organizationId: raw.organizationId.flatMap(UUID.init(uuidString:)),
            contributions: raw.contributions ?? [], postsCommitted: FormDecoding.int(raw.postsCommitted))
        do {
            try await ChainService(req.application).addMember(id, input, actor: actor)
            return Page.redirect(.chain(id), flash: "flash.memberAdded", req)
        } catch let failure as ValidationFailure {
            return try await render(
                req,
                values: [
                    "organizationId": raw.organizationId ?? "", "contributions": (raw.contributions ?? []).joined(separator: ","),
                    "postsCommitted": raw.postsCommitted ?? "",
                ],
                errors: Page.errors(failure, req), status: .unprocessableEntity)
        }
    }

    /// Takes a member off a draft or returned chain (the lead stays).
    static func removeMember(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let org = try req.idParameter("org")
        return try await Page.attempt(req) {
            try await ChainMemberService(req.application).remove(id, member: org, actor: actor)
            return Page.redirect(.chain(id), flash: "flash.memberRemoved", req)
        } onFailure: {
            try await render(req, errors: $0, status: .unprocessableEntity)
        }
    }

    /// The lead asks the bureau to change an approved chain's membership.
    static func requestChange(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content {
            var kind: String?
            var organizationId: String?
            var contributions: [String]?
            var postsCommitted: String?
            var reason: String?
        }
        let raw = try req.content.decode(Raw.self)
        let input = ChainChangeInput(
            kind: raw.kind, organizationId: raw.organizationId.flatMap(UUID.init(uuidString:)), contributions: raw.contributions,
            postsCommitted: FormDecoding.int(raw.postsCommitted), reason: raw.reason)
        return try await Page.attempt(req) {
            _ = try await ChainChangeService(req.application).request(id, input, actor: actor)
            return Page.redirect(.chain(id), flash: "flash.chainChangeRequested", req)
        } onFailure: { errors in
            try await render(
                req, values: ["kind": raw.kind ?? "", "changeOrganizationId": raw.organizationId ?? ""].filter { !$0.value.isEmpty },
                errors: errors.reduce(into: [:]) { $0["change_" + $1.key] = $1.value }, status: .unprocessableEntity)
        }
    }

    static func decideChange(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        guard let request = try await ChainChangeRequestRecord.find(id, on: req.db) else { throw DomainError.notFound }
        let input = try req.content.decode(ChainChangeService.DecisionInput.self)
        do {
            _ = try await ChainChangeService(req.application).decide(id, input, actor: actor)
            return Page.redirect(
                .chain(request.chainID), flash: input.decision == "approve" ? "flash.chainChangeApproved" : "flash.chainChangeReturned", req)
        } catch let failure as ValidationFailure {
            req.parameters.set("id", to: request.chainID.uuidString)
            return try await render(
                req, errors: Page.errors(failure, req).reduce(into: [:]) { $0["decision_" + $1.key] = $1.value },
                status: .unprocessableEntity)
        }
    }

    static func deleteDraft(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        return try await Page.attempt(req) {
            try await DraftDeletionService(req.application).chain(id, actor: actor)
            return Page.redirect(.chains, flash: "flash.chainDeleted", req)
        } onFailure: {
            try await render(req, errors: $0, status: .unprocessableEntity)
        }
    }

    static func submit(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound }
        try await ChainService(req.application).submit(id, actor: actor)
        return Page.redirect(.chain(id), flash: "flash.chainSubmitted", req)
    }

    static func decide(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw DomainError.notFound }
        let input = try req.content.decode(ChainDecisionInput.self)
        do {
            try await ChainService(req.application).decide(id, input, actor: actor)
            return Page.redirect(.chain(id), flash: input.decision == "approve" ? "flash.chainApproved" : "flash.chainReturned", req)
        } catch let failure as ValidationFailure {
            return try await render(req, values: ["reason": input.reason ?? ""], errors: Page.errors(failure, req), status: .unprocessableEntity)
        }
    }
}
