/// Everything a user can ask the platform to do. Each route declares exactly one action.
public enum Action: String, Sendable, CaseIterable {
    case viewHome, switchMembership, manageOwnTokens, manageOwnAccount
    case listOrganizations, viewOrganization, createOrganization, editOrganization
    case listChains, viewChain, createChain, editChain, submitChain, decideChain
    case listPeople, viewPerson, createPerson, editPerson, revealCitizenID
    case listMemberships, createMembership, manageAccounts
    case viewAudit, manageMail
    case listOccupations, viewStandard, editEnterpriseStandard
    case listPositions, viewPosition, createPosition, editPosition
    case listPrograms, viewProgram, createProgram, editProgram, manageEnrollments, actOnAgreement, logProgress
    case importRoster
    case listSubsidyClaims, createSubsidyClaim, decideSubsidyClaim
    case listFilings, viewFiling, createFiling, editFiling, decideFiling
    case listBatches, viewBatch, createBatch, manageBatch, manageEvaluationStaff, manageQuestionBank, decideBatchPlan
    case scoreCandidates, signOffBatch, takeExam, manageCalendar
    case viewCertificate, manageCertificates
    case manageTalentConsent, matchCandidates, inviteCandidate, answerInvitation, listInvitations, recordPlacement, listPlacements
    case managePayGrid, listPayGrids, viewDashboard
    case manageHonours, nominateForHonour, listHonours
    case manageRegistry, updateBaseActivity, listRegistry, manageCompetitions, listCompetitions
}

/// How far a grant reaches.
public enum Grant: Int, Sendable, Comparable {
    /// Not allowed at all.
    case none = 0
    /// Rows owned by (or, for chains, joined by) the acting organization.
    case own = 1
    /// Rows inside the acting government department's region, plus its own.
    case region = 2
    /// Everything.
    case all = 3

    public static func < (a: Grant, b: Grant) -> Bool { a.rawValue < b.rawValue }
}

/// Where a particular row sits relative to the acting membership.
public enum Scope: Sendable, Equatable {
    case own, inRegion, other
}

/// The one authorization policy: (role, action, scope) → allowed. Routes ask `grant` to decide
/// whether to answer 403, stores ask `allows` per row and answer 404 for rows out of scope.
public enum Policy {
    /// Actions only a party may take: the platform operator supports everyone but signs for no one.
    /// Judging (scores, sign-off) and sitting an exam are personal acts too.
    public static let partiesOnly: Set<Action> = [
        .actOnAgreement, .scoreCandidates, .signOffBatch, .takeExam, .manageTalentConsent, .answerInvitation,
    ]

    public static func grant(_ role: Role, _ action: Action) -> Grant {
        if role == .platformAdmin { return partiesOnly.contains(action) ? .none : .all }
        switch action {
        case .viewHome, .switchMembership, .manageOwnTokens, .manageOwnAccount, .listMemberships,
            .listOrganizations, .viewOrganization, .listOccupations, .viewStandard, .listPositions, .viewPosition:
            return .all
        case .createPosition, .editPosition, .editEnterpriseStandard, .createProgram, .editProgram, .createSubsidyClaim:
            return role == .enterpriseAdmin ? .own : .none
        case .listPrograms, .viewProgram:
            return role == .governmentOfficer ? .region : [.assessor, .supervisor].contains(role) ? .none : .own
        case .manageEnrollments, .importRoster:
            return role.isOrganizationAdmin ? .own : .none
        case .actOnAgreement:
            return role.isOrganizationAdmin || role == .learner ? .own : .none
        case .logProgress:
            return [.enterpriseAdmin, .master, .teacher].contains(role) ? .own : .none
        case .listSubsidyClaims:
            return role == .governmentOfficer ? .region : role == .enterpriseAdmin ? .own : .none
        case .listFilings, .viewFiling:
            return role == .governmentOfficer ? .region : role.isOrganizationAdmin ? .own : .none
        case .createFiling, .editFiling:
            return role.isOrganizationAdmin ? .own : .none
        case .decideFiling:
            return role == .governmentOfficer ? .region : .none
        case .listBatches, .viewBatch:
            // Assessors and supervisors see only the batches they sit on (filtered by the store).
            return role == .governmentOfficer ? .region : role.isOrganizationAdmin || [.assessor, .supervisor].contains(role) ? .own : .none
        case .createBatch, .manageBatch, .manageEvaluationStaff, .manageQuestionBank:
            return role.isOrganizationAdmin ? .own : .none
        case .decideBatchPlan:
            return role == .governmentOfficer ? .region : .none
        case .scoreCandidates:
            return role == .assessor ? .own : .none
        case .signOffBatch:
            return role == .supervisor ? .own : .none
        case .takeExam:
            return role == .learner ? .all : .none
        case .manageCalendar:
            return .none
        case .viewCertificate:
            // Learners reach only their own (checked by the store).
            return role == .governmentOfficer ? .region : role.isOrganizationAdmin ? .own : role == .learner ? .all : .none
        case .manageCertificates:
            return role.isOrganizationAdmin ? .own : .none
        case .manageTalentConsent, .answerInvitation:
            // One's own consent and answers (the store checks the person).
            return role == .learner ? .own : .none
        case .matchCandidates, .inviteCandidate, .recordPlacement:
            return role == .enterpriseAdmin ? .own : .none
        case .listInvitations:
            return role == .enterpriseAdmin || role == .learner ? .own : .none
        case .manageHonours:
            return role == .governmentOfficer ? .region : .none
        case .nominateForHonour:
            return role == .enterpriseAdmin ? .own : .none
        case .listHonours:
            // Employers see their region's campaigns and their own nominations (filtered by the store).
            return role == .governmentOfficer ? .region : role == .enterpriseAdmin ? .own : .none
        case .manageRegistry:
            return role == .governmentOfficer ? .region : .none
        case .updateBaseActivity:
            return role.isOrganizationAdmin ? .own : .none
        case .listRegistry, .manageCompetitions, .listCompetitions:
            // Hosts see their own bases; organizers their own contests and their region's city and higher ones (the store filters).
            return role == .governmentOfficer ? .region : role.isOrganizationAdmin ? .own : .none
        case .viewDashboard:
            return role == .governmentOfficer ? .region : .none
        case .managePayGrid:
            return role == .enterpriseAdmin ? .own : .none
        case .listPayGrids:
            return role == .governmentOfficer ? .region : role == .enterpriseAdmin ? .own : .none
        case .listPlacements:
            // Schools see their graduates', learners their own (filtered by the store).
            return role == .governmentOfficer ? .region : [.enterpriseAdmin, .schoolAdmin, .learner].contains(role) ? .own : .none
        case .decideSubsidyClaim:
            return role == .governmentOfficer ? .region : .none
        case .listChains, .viewChain:
            return role == .governmentOfficer ? .region : .own
        case .createChain, .editChain, .submitChain:
            return role == .enterpriseAdmin ? .own : .none
        case .decideChain:
            return role == .governmentOfficer ? .region : .none
        case .createPerson, .editPerson, .revealCitizenID, .createMembership, .manageAccounts, .editOrganization:
            return role.isOrganizationAdmin ? .own : .none
        case .listPeople, .viewPerson:
            return [.enterpriseAdmin, .schoolAdmin, .teacher, .master].contains(role) ? .own : .none
        case .createOrganization, .viewAudit, .manageMail:
            return .none
        }
    }

    public static func allows(_ role: Role, _ action: Action, _ scope: Scope) -> Bool {
        switch (grant(role, action), scope) {
        case (.none, _): false
        case (.all, _): true
        case (.region, .own), (.region, .inRegion): true
        case (.own, .own): true
        default: false
        }
    }
}
