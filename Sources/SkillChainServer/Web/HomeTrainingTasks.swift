import Fluent
import SkillChainCore
import Vapor

/// What the training side asks of each role on the home page.
enum HomeTrainingTasks {
    static func add(_ actor: Actor, _ req: Request, figures: inout [HomePage.Figure], tasks: inout [HomePage.Task]) async throws {
        let store = HomeTaskStore(req.db)
        switch actor.role {
        case .governmentOfficer:
            let waiting = try await SubsidyService.query(actor: actor, status: nil, on: req.db)
                .filter(\.$status ~~ [SubsidyClaimStatus.advanceRequested.rawValue, SubsidyClaimStatus.settlementRequested.rawValue]).count()
            figures.append(.init(label: req.t("home.figure.subsidiesWaiting"), value: waiting))
            if waiting > 0 {
                tasks.append(
                    .init(text: req.t("home.task.decideSubsidies", [String(waiting)]), href: SiteURL.subsidyClaims.path + "?status=advanceRequested"))
            }
            let filings = try await FilingService.query(actor: actor, on: req.db).filter(\.$status == FilingStatus.submitted.rawValue).all()
            let name = try await OrganizationRecord.names(filings.map(\.organizationID), \.name, on: req.db)
            for f in filings {
                tasks.append(.init(text: req.t("home.task.decideFiling", [name[f.organizationID] ?? ""]), href: SiteURL.evaluationBody(f.id!).path))
            }
        case .enterpriseAdmin:
            let programs = try await store.programs(ledBy: actor.organizationID)
            figures.append(
                .init(label: req.t("home.figure.programsInTraining"), value: programs.filter { $0.status == ProgramStatus.inTraining.rawValue }.count)
            )
            for p in programs where p.status == ProgramStatus.planning.rawValue {
                tasks.append(.init(text: req.t("home.task.startProgram", [p.name]), href: SiteURL.program(p.id!).path))
            }
            // Each returned agreement, linked to where it is revised: the programme's agreement, or the apprentice's page.
            let returned = try await store.returnedAgreements(of: programs.compactMap(\.id))
            let programName = Dictionary(uniqueKeysWithValues: programs.map { ($0.id!, $0.name) })
            for a in returned.prefix(10) {
                tasks.append(.init(text: req.t("home.task.reviseAgreement", [programName[a.programID] ?? ""]), href: agreementHref(a)))
            }
            if programs.isEmpty { tasks.append(.init(text: req.t("home.task.openProgram"), href: SiteURL.newProgram.path)) }
        case .schoolAdmin:
            for (a, program) in try await store.agreementsAwaiting(counterparty: actor.organizationID) {
                tasks.append(.init(text: req.t("home.task.answerAgreement", [program]), href: agreementHref(a)))
            }
            // A student apprentice's school signs the apprenticeship agreement for its student.
            for (a, student) in try await store.trainingAgreementsAwaiting(school: actor.organizationID) {
                tasks.append(.init(text: req.t("home.task.signForStudent", [student]), href: agreementHref(a)))
            }
        case .master, .teacher:
            let mine = try await store.apprentices(of: actor.membershipID)
            figures.append(.init(label: req.t("home.figure.apprentices"), value: mine.count))
            for (e, name) in mine.prefix(8) {
                tasks.append(.init(text: req.t("home.task.logHours", [name]), href: SiteURL.enrollment(e.id!).path + "#log-hours"))
            }
        case .learner:
            guard let pid = actor.personID else { break }
            let (mine, waiting) = try await store.learning(pid)
            let names = Dictionary(mine.map { ($0.0.programID, $0.1) }, uniquingKeysWith: { a, _ in a })
            // An apprenticeship agreement waiting for the learner's own answer comes first.
            for a in waiting {
                tasks.append(.init(text: req.t("home.task.answerTrainingAgreement", [names[a.programID] ?? ""]), href: agreementHref(a)))
            }
            for (e, program) in mine {
                tasks.append(.init(text: req.t("home.task.myProgram", [program]), href: SiteURL.enrollment(e.id!).path))
            }
            // Invitations to a position wait for an answer on the talent pool page.
            for r in try await TalentAPI.invitationResponses(try await TalentService.invitations(actor: actor, on: req.db), on: req.db)
            where r.status == InvitationStatus.invited.rawValue {
                tasks.append(
                    .init(
                        text: req.t("home.task.answerInvitation", [r.positionTitle, r.organizationName]),
                        href: SiteURL.talentPool.path + "#invitation-" + r.id.uuidString.lowercased()))
            }
        default:
            break
        }
    }

    /// Where an agreement is acted on: an apprentice's page for a training agreement, else the programme's agreement.
    static func agreementHref(_ a: AgreementRecord) -> String {
        if let e = a.enrollmentID { return SiteURL.enrollment(e).path + "#agreement" }
        return SiteURL.program(a.programID).path + "#agreement-" + a.id!.uuidString.lowercased()
    }
}
