import Fluent
import SkillChainCore
import Vapor

/// What the training side asks of each role on the home page.
enum HomeTrainingTasks {
    static func add(_ actor: Actor, _ req: Request, figures: inout [HomePage.Figure], tasks: inout [HomePage.Task]) async throws {
        switch actor.role {
        case .governmentOfficer:
            let waiting = try await SubsidyService.query(actor: actor, status: nil, on: req.db)
                .filter(\.$status ~~ [SubsidyClaimStatus.advanceRequested.rawValue, SubsidyClaimStatus.settlementRequested.rawValue]).count()
            figures.append(.init(label: req.t("home.figure.subsidiesWaiting"), value: waiting))
            if waiting > 0 { tasks.append(.init(text: req.t("home.task.decideSubsidies", [String(waiting)]), href: SiteURL.subsidyClaims.path + "?status=advanceRequested")) }
            let filings = try await FilingService.query(actor: actor, on: req.db).filter(\.$status == FilingStatus.submitted.rawValue).all()
            let orgs = try await OrganizationRecord.query(on: req.db).filter(\.$id ~~ filings.map(\.organizationID)).all()
            let name = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id!, $0.name) })
            for f in filings {
                tasks.append(.init(text: req.t("home.task.decideFiling", [name[f.organizationID] ?? ""]), href: SiteURL.evaluationBody(f.id!).path))
            }
        case .enterpriseAdmin:
            let programs = try await ProgramRecord.query(on: req.db).filter(\.$leadOrganizationID == actor.organizationID).all()
            figures.append(.init(label: req.t("home.figure.programsInTraining"), value: programs.filter { $0.status == ProgramStatus.inTraining.rawValue }.count))
            for p in programs where p.status == ProgramStatus.planning.rawValue {
                tasks.append(.init(text: req.t("home.task.startProgram", [p.name]), href: SiteURL.program(p.id!).path))
            }
            let returned = try await AgreementRecord.query(on: req.db).filter(\.$programID ~~ programs.compactMap(\.id))
                .filter(\.$status == AgreementStatus.returned.rawValue).count()
            if returned > 0 { tasks.append(.init(text: req.t("home.task.reviseAgreements", [String(returned)]), href: SiteURL.programs.path)) }
            if programs.isEmpty { tasks.append(.init(text: req.t("home.task.openProgram"), href: SiteURL.newProgram.path)) }
        case .schoolAdmin:
            let waiting = try await AgreementRecord.query(on: req.db).filter(\.$counterpartyOrganizationID == actor.organizationID)
                .filter(\.$status == AgreementStatus.awaitingCounterparty.rawValue).all()
            let names = try await programNames(waiting.map(\.programID), req)
            for a in waiting {
                tasks.append(.init(text: req.t("home.task.answerAgreement", [names[a.programID] ?? ""]), href: SiteURL.program(a.programID).path + "#agreements"))
            }
        case .master, .teacher:
            let mine = try await EnrollmentRecord.query(on: req.db).group(.or) {
                $0.filter(\.$masterMembershipID == actor.membershipID).filter(\.$teacherMembershipID == actor.membershipID)
            }.filter(\.$status == EnrollmentStatus.enrolled.rawValue).all()
            figures.append(.init(label: req.t("home.figure.apprentices"), value: mine.count))
            let people = try await PersonRecord.query(on: req.db).filter(\.$id ~~ mine.map(\.personID)).all()
            let name = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.name) })
            for e in mine.prefix(8) {
                tasks.append(.init(text: req.t("home.task.logHours", [name[e.personID] ?? ""]), href: SiteURL.enrollment(e.id!).path + "#log-hours"))
            }
        case .learner:
            guard let pid = actor.personID else { break }
            let mine = try await EnrollmentRecord.query(on: req.db).filter(\.$personID == pid).all()
            let names = try await programNames(mine.map(\.programID), req)
            for e in mine { tasks.append(.init(text: req.t("home.task.myProgram", [names[e.programID] ?? ""]), href: SiteURL.enrollment(e.id!).path)) }
        default:
            break
        }
    }

    static func programNames(_ ids: [UUID], _ req: Request) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await ProgramRecord.query(on: req.db).filter(\.$id ~~ Set(ids)).all().map { ($0.id!, $0.name) })
    }
}
