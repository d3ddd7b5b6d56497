import Fluent
import SkillChainCore
import Vapor

/// What the evaluation side asks of each role on the home page: plans to decide, batches to move on, candidates to
/// score, batches to sign off, exams to sit.
enum HomeEvaluationTasks {
    static func add(_ actor: Actor, _ req: Request, tasks: inout [HomePage.Task]) async throws {
        switch actor.role {
        case .governmentOfficer:
            for b in try await BatchService.query(actor: actor, on: req.db).filter(\.$status == BatchStatus.planSubmitted.rawValue).all() {
                tasks.append(.init(text: req.t("home.task.decideBatchPlan", [b.title]), href: SiteURL.batch(b.id!).path))
            }
        case .enterpriseAdmin, .schoolAdmin:
            let batches = try await BatchService.query(actor: actor, on: req.db)
                .filter(\.$status ~~ [BatchStatus.registrationOpen, .inNotice].map(\.rawValue)).all()
            for b in batches {
                let key = b.status == BatchStatus.inNotice.rawValue ? "home.task.watchNotice" : "home.task.reviewRegistrations"
                tasks.append(.init(text: req.t(key, [b.title]), href: SiteURL.batch(b.id!).path))
            }
        case .assessor:
            for b in try await BatchService.query(actor: actor, on: req.db).filter(\.$status == BatchStatus.examsHeld.rawValue).all() {
                tasks.append(.init(text: req.t("home.task.scoreCandidates", [b.title]), href: SiteURL.batch(b.id!).path + "#registrations"))
            }
        case .supervisor:
            for b in try await BatchService.query(actor: actor, on: req.db).filter(\.$status == BatchStatus.examsHeld.rawValue).all() {
                tasks.append(.init(text: req.t("home.task.signOffBatch", [b.title]), href: SiteURL.batch(b.id!).path + "#workflow"))
            }
        case .learner:
            for (r, b) in try await ExamService.myRegistrations(actor: actor, on: req.db)
            where r.eligibility == EligibilityStatus.eligible.rawValue && r.theoryScore == nil && (BatchStatus(rawValue: b.status)?.examOpen ?? false)
            {
                tasks.append(.init(text: req.t("home.task.sitExam", [b.title]), href: SiteURL.exam(r.id!).path))
            }
        default: break
        }
    }
}
