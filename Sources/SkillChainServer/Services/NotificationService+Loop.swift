import Fluent
import Foundation
import SkillChainCore
import Vapor

/// The hand-overs of chains, filings, evaluation batches, placements, subsidies and honours: who is told, in the same
/// transaction as the change (the callers run these inside their `app.write`).
extension NotificationService {
    /// The three steps of a filing with the bureau (a chain, an evaluation body, a plan): who is told of which.
    enum Handover { case submitted, approved, returned }

    /// Submitted: the officers of the region, who decide. Decided: the submitter's admins.
    static func submittedOrDecided(
        _ step: Handover?, kinds: [Handover: NotificationKind], region: String, organization: UUID, args: [String], link: SiteURL,
        on db: any Database
    ) async throws -> [NotificationDraft] {
        guard let step, let kind = kinds[step] else { return [] }
        let store = NotificationStore(db)
        let to = step == .submitted ? try await store.officers(covering: region) : try await store.admins(of: organization)
        return NotificationDraft.each(kind, to: to, args: args, link: link.path)
    }

    static func chainDrafts(_ chain: ChainRecord, event: ChainStatus.Event, on db: any Database) async throws -> [NotificationDraft] {
        let step: Handover? =
            switch event {
            case .submit: .submitted
            case .approve: .approved
            case .sendBack: .returned
            case .edit: nil
            }
        return try await Self.submittedOrDecided(
            step, kinds: [.submitted: .chainSubmitted, .approved: .chainApproved, .returned: .chainReturned], region: chain.regionCode,
            organization: chain.leadOrganizationID, args: [chain.name], link: .chain(chain.id!), on: db)
    }

    static func filingDrafts(_ d: FilingDetail, event: FilingStatus.Event, on db: any Database) async throws -> [NotificationDraft] {
        let step: Handover? =
            switch event {
            case .submit: .submitted
            case .approve: .approved
            case .sendBack: .returned
            default: nil
            }
        return try await Self.submittedOrDecided(
            step, kinds: [.submitted: .filingSubmitted, .approved: .filingApproved, .returned: .filingReturned],
            region: d.filing.regionCode, organization: d.filing.organizationID, args: [d.organization.name],
            link: .evaluationBody(d.filing.id!), on: db)
    }

    /// A batch's step: the plan to the officers and back; the exams, the notice and the final results to its candidates
    /// (those certified are told their certificate's number).
    static func batchDrafts(
        _ d: BatchDetail, event: BatchStatus.Event, noticeUntil: String?, issued: [CertificateStore.Row], on db: any Database
    ) async throws -> [NotificationDraft] {
        let b = d.batch
        let title = [b.title]
        switch event {
        case .submitPlan, .approvePlan, .returnPlan:
            let step: Handover = event == .submitPlan ? .submitted : event == .approvePlan ? .approved : .returned
            return try await Self.submittedOrDecided(
                step, kinds: [.submitted: .planSubmitted, .approved: .planApproved, .returned: .planReturned], region: b.regionCode,
                organization: b.organizationID, args: title, link: .batch(b.id!), on: db)
        case .holdExams:
            let users = try await NotificationStore(db).candidates(of: b.id!, eligibility: [.eligible]).map(\.user)
            return NotificationDraft.each(.examOpen, to: users, args: title, link: SiteURL.exams.path)
        case .publishNotice:
            let users = try await NotificationStore(db).candidates(of: b.id!, eligibility: [.eligible]).map(\.user)
            return NotificationDraft.each(.resultsOnNotice, to: users, args: title + [noticeUntil ?? ""], link: SiteURL.notices.path)
        case .finalize:
            let numbers = Dictionary(issued.map { ($0.citizenIDIndex, $0.number) }, uniquingKeysWith: { a, _ in a })
            var drafts: [NotificationDraft] = []
            var told = Set<UUID>()
            for (user, index) in try await NotificationStore(db).candidates(of: b.id!, eligibility: [.eligible]) where told.insert(user).inserted {
                if let number = numbers[index] {
                    drafts.append(NotificationDraft(kind: .certificateIssued, recipient: user, args: [number], link: SiteURL.certificates.path))
                } else {
                    drafts.append(NotificationDraft(kind: .resultsFinal, recipient: user, args: title, link: SiteURL.exams.path))
                }
            }
            return drafts
        default:
            return []
        }
    }

    static func eligibilityDrafts(_ r: RegistrationRecord, batch: EvaluationBatchRecord, on db: any Database) async throws -> [NotificationDraft] {
        NotificationDraft.each(
            .eligibilityDecided, to: try await NotificationStore(db).users(of: r.personID),
            args: [batch.title, "@eligibilityStatus.\(r.eligibility)"],
            link: SiteURL.exams.path)
    }

    static func objectionDrafts(_ batch: EvaluationBatchRecord, on db: any Database) async throws -> [NotificationDraft] {
        NotificationDraft.each(
            .objectionReceived, to: try await NotificationStore(db).admins(of: batch.organizationID), args: [batch.title],
            link: SiteURL.batch(batch.id!).path)
    }

    static func subsidyDrafts(_ c: SubsidyClaimRecord, on db: any Database) async throws -> [NotificationDraft] {
        let program = try await ProgramRecord.find(c.programID, on: db)?.name ?? ""
        let admins = try await NotificationStore(db).admins(of: c.organizationID)
        let link = SiteURL.subsidyClaim(c.id!).path
        if c.status == SubsidyClaimStatus.settled.rawValue { return NotificationDraft.each(.subsidySettled, to: admins, args: [program], link: link) }
        return NotificationDraft.each(.subsidyDecided, to: admins, args: [program, "@subsidyStatus.\(c.status)"], link: link)
    }

    static func placementDrafts(_ p: PlacementRecord, position: PositionRecord, on db: any Database) async throws -> [NotificationDraft] {
        let employer = try await OrganizationRecord.find(p.organizationID, on: db)?.name ?? ""
        return NotificationDraft.each(
            .placementRecorded, to: try await NotificationStore(db).users(of: p.personID), args: [employer, position.title],
            link: SiteURL.talentPool.path)
    }

    /// A nomination decided at the notice (on notice, or not selected): the nominating organization's admins. Awarded:
    /// the person too.
    static func nominationDrafts(
        _ n: HonourNominationRecord, campaign: HonourCampaignRecord, now: NominationStatus, on db: any Database
    ) async throws -> [NotificationDraft] {
        let store = NotificationStore(db)
        let link = SiteURL.honour(campaign.id!).path
        let name = try await PersonRecord.find(n.personID, on: db)?.name ?? ""
        var drafts = NotificationDraft.each(
            .nominationDecided, to: try await store.admins(of: n.organizationID),
            args: [name, campaign.name, "@honour.nomination.\(now.rawValue)"], link: link)
        if now == .awarded {
            drafts += NotificationDraft.each(.honourAwarded, to: try await store.users(holding: n.citizenIDIndex), args: [campaign.name], link: link)
        }
        return drafts
    }
}
