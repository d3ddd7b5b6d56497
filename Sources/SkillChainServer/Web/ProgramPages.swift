import Fluent
import SkillChainCore
import Vapor

enum ProgramPages {
    // MARK: list

    struct Row: Encodable {
        let href: String
        let name: String
        let kind: String
        let lead: String
        let occupation: String
        let level: String
        let dates: String
        let status: String
        let statusKey: String
    }
    struct ListBody: Encodable {
        let rows: [Row]
        let kinds: [ChoiceOption]
        let statuses: [ChoiceOption]
        let pagination: Pagination
        let canCreate: Bool
        let newHref: String
    }

    static func list(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let ids = try await ProgramService.visibleIDs(actor: actor, on: req.db)
        let kind = req.query[String.self, at: "kind"].flatMap { ProgramKind(rawValue: $0)?.rawValue }
        let status = req.query[String.self, at: "status"].flatMap { ProgramStatus(rawValue: $0)?.rawValue }
        func query() -> QueryBuilder<ProgramRecord> { ProgramStore(req.db).list(ids: ids, kind: kind, status: status) }
        let page = Pagination.requestedPage(req)
        let total = try await query().count()
        let rows = try await query().sort(\.$startDate, .descending).range((page - 1) * Pagination.perPage..<page * Pagination.perPage).all()
        let orgName = try await OrganizationRecord.names(rows.map(\.leadOrganizationID), \.name, on: req.db)
        return try await Page.render(
            "programs", title: req.t("programs.title"),
            ListBody(
                rows: rows.map { p in
                    Row(
                        href: SiteURL.program(p.id!).path, name: p.name, kind: req.t("programKind.\(p.kind)"),
                        lead: orgName[p.leadOrganizationID] ?? "",
                        occupation: PositionPages.occupationLabel(p.occupationCode), level: req.t("level.\(p.targetLevel)"),
                        dates: req.t("programs.dates", [p.startDate, p.endDate]), status: req.t("programStatus.\(p.status)"), statusKey: p.status)
                },
                kinds: Page.options(ProgramKind.self, prefix: "programKind", selected: [kind ?? ""], req),
                statuses: Page.options(ProgramStatus.self, prefix: "programStatus", selected: [status ?? ""], req),
                pagination: Pagination(page: page, total: total, req),
                canCreate: Policy.grant(actor.role, .createProgram) != .none, newHref: SiteURL.newProgram.path), req)
    }

    // MARK: new

    struct FormBody: Encodable {
        let values: [String: String]
        let errors: [String: String]
        let kinds: [ChoiceOption]
        let levels: [ChoiceOption]
        let partners: [ChoiceOption]
        let positions: [ChoiceOption]
        let action: String
        let sharesHint: String
    }

    static func form(
        _ req: Request, values: [String: String] = [:], selected: [String] = [], errors: [String: String] = [:],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.requireActor()
        let schools = try await DirectoryStore(req.db).activeOrganizations()
            .filter { OrganizationKind(rawValue: $0.kind)?.isEducation == true }
        let positions = try await ProgramStore(req.db).openPositions(of: actor.organizationID)
        let rules = req.application.config.trainingRules
        return try await Page.render(
            "program-new", title: req.t("programs.new"),
            FormBody(
                values: values, errors: errors,
                kinds: Page.options(ProgramKind.self, prefix: "programKind", selected: [values["kind"] ?? ""], req),
                levels: SkillLevel.certificated.map {
                    ChoiceOption(value: $0.rawValue, label: req.t("level.\($0.rawValue)"), selected: values["targetLevel"] == $0.rawValue)
                },
                partners: schools.map {
                    ChoiceOption(value: $0.id!.uuidString.lowercased(), label: $0.name, selected: selected.contains($0.id!.uuidString.lowercased()))
                },
                positions: positions.map {
                    ChoiceOption(
                        value: $0.id!.uuidString.lowercased(), label: "\($0.title)（\($0.headcount)）",
                        selected: selected.contains($0.id!.uuidString.lowercased()))
                },
                action: SiteURL.programs.path,
                sharesHint: req.t(
                    "programs.sharesHint",
                    [
                        String(rules.generalShare.lowerBound), String(rules.generalShare.upperBound),
                        String(rules.basicsShare.lowerBound), String(rules.operationalShare.lowerBound),
                        String(rules.operationalShare.upperBound), String(rules.maxClassSize),
                    ])), req, status: status)
    }

    static func showForm(_ req: Request) async throws -> Response { try await form(req) }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Raw: Content {
            var kind: String?
            var name: String?
            var occupationCode: String?
            var targetLevel: String?
            var startDate: String?
            var endDate: String?
            var capacity: String?
            var hoursGeneral: String?
            var hoursBasics: String?
            var hoursOperational: String?
            var subsidyPerYear: String?
            var partnerIds: [String]?
            var positionIds: [String]?
            var cooperationTerms: String?
        }
        let raw = try req.content.decode(Raw.self)
        let partners = (raw.partnerIds ?? []).compactMap(UUID.init(uuidString:))
        let positions = (raw.positionIds ?? []).compactMap(UUID.init(uuidString:))
        let input = ProgramInput(
            kind: raw.kind, name: raw.name, occupationCode: raw.occupationCode, targetLevel: raw.targetLevel,
            startDate: raw.startDate, endDate: raw.endDate, capacity: FormDecoding.int(raw.capacity),
            hoursGeneral: FormDecoding.int(raw.hoursGeneral), hoursBasics: FormDecoding.int(raw.hoursBasics),
            hoursOperational: FormDecoding.int(raw.hoursOperational), subsidyPerYear: FormDecoding.int(raw.subsidyPerYear),
            partnerIds: partners, positionIds: positions, cooperationTerms: raw.cooperationTerms)
        let values: [String: String] = [
            "kind": raw.kind ?? "", "name": raw.name ?? "", "occupationCode": raw.occupationCode ?? "",
            "targetLevel": raw.targetLevel ?? "", "startDate": raw.startDate ?? "", "endDate": raw.endDate ?? "",
            "capacity": raw.capacity ?? "", "hoursGeneral": raw.hoursGeneral ?? "", "hoursBasics": raw.hoursBasics ?? "",
            "hoursOperational": raw.hoursOperational ?? "", "subsidyPerYear": raw.subsidyPerYear ?? "",
            "cooperationTerms": raw.cooperationTerms ?? "",
        ]
        return try await Page.attempt(req) {
            let p = try await ProgramService(req.application).create(input, actor: actor)
            return Page.redirect(.program(p.id!), flash: "flash.programCreated", req)
        } onFailure: { errors in
            try await form(
                req, values: values, selected: (raw.partnerIds ?? []) + (raw.positionIds ?? []), errors: errors, status: .unprocessableEntity)
        }
    }

    // MARK: detail

    struct Fact: Encodable {
        let label: String
        let value: String
    }
    struct HoursRow: Encodable {
        let label: String
        let planned: Int
        let share: String
    }
    struct AgreementView: Encodable {
        let id: String
        let title: String
        let party: String
        let status: String
        let statusKey: String
        let terms: String
        let returnReason: String?
        let action: String
        let canSend: Bool
        let canAnswer: Bool
        let canRecordSignature: Bool
    }
    struct EnrollmentRow: Encodable {
        let href: String
        let name: String
        let citizenID: String
        let status: String
        let statusKey: String
        let master: String
        let teacher: String
        let hours: Int
        let agreement: String
    }
    struct DetailBody: Encodable {
        let name: String
        let kind: String
        let status: String
        let statusKey: String
        let statusReason: String?
        let facts: [Fact]
        let hours: [HoursRow]
        let hoursTotal: Int
        let partners: [String]
        let positions: [String]
        let agreements: [AgreementView]
        let enrollments: [EnrollmentRow]
        let blockers: [String]
        let hasBlockers: Bool
        let hasAgreements: Bool
        let hasEnrollments: Bool
        let canStart: Bool
        let canComplete: Bool
        let canCancel: Bool
        let statusAction: String
        let canAddPartner: Bool
        let partnerCandidates: [ChoiceOption]
        let partnerAction: String
        let canEnroll: Bool
        let enrollAsApplication: Bool
        let isApprenticeship: Bool
        let hasTrainingAgreements: Bool
        let people: [ChoiceOption]
        let masters: [ChoiceOption]
        let teachers: [ChoiceOption]
        let enrollAction: String
        let exportHref: String
        let values: [String: String]
        let errors: [String: String]
        let canCorrect: Bool
        let correctHref: String
        let history: [RecordHistoryService.Entry]
        let hasHistory: Bool
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func agreementView(_ a: AgreementRecord, title: String, party: String, d: ProgramDetail, actor: Actor, _ req: Request) -> AgreementView {
        let side = EnrollmentService.party(a, in: d, actor: actor)
        let status = AgreementStatus(rawValue: a.status) ?? .draft
        let canAct = actor.can(.actOnAgreement, d.scope(for: actor)) && side != nil && side == status.penHolder
        // Said from the reader's side: "waiting for you" to the party who must act, "waiting for <name>" to everyone else.
        let statusText: String
        if let holder = status.penHolder {
            statusText =
                holder == side
                ? req.t("agreement.turn.you.\(a.status)")
                : req.t("agreement.turn.other.\(a.status)", [holder == .drafter ? d.lead.name : party])
        } else {
            statusText = req.t("agreementStatus.\(a.status)")
        }
        return AgreementView(
            id: a.id!.uuidString.lowercased(), title: title, party: party, status: statusText, statusKey: a.status,
            terms: a.terms, returnReason: a.returnReason, action: SiteURL.agreementActions(a.id!).path,
            canSend: canAct && side == .drafter, canAnswer: canAct && side == .counterparty,
            canRecordSignature: side == .drafter && status == .awaitingCounterparty && a.kind == AgreementKind.training.rawValue
                && actor.can(.actOnAgreement, d.scope(for: actor)))
    }

    static func render(
        _ req: Request, id: UUID? = nil, values: [String: String] = [:], errors: [String: String] = [:],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.requireActor()
        let id = try id ?? req.idParameter()
        let d = try await ProgramService.authorized(id, .viewProgram, actor: actor, on: req.db)
        let scope = d.scope(for: actor)
        let isLead = (d.program.leadOrganizationID == actor.organizationID && actor.role == .enterpriseAdmin) || actor.role == .platformAdmin
        let isPartnerAdmin = actor.role == .schoolAdmin && d.partners.contains { $0.id == actor.organizationID }
        let p = d.program
        let plan = d.hoursPlan
        let partnerName = Dictionary(uniqueKeysWithValues: d.partners.map { ($0.id!, $0.name) })
        let canEnroll = (isLead || isPartnerAdmin) && actor.can(.manageEnrollments, scope) && (d.status == .planning || d.status == .inTraining)
        var people: [ChoiceOption] = []
        var masters: [ChoiceOption] = []
        var teachers: [ChoiceOption] = []
        var partnerCandidates: [ChoiceOption] = []
        if canEnroll {
            let enrolled = Set(d.enrollments.map(\.person.id!))
            let orgIDs = isLead ? [p.leadOrganizationID] + d.partners.compactMap(\.id) : [actor.organizationID]
            people = try await DirectoryStore(req.db).activePeople(of: orgIDs, limit: 1000)
                .filter { !enrolled.contains($0.id!) }
                .map {
                    ChoiceOption(
                        value: $0.id!.uuidString.lowercased(), label: "\($0.name) \($0.citizenIDMasked)",
                        selected: values["personId"] == $0.id!.uuidString.lowercased())
                }
            if isLead {
                masters = try await mentorOptions(role: .master, organizations: [p.leadOrganizationID], selected: values["masterMembershipId"], req)
                teachers = try await mentorOptions(
                    role: .teacher, organizations: d.partners.compactMap(\.id), selected: values["teacherMembershipId"], req)
            }
        }
        let canAddPartner = isLead && d.status == .planning && actor.can(.editProgram, scope)
        if canAddPartner {
            let current = Set(d.partners.compactMap(\.id))
            partnerCandidates = try await DirectoryStore(req.db).activeOrganizations()
                .filter { OrganizationKind(rawValue: $0.kind)?.isEducation == true && !current.contains($0.id!) }
                .map { ChoiceOption(value: $0.id!.uuidString.lowercased(), label: $0.name, selected: false) }
        }
        let blockers = d.status == .planning ? d.startBlockers().map { req.t($0) } : []
        let visible = d.visibleEnrollments(for: actor)
        // The programme's history, for its lead and the region's bureau.
        let history =
            isLead || actor.role == .governmentOfficer
            ? try await RecordHistoryService.entries(objectType: "program", objectID: id, req: req, fieldLabel: { req.t("program.field.\($0)") }) : []
        let body = DetailBody(
            name: p.name, kind: req.t("programKind.\(p.kind)"), status: req.t("programStatus.\(p.status)"), statusKey: p.status,
            statusReason: p.statusReason,
            facts: [
                Fact(label: req.t("program.lead"), value: d.lead.name),
                Fact(label: req.t("program.occupation"), value: PositionPages.occupationLabel(p.occupationCode)),
                Fact(label: req.t("program.targetLevel"), value: req.t("level.\(p.targetLevel)")),
                Fact(label: req.t("program.period"), value: req.t("programs.dates", [p.startDate, p.endDate])),
                Fact(label: req.t("program.capacity"), value: req.t("program.capacityValue", [String(d.activeCount), String(p.capacity)])),
                Fact(label: req.t("program.subsidyPerYear"), value: req.t("program.yuan", [String(p.subsidyPerYear)])),
            ],
            hours: HourCategory.allCases.map {
                HoursRow(label: req.t("hourCategory.\($0.rawValue)"), planned: plan.hours($0), share: String(format: "%.0f%%", plan.share($0)))
            },
            hoursTotal: plan.total,
            partners: d.partners.map(\.name), positions: d.positions.map { "\($0.title)（\(req.t("level.\($0.requiredLevel)"))，\($0.headcount)）" },
            // A partner school sees its own cooperation agreement, not the terms agreed with other partners.
            agreements: d.cooperationAgreements(visibleTo: actor).map { a in
                agreementView(
                    a, title: req.t("agreementKind.cooperation"), party: a.counterpartyOrganizationID.flatMap { partnerName[$0] } ?? "", d: d,
                    actor: actor, req)
            },
            enrollments: visible.map { e in
                EnrollmentRow(
                    href: SiteURL.enrollment(e.record.id!).path, name: e.person.name, citizenID: e.person.citizenIDMasked,
                    status: req.t("enrollmentStatus.\(e.record.status)"), statusKey: e.record.status,
                    master: e.master?.name ?? "—", teacher: e.teacher?.name ?? "—", hours: e.totalHours,
                    // From the reader's side, as on the apprentice's own page ("waiting for 黄小明").
                    agreement: e.agreement.map { agreementView($0, title: "", party: e.person.name, d: d, actor: actor, req).status } ?? "—")
            },
            blockers: blockers, hasBlockers: !blockers.isEmpty, hasAgreements: !d.cooperationAgreements(visibleTo: actor).isEmpty,
            hasEnrollments: !visible.isEmpty,
            canStart: isLead && d.status == .planning, canComplete: isLead && d.status == .inTraining,
            canCancel: isLead && (d.status == .planning || d.status == .inTraining), statusAction: SiteURL.programStatus(id).path,
            canAddPartner: canAddPartner, partnerCandidates: partnerCandidates, partnerAction: SiteURL.programPartners(id).path,
            canEnroll: canEnroll, enrollAsApplication: !isLead, isApprenticeship: d.kind.isApprenticeship,
            hasTrainingAgreements: d.kind.isEmployerLed, people: people, masters: masters, teachers: teachers,
            enrollAction: SiteURL.programEnrollments(id).path, exportHref: SiteURL.programRosterExport(id).path,
            values: values, errors: errors,
            canCorrect: isLead && (d.status == .planning || d.status == .inTraining), correctHref: SiteURL.programEdit(id).path,
            history: history, hasHistory: !history.isEmpty)
        return try await Page.render("program", title: p.name, body, req, status: status)
    }

    static func mentorOptions(role: Role, organizations: [UUID], selected: String?, _ req: Request) async throws -> [ChoiceOption] {
        guard !organizations.isEmpty else { return [] }
        let memberships = try await ProgramStore(req.db).memberships(role, in: organizations).all()
        let refs = try await ProgramService.mentorRefs(memberships.compactMap(\.id), on: req.db)
        return refs.values.sorted { $0.name < $1.name }.map {
            ChoiceOption(
                value: $0.membershipID.uuidString.lowercased(), label: $0.name, selected: selected == $0.membershipID.uuidString.lowercased())
        }
    }

    // MARK: actions
}
