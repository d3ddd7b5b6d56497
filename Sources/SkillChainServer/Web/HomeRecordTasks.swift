import Fluent
import SkillChainCore
import Vapor

/// Hand-overs about records themselves on the home page: a person's correction request waits for the organization
/// holding the record; a change to an approved chain waits for the region's bureau. Each links to where it is decided.
enum HomeRecordTasks {
    static func add(_ actor: Actor, chains: [ChainRecord], _ req: Request, tasks: inout [HomePage.Task]) async throws {
        if actor.role == .governmentOfficer {
            let names = Dictionary(uniqueKeysWithValues: chains.map { ($0.id!, $0.name) })
            let pending = try await ChainChangeRequestRecord.query(on: req.db).filter(\.$chainID ~~ Array(names.keys))
                .filter(\.$status == ChainChangeStatus.pending.rawValue).sort(\.$createdAt).limit(20).all()
            for r in pending {
                tasks.append(
                    .init(
                        text: req.t("home.task.decideChainChange", [names[r.chainID] ?? ""]),
                        href: SiteURL.chain(r.chainID).path + "#change-requests"))
            }
        }
        if Policy.grant(actor.role, .editPerson) != .none && actor.role != .platformAdmin {
            let open = try await CorrectionRequestRecord.query(on: req.db).filter(\.$organizationID == actor.organizationID)
                .filter(\.$status == CorrectionStatus.open.rawValue).sort(\.$createdAt).limit(20).all()
            let people = try await PersonRecord.query(on: req.db).filter(\.$id ~~ open.map(\.personID)).all()
            let name = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.name) })
            for r in open {
                tasks.append(
                    .init(
                        text: req.t("home.task.decideCorrection", [name[r.personID] ?? ""]),
                        href: SiteURL.person(r.personID).path + "#corrections"))
            }
        }
    }
}
