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
            if waiting > 0 {
                tasks.append(
                    .init(text: req.t("home.task.decideSubsidies", [String(waiting)]), href: SiteURL.subsidyClaims.path + "?status=advanceRequested"))
            }
            let filings = try await FilingService.query(actor: actor, on: req.db).filter(\.$status == FilingStatus.submitted.rawValue).all()
            let orgs = try await OrganizationRecord.query(on: req.db).filter(\.$id ~~ filings.map(\.organizationID)).all()
            let name = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id!, $0.name) })
            for f in filings {
                tasks.append(.init(text: req.t("home.task.decideFiling", [name[f.organizationID] ?? ""]), href: SiteURL.evaluationBody(f.id!).path))
            }
        case .enterpriseAdmin:
            let programs = try await ProgramRecord.query(on: req.db).filter(\.$leadOrganizationID == actor.organizationID).all()
            figures.append(
                .init(label: req.t("home.figure.programsInTraining"), value: programs.filter { $0.status == ProgramStatus.inTraining.rawValue }.count)
            )
            for p in programs where p.status == ProgramStatus.planning.rawValue {
                tasks.append(.init(text: req.t("home.task.startProgram", [p.name]), href: SiteURL.program(p.id!).path))
            }
            // Each returned agreement, linked to where it is revised: the programme's agreement, or the apprentice's page.
            let returned = try await AgreementRecord.query(on: req.db).filter(\.$programID ~~ programs.compactMap(\.id))
                .filter(\.$status == AgreementStatus.returned.rawValue).all()
            let programName = Dictionary(uniqueKeysWithValues: programs.map { ($0.id!, $0.name) })
            for a in returned.prefix(10) {
                tasks.append(.init(text: req.t("home.task.reviseAgreement", [programName[a.programID] ?? ""]), href: agreementHref(a)))
            }
            if programs.isEmpty { tasks.append(.init(text: req.t("home.task.openProgram"), href: SiteURL.newProgram.path)) }
        case .schoolAdmin:
            let waiting = try await AgreementRecord.query(on: req.db).filter(\.$counterpartyOrganizationID == actor.organizationID)
                .filter(\.$status == AgreementStatus.awaitingCounterparty.rawValue).all()
            let names = try await programNames(waiting.map(\.programID), req)
            for a in waiting {
                tasks.append(.init(text: req.t("home.task.answerAgreement", [names[a.programID] ?? ""]), href: agreementHref(a)))
            }
            // A student apprentice's school signs the apprenticeship agreement for its student.
            let training = try await AgreementRecord.query(on: req.db).filter(\.$kind == AgreementKind.training.rawValue)
                .filter(\.$status == AgreementStatus.awaitingCounterparty.rawValue).all()
            let enrollments = try await EnrollmentRecord.query(on: req.db).filter(\.$id ~~ training.compactMap(\.enrollmentID)).all()
            let students = try await PersonRecord.query(on: req.db).filter(\.$id ~~ enrollments.map(\.personID))
                .filter(\.$organizationID == actor.organizationID).all()
            let studentName = Dictionary(uniqueKeysWithValues: students.map { ($0.id!, $0.name) })
            let studentOf = Dictionary(uniqueKeysWithValues: enrollments.compactMap { e in studentName[e.personID].map { (e.id!, $0) } })
            for a in training {
                if let e = a.enrollmentID, let name = studentOf[e] {
                    tasks.append(.init(text: req.t("home.task.signForStudent", [name]), href: agreementHref(a)))
                }
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
            // An apprenticeship agreement waiting for the learner's own answer comes first.
            let waiting = try await AgreementRecord.query(on: req.db).filter(\.$enrollmentID ~~ mine.compactMap(\.id))
                .filter(\.$status == AgreementStatus.awaitingCounterparty.rawValue).all()
            for a in waiting {
                tasks.append(.init(text: req.t("home.task.answerTrainingAgreement", [names[a.programID] ?? ""]), href: agreementHref(a)))
            }
            for e in mine {
                tasks.append(.init(text: req.t("home.task.myProgram", [names[e.programID] ?? ""]), href: SiteURL.enrollment(e.id!).path))
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

    static func programNames(_ ids: [UUID], _ req: Request) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        return Dictionary(uniqueKeysWithValues: try await ProgramRecord.query(on: req.db).filter(\.$id ~~ Set(ids)).all().map { ($0.id!, $0.name) })
    }
}
