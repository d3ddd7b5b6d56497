import Fluent
import SkillChainCore
import Vapor

/// The home page per role: a few figures and what to do next.
enum HomePage {
    struct Task: Encodable {
        let text: String
        let href: String
    }
    struct Figure: Encodable {
        let label: String
        let value: Int
    }
    struct Body: Encodable {
        let greeting: String
        let role: String
        let figures: [Figure]
        let tasks: [Task]
    }

    static func show(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        var figures: [Figure] = []
        var tasks: [Task] = []
        let chainIDs = try await ChainService.visibleIDs(actor: actor, on: req.db)
        let store = HomeTaskStore(req.db)
        let chains = try await store.chains(chainIDs)
        figures.append(Figure(label: req.t("home.figure.chains"), value: chains.count))
        switch actor.role {
        case .platformAdmin:
            figures.append(Figure(label: req.t("home.figure.organizations"), value: try await store.organizationCount()))
            tasks.append(Task(text: req.t("home.task.addOrganization"), href: SiteURL.newOrganization.path))
            tasks.append(Task(text: req.t("home.task.verifyAudit"), href: SiteURL.audit.path))
        case .governmentOfficer:
            let waiting = chains.filter { $0.status == ChainStatus.submitted.rawValue }
            figures.append(Figure(label: req.t("home.figure.awaitingDecision"), value: waiting.count))
            tasks += waiting.map { Task(text: req.t("home.task.decideChain", [$0.name]), href: SiteURL.chain($0.id!).path) }
        case .enterpriseAdmin:
            let led = chains.filter { $0.leadOrganizationID == actor.organizationID }
            for c in led where ChainStatus(rawValue: c.status)?.isEditable == true {
                tasks.append(
                    Task(
                        text: req.t(c.status == ChainStatus.returned.rawValue ? "home.task.fixReturnedChain" : "home.task.submitChain", [c.name]),
                        href: SiteURL.chain(c.id!).path))
            }
            if led.isEmpty { tasks.append(Task(text: req.t("home.task.createChain"), href: SiteURL.newChain.path)) }
            fallthrough
        case .schoolAdmin, .teacher, .master:
            let people = try await store.activePeople(of: actor.organizationID)
            figures.append(Figure(label: req.t("home.figure.people"), value: people))
            if people == 0 && Policy.grant(actor.role, .createPerson) != .none {
                tasks.append(Task(text: req.t("home.task.addPerson"), href: SiteURL.newPerson.path))
            }
        default:
            break
        }
        try await HomeRecordTasks.add(actor, chains: chains, req, tasks: &tasks)
        try await HomeTrainingTasks.add(actor, req, figures: &figures, tasks: &tasks)
        try await HomeEvaluationTasks.add(actor, req, tasks: &tasks)
        if tasks.isEmpty { tasks.append(Task(text: req.t("home.task.browseChains"), href: SiteURL.chains.path)) }
        return try await Page.render(
            "home", title: req.t("home.title"),
            Body(
                greeting: req.t("home.greeting", [actor.displayName]), role: req.t("role.\(actor.role.rawValue)"),
                figures: figures, tasks: tasks), req)
    }
}
