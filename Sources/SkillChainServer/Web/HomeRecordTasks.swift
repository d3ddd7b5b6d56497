import Fluent
import SkillChainCore
import Vapor

/// Hand-overs about records themselves on the home page: a person's correction request waits for the organization
/// holding the record; a change to an approved chain waits for the region's bureau. Each links to where it is decided.
enum HomeRecordTasks {
    static func add(_ actor: Actor, chains: [ChainRecord], _ req: Request, tasks: inout [HomePage.Task]) async throws {
        if actor.role == .governmentOfficer {
            let names = Dictionary(uniqueKeysWithValues: chains.map { ($0.id!, $0.name) })
            for r in try await HomeTaskStore(req.db).pendingChainChanges(Array(names.keys)) {
                tasks.append(
                    .init(
                        text: req.t("home.task.decideChainChange", [names[r.chainID] ?? ""]),
                        href: SiteURL.chain(r.chainID).path + "#change-requests"))
            }
        }
        if Policy.grant(actor.role, .editPerson) != .none && actor.role != .platformAdmin {
            for (r, name) in try await HomeTaskStore(req.db).openCorrections(at: actor.organizationID) {
                tasks.append(
                    .init(
                        text: req.t("home.task.decideCorrection", [name]),
                        href: SiteURL.person(r.personID).path + "#corrections"))
            }
        }
    }
}
