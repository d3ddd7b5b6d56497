import Fluent
import SkillChainCore
import Vapor

extension BatchPages {
    struct StaffView: Encodable {
        let name: String
        let duty: String
        let room: String
    }
    struct RegView: Encodable {
        let href: String
        let name: String
        let maskedID: String
        let clause: String
        let engine: String
        let engineOK: Bool
        let eligibility: String
        let eligibilityKey: String
        let theory: String
        let practical: String
        let review: String
        let outcome: String
        let outcomeKey: String
        let flagged: Bool
        let recused: String
        let myScore: String
        let retake: String?
    }
    struct RecusalView: Encodable {
        let assessor: String
        let candidate: String
        let reasons: String
    }
    struct EventView: Encodable {
        let value: String
        let label: String
        let needsReason: Bool
    }
    struct ObjectionView: Encodable {
        let id: String
        let candidate: String
        let text: String
        let contact: String
        let status: String
        let statusKey: String
        let resolution: String?
        let isOpen: Bool
        let action: String
        let date: String
    }
    struct DetailBody: Encodable {
        let title: String
        let status: String
        let statusKey: String
        let reason: String?
        let facts: [Fact]
        let staff: [StaffView]
        let hasStaff: Bool
        let canManage: Bool
        let staffChoices: [ChoiceOption]
        let duties: [ChoiceOption]
        let assignAction: String
        let registrations: [RegView]
        let hasRegistrations: Bool
        let showIDs: Bool
        let showReview: Bool
        let isAssessor: Bool
        let canRegister: Bool
        let registerAction: String
        let people: [ChoiceOption]
        let clauses: [ChoiceOption]
        let certLevels: [ChoiceOption]
        let reviewAllAction: String
        let canReviewAll: Bool
        let registrationImportAction: String
        let theoryImportAction: String
        let canImportTheory: Bool
        let registrationsHelp: [ImportHelp]
        let scoresHelp: [ImportHelp]
        let recusals: [RecusalView]
        let hasRecusals: Bool
        let events: [EventView]
        let hasEvents: Bool
        let transitionAction: String
        let blockers: [String]
        let hasBlockers: Bool
        let objections: [ObjectionView]
        let hasObjections: Bool
        let reportHref: String
        let canReport: Bool
        let certificatesHref: String
        let hasCertificates: Bool
        let values: [String: String]
        let errors: [String: String]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let d = try await BatchService.authorized(id, .viewBatch, actor: actor, on: req.db)
        let b = d.batch
        let scope = d.scope(for: actor)
        let canManage = actor.can(.manageBatch, scope)
        let isAssessor = actor.role == .assessor
        let rules = req.application.config.evaluationRules
        let regs = try await RegistrationStore(req.db).ofBatch(id)
        let person = try await PersonRecord.byID(regs.map(\.personID), on: req.db)
        let table = try await BatchService.recusals(d, registrations: regs, rules: rules, on: req.db)
        let assessorIDs = d.people(.assessor).map(\.personID)
        var myScores: [UUID: String] = [:]
        if isAssessor, let me = actor.personID {
            for s in try await BatchStore(req.db).practicalScores(by: me, of: regs.compactMap(\.id)) {
                myScores[s.registrationID, default: ""] += (myScores[s.registrationID] == nil ? "" : " / ") + formatted(s.score)
            }
        }
        // An assessor sees only the candidates they may judge, without ID numbers.
        let shown =
            isAssessor
            ? regs.filter { r in r.eligibility == EligibilityStatus.eligible.rawValue && table.reasons(actor.personID ?? .nothing, r.id!).isEmpty }
            : regs
        let regViews = shown.map { r -> RegView in
            let recused = assessorIDs.filter { !table.reasons($0, r.id!).isEmpty }.map { d.names[$0] ?? "" }
            return RegView(
                href: SiteURL.registration(r.id!).path, name: person[r.personID]?.name ?? "",
                maskedID: isAssessor ? "" : person[r.personID]?.citizenIDMasked ?? "",
                clause: r.clauseID, engine: req.t(r.engineEligible ? "eligibility.engine.met" : "eligibility.engine.notMet"),
                engineOK: r.engineEligible,
                eligibility: req.t("eligibilityStatus.\(r.eligibility)"), eligibilityKey: r.eligibility,
                theory: r.theoryScore.map(formatted) ?? "—", practical: r.practicalScore.map(formatted) ?? "—",
                review: r.reviewScore.map(formatted) ?? "—",
                outcome: r.outcome.map { req.t("result.\($0)") } ?? "—", outcomeKey: r.outcome ?? "none", flagged: r.needsReconciliation,
                recused: recused.joined(separator: req.t("list.separator")), myScore: myScores[r.id!] ?? "",
                retake: r.retakeSubject.map { req.t("registration.retakeOf", ["@subject.\($0)"]) })
        }
        var recusalViews: [RecusalView] = []
        if !isAssessor {
            for a in assessorIDs {
                for r in regs {
                    let reasons = table.reasons(a, r.id!)
                    if !reasons.isEmpty {
                        recusalViews.append(
                            RecusalView(
                                assessor: d.names[a] ?? "", candidate: person[r.personID]?.name ?? "",
                                reasons: reasons.map { req.t("recusal.\($0.rawValue)") }.joined(separator: req.t("list.separator"))))
                    }
                }
            }
        }
        // Events this actor could cause now, and what blocks them.
        let facts = try await BatchService.facts(d, rules: rules, on: req.db, today: req.today)
        var events: [EventView] = []
        var blockers: [String] = []
        for e in d.status.possibleEvents {
            let allowed: Bool =
                switch BatchStatus.actor(for: e) {
                case .body: canManage
                case .government: actor.can(.decideBatchPlan, scope)
                case .supervisor: actor.can(.signOffBatch, scope) && actor.personID != nil && actor.personID == d.supervisorID
                }
            guard allowed else { continue }
            events.append(EventView(value: e.rawValue, label: req.t("batchEvent.\(e.rawValue)"), needsReason: BatchStatus.needsReason(e)))
            blockers += BatchStatus.blockers(e, facts).map { req.t($0, [String(rules.minimumAssessors), String(rules.candidatesPerAssessor)]) }
        }
        var objections: [ObjectionView] = []
        if canManage || actor.can(.decideBatchPlan, scope) {
            for o in try await BatchStore(req.db).objections(id) {
                let contact = canManage ? ((try? req.application.personalData.open(o.contactSealed)) ?? "") : req.t("objection.contactHidden")
                objections.append(
                    ObjectionView(
                        id: o.id!.uuidString.lowercased(), candidate: o.candidateLabel, text: o.text, contact: contact,
                        status: req.t("objectionStatus.\(o.status)"), statusKey: o.status,
                        resolution: (o.resolution ?? "").isEmpty ? nil : o.resolution,
                        isOpen: o.status == ObjectionStatus.open.rawValue && canManage && d.status == .inNotice,
                        action: SiteURL.objectionResolution(o.id!).path, date: o.createdAt.map { Day($0).description } ?? ""))
            }
        }
        // Registration form: the body's own people (and, by policy, people of an approved chain it leads).
        var personChoices: [ChoiceOption] = []
        var staffChoices: [ChoiceOption] = []
        if canManage {
            let orgs = try await RegistrationService.registrableOrganizations(body: d.batch.organizationID, rules: rules, on: req.db)
            let candidates = try await DirectoryStore(req.db).activePeople(of: orgs, limit: 500)
            personChoices = candidates.map {
                ChoiceOption(
                    value: $0.id!.uuidString.lowercased(), label: "\($0.name) \($0.citizenIDMasked)",
                    selected: values["personId"] == $0.id!.uuidString.lowercased())
            }
            let registry = try await BatchStore(req.db).staffRegister(of: b.organizationID)
            let staffName = try await PersonRecord.names(registry.map(\.personID), \.name, on: req.db)
            staffChoices = Array(Set(registry.map(\.personID))).sorted { (staffName[$0] ?? "") < (staffName[$1] ?? "") }.map { p in
                let duties = registry.filter { $0.personID == p }.map { req.t("duty.\($0.duty)") }.joined(separator: req.t("list.separator"))
                return ChoiceOption(value: p.uuidString.lowercased(), label: "\(staffName[p] ?? "") (\(duties))", selected: false)
            }
        }
        let standard = d.standard
        let body = DetailBody(
            title: b.title, status: req.t("batchStatus.\(b.status)"), statusKey: b.status, reason: b.reason,
            facts: [
                Fact(label: req.t("batch.body"), value: d.organization.name),
                Fact(label: req.t("occupations.name"), value: PositionPages.occupationLabel(b.occupationCode)),
                Fact(label: req.t("batch.level"), value: req.t("level.\(b.level)")),
                Fact(label: req.t("batch.method"), value: req.t("method.\(b.method)")),
                Fact(label: req.t("batch.site"), value: b.site),
                Fact(label: req.t("batch.theoryDay"), value: b.theoryDay),
                Fact(label: req.t("batch.practicalDay"), value: b.practicalDay),
                Fact(
                    label: req.t("batch.theoryMinutes"),
                    value: req.t("batch.minutesValue", [String(b.theoryMinimumMinutes), String(b.theoryMinutes)])),
                Fact(label: req.t("batch.questionCount"), value: String(b.questionCount)),
                Fact(
                    label: req.t("batch.subjects"),
                    value: PassRule.subjects(for: d.level).map { req.t("subject.\($0.rawValue)") }.joined(separator: req.t("list.separator"))),
                Fact(label: req.t("batch.notice"), value: b.noticeFrom.map { req.t("programs.dates", [$0, b.noticeUntil ?? ""]) } ?? "—"),
                Fact(label: req.t("filing.certificatePrefix"), value: d.identity.certificatePrefix),
            ],
            staff: d.assignments.sorted { ($0.duty, $0.room) < ($1.duty, $1.room) }.map {
                StaffView(name: d.names[$0.personID] ?? "", duty: req.t("duty.\($0.duty)"), room: $0.room)
            },
            hasStaff: !d.assignments.isEmpty,
            canManage: canManage && [.planned, .approved, .registrationOpen, .eligibilityReviewed].contains(d.status),
            staffChoices: staffChoices, duties: Page.options(Duty.self, prefix: "duty", selected: [values["duty"] ?? ""], req),
            assignAction: SiteURL.batchStaff(id).path,
            registrations: regViews, hasRegistrations: !regViews.isEmpty, showIDs: !isAssessor, showReview: d.level.needsComprehensiveReview,
            isAssessor: isAssessor,
            canRegister: canManage && d.status.acceptsRegistrations, registerAction: SiteURL.batchRegistrations(id).path, people: personChoices,
            clauses: standard.eligibility.clauses(for: d.level).map {
                ChoiceOption(value: $0.id, label: "\($0.id) · \(StandardService.describe($0, req))", selected: values["clauseId"] == $0.id)
            },
            certLevels: SkillLevel.certificated.map {
                ChoiceOption(value: $0.rawValue, label: req.t("level.\($0.rawValue)"), selected: values["certificateLevel"] == $0.rawValue)
            },
            reviewAllAction: SiteURL.batchReviewAll(id).path,
            canReviewAll: canManage && d.status == .registrationOpen && facts.pendingEligibility > 0,
            registrationImportAction: SiteURL.batchRegistrationImport(id).path, theoryImportAction: SiteURL.batchTheoryImport(id).path,
            canImportTheory: canManage && d.status.acceptsScores,
            registrationsHelp: [ImportHelp.make(.registrations, req)], scoresHelp: [ImportHelp.make(.scores, req)],
            recusals: recusalViews, hasRecusals: !recusalViews.isEmpty,
            events: events, hasEvents: !events.isEmpty, transitionAction: SiteURL.batchTransition(id).path,
            blockers: Array(Set(blockers)).sorted(), hasBlockers: !blockers.isEmpty,
            objections: objections, hasObjections: !objections.isEmpty,
            reportHref: SiteURL.batchReport(id).path, canReport: canManage && [.inNotice, .final, .archived].contains(d.status),
            certificatesHref: SiteURL.batchCertificatesExport(id).path,
            hasCertificates: (canManage || actor.can(.decideBatchPlan, scope)) && [.final, .archived].contains(d.status),
            values: values, errors: errors)
        return try await Page.render("evaluation-plan", title: b.title, body, req, status: status)
    }

    static func formatted(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }
}
