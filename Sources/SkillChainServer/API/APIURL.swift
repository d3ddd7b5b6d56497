import Foundation

/// Every JSON API address under `/api/v1`, built in one place: the route table registers each one and clients are told
/// of them in `openapi.json`.
enum APIURL: Sendable {
    case openAPIDocument
    case certificateLogProof(String)
    case authToken
    case me
    case organizations
    case organization(UUID)
    case organizationArchive(UUID)
    case organizationRestore(UUID)
    case chains
    case chain(UUID)
    case chainMembers(UUID)
    case chainMember(UUID, org: UUID)
    case chainChangeRequests(UUID)
    case chainChangeRequestDecision(UUID)
    case chainSubmit(UUID)
    case chainDecision(UUID)
    case people
    case person(UUID)
    case personArchive(UUID)
    case personRestore(UUID)
    case memberships
    case membershipDeactivation(UUID)
    case membershipReactivation(UUID)
    case membershipUserDeactivation(UUID)
    case membershipUserReactivation(UUID)
    case membershipPasswordReset(UUID)
    case mePassword
    case meData
    case meCorrections
    case correctionRequestDecision(UUID)
    case meSessions
    case notifications
    case notificationRead(UUID)
    case meSessionEnd(UUID)
    case occupations
    case occupationStandard(String)
    case occupationEligibility(String)
    case occupationEnterpriseStandards(String)
    case rosterImports
    case positions
    case position(UUID)
    case positionStatus(UUID)
    case programs
    case program(UUID)
    case programPartners(UUID)
    case programStatus(UUID)
    case programEnrollments(UUID)
    case enrollmentDecision(UUID)
    case enrollmentMentors(UUID)
    case enrollmentProgress(UUID)
    case agreementActions(UUID)
    case subsidyClaims
    case subsidyClaim(UUID)
    case subsidyClaimSettlement(UUID)
    case subsidyClaimResubmit(UUID)
    case subsidyClaimDecision(UUID)
    case evaluationBodies
    case evaluationBody(UUID)
    case evaluationBodySubmit(UUID)
    case evaluationBodyDecision(UUID)
    case evaluationPlans
    case evaluationPlan(UUID)
    case evaluationPlanTransitions(UUID)
    case evaluationPlanStaff(UUID)
    case evaluationPlanRegistrations(UUID)
    case evaluationPlanEligibility(UUID)
    case registrationEligibility(UUID)
    case registrationScores(UUID)
    case registrationCorrections(UUID)
    case evaluationStaff
    case evaluationStaffDeactivation(UUID)
    case evaluationStaffReactivation(UUID)
    case questionItems
    case questionItem(UUID)
    case objectionResolution(UUID)
    case notices
    case talentPoolConsent
    case positionMatches(UUID)
    case positionInvitations(UUID)
    case invitations
    case invitationAnswer(UUID)
    case placements
    case honourCampaigns
    case honourCampaignTransitions(UUID)
    case honourNominations
    case honourNominationReviews(UUID)
    case honourNominationCredential(UUID)
    case honourNotices
    case honourNominationObjections(UUID)
    case honourCampaignObjections(UUID)
    case honourObjectionResolution(UUID)
    case skillBases
    case skillBaseActivity(UUID)
    case competitions
    case competitionResults(UUID)
    case competitionResultWithdrawal(UUID, result: UUID)
    case dashboard
    case payGrids
    case payGridsVersions
    case payRecords
    case payGaps
    case certificates
    case certificateCredential(String)
    case certificateCredentialJWT(String)
    case certificateStatus(String)
    case verifyNumber(String)
    case verify
    case auditVerify

    /// The path below `/api/v1`.
    var path: String {
        switch self {
        case .openAPIDocument: "/openapi.json"
        case .certificateLogProof(let number): "/certificates/\(number)/log-proof"
        case .authToken: "/auth/token"
        case .me: "/me"
        case .organizations: "/organizations"
        case .organization(let id): "/organizations/\(id.uuidString.lowercased())"
        case .organizationArchive(let id): "/organizations/\(id.uuidString.lowercased())/archive"
        case .organizationRestore(let id): "/organizations/\(id.uuidString.lowercased())/restore"
        case .chains: "/chains"
        case .chain(let id): "/chains/\(id.uuidString.lowercased())"
        case .chainMembers(let id): "/chains/\(id.uuidString.lowercased())/members"
        case .chainMember(let id, let org): "/chains/\(id.uuidString.lowercased())/members/\(org.uuidString.lowercased())"
        case .chainChangeRequests(let id): "/chains/\(id.uuidString.lowercased())/change-requests"
        case .chainChangeRequestDecision(let id): "/chain-change-requests/\(id.uuidString.lowercased())/decision"
        case .chainSubmit(let id): "/chains/\(id.uuidString.lowercased())/submit"
        case .chainDecision(let id): "/chains/\(id.uuidString.lowercased())/decision"
        case .people: "/people"
        case .person(let id): "/people/\(id.uuidString.lowercased())"
        case .personArchive(let id): "/people/\(id.uuidString.lowercased())/archive"
        case .personRestore(let id): "/people/\(id.uuidString.lowercased())/restore"
        case .memberships: "/memberships"
        case .membershipDeactivation(let id): "/memberships/\(id.uuidString.lowercased())/deactivation"
        case .membershipReactivation(let id): "/memberships/\(id.uuidString.lowercased())/reactivation"
        case .membershipUserDeactivation(let id): "/memberships/\(id.uuidString.lowercased())/user-deactivation"
        case .membershipUserReactivation(let id): "/memberships/\(id.uuidString.lowercased())/user-reactivation"
        case .membershipPasswordReset(let id): "/memberships/\(id.uuidString.lowercased())/password-reset"
        case .mePassword: "/me/password"
        case .meData: "/me/data"
        case .meCorrections: "/me/corrections"
        case .correctionRequestDecision(let id): "/correction-requests/\(id.uuidString.lowercased())/decision"
        case .meSessions: "/me/sessions"
        case .notifications: "/notifications"
        case .notificationRead(let id): "/notifications/\(id.uuidString.lowercased())/read"
        case .meSessionEnd(let id): "/me/sessions/\(id.uuidString.lowercased())/end"
        case .occupations: "/occupations"
        case .occupationStandard(let code): "/occupations/\(code)/standard"
        case .occupationEligibility(let code): "/occupations/\(code)/eligibility"
        case .occupationEnterpriseStandards(let code): "/occupations/\(code)/enterprise-standards"
        case .rosterImports: "/roster-imports"
        case .positions: "/positions"
        case .position(let id): "/positions/\(id.uuidString.lowercased())"
        case .positionStatus(let id): "/positions/\(id.uuidString.lowercased())/status"
        case .programs: "/programs"
        case .program(let id): "/programs/\(id.uuidString.lowercased())"
        case .programPartners(let id): "/programs/\(id.uuidString.lowercased())/partners"
        case .programStatus(let id): "/programs/\(id.uuidString.lowercased())/status"
        case .programEnrollments(let id): "/programs/\(id.uuidString.lowercased())/enrollments"
        case .enrollmentDecision(let id): "/enrollments/\(id.uuidString.lowercased())/decision"
        case .enrollmentMentors(let id): "/enrollments/\(id.uuidString.lowercased())/mentors"
        case .enrollmentProgress(let id): "/enrollments/\(id.uuidString.lowercased())/progress"
        case .agreementActions(let id): "/agreements/\(id.uuidString.lowercased())/actions"
        case .subsidyClaims: "/subsidy-claims"
        case .subsidyClaim(let id): "/subsidy-claims/\(id.uuidString.lowercased())"
        case .subsidyClaimSettlement(let id): "/subsidy-claims/\(id.uuidString.lowercased())/settlement"
        case .subsidyClaimResubmit(let id): "/subsidy-claims/\(id.uuidString.lowercased())/resubmit"
        case .subsidyClaimDecision(let id): "/subsidy-claims/\(id.uuidString.lowercased())/decision"
        case .evaluationBodies: "/evaluation-bodies"
        case .evaluationBody(let id): "/evaluation-bodies/\(id.uuidString.lowercased())"
        case .evaluationBodySubmit(let id): "/evaluation-bodies/\(id.uuidString.lowercased())/submit"
        case .evaluationBodyDecision(let id): "/evaluation-bodies/\(id.uuidString.lowercased())/decision"
        case .evaluationPlans: "/evaluation-plans"
        case .evaluationPlan(let id): "/evaluation-plans/\(id.uuidString.lowercased())"
        case .evaluationPlanTransitions(let id): "/evaluation-plans/\(id.uuidString.lowercased())/transitions"
        case .evaluationPlanStaff(let id): "/evaluation-plans/\(id.uuidString.lowercased())/staff"
        case .evaluationPlanRegistrations(let id): "/evaluation-plans/\(id.uuidString.lowercased())/registrations"
        case .evaluationPlanEligibility(let id): "/evaluation-plans/\(id.uuidString.lowercased())/eligibility"
        case .registrationEligibility(let id): "/registrations/\(id.uuidString.lowercased())/eligibility"
        case .registrationScores(let id): "/registrations/\(id.uuidString.lowercased())/scores"
        case .registrationCorrections(let id): "/registrations/\(id.uuidString.lowercased())/corrections"
        case .evaluationStaff: "/evaluation-staff"
        case .evaluationStaffDeactivation(let id): "/evaluation-staff/\(id.uuidString.lowercased())/deactivation"
        case .evaluationStaffReactivation(let id): "/evaluation-staff/\(id.uuidString.lowercased())/reactivation"
        case .questionItems: "/question-items"
        case .questionItem(let id): "/question-items/\(id.uuidString.lowercased())"
        case .objectionResolution(let id): "/objections/\(id.uuidString.lowercased())/resolution"
        case .notices: "/notices"
        case .talentPoolConsent: "/talent-pool/consent"
        case .positionMatches(let id): "/positions/\(id.uuidString.lowercased())/matches"
        case .positionInvitations(let id): "/positions/\(id.uuidString.lowercased())/invitations"
        case .invitations: "/invitations"
        case .invitationAnswer(let id): "/invitations/\(id.uuidString.lowercased())/answer"
        case .placements: "/placements"
        case .honourCampaigns: "/honours/campaigns"
        case .honourCampaignTransitions(let id): "/honours/campaigns/\(id.uuidString.lowercased())/transitions"
        case .honourNominations: "/honours/nominations"
        case .honourNominationReviews(let id): "/honours/nominations/\(id.uuidString.lowercased())/reviews"
        case .honourNominationCredential(let id): "/honours/nominations/\(id.uuidString.lowercased())/credential"
        case .honourNotices: "/honours/notices"
        case .honourNominationObjections(let id): "/honours/nominations/\(id.uuidString.lowercased())/objections"
        case .honourCampaignObjections(let id): "/honours/campaigns/\(id.uuidString.lowercased())/objections"
        case .honourObjectionResolution(let id): "/honours/objections/\(id.uuidString.lowercased())/resolution"
        case .skillBases: "/skill-bases"
        case .skillBaseActivity(let id): "/skill-bases/\(id.uuidString.lowercased())/activity"
        case .competitions: "/competitions"
        case .competitionResults(let id): "/competitions/\(id.uuidString.lowercased())/results"
        case .competitionResultWithdrawal(let id, let result):
            "/competitions/\(id.uuidString.lowercased())/results/\(result.uuidString.lowercased())/withdrawal"
        case .dashboard: "/dashboard"
        case .payGrids: "/pay-grids"
        case .payGridsVersions: "/pay-grids/versions"
        case .payRecords: "/pay-records"
        case .payGaps: "/pay-gaps"
        case .certificates: "/certificates"
        case .certificateCredential(let number): "/certificates/\(number)/credential"
        case .certificateCredentialJWT(let number): "/certificates/\(number)/credential.jwt"
        case .certificateStatus(let number): "/certificates/\(number)/status"
        case .verifyNumber(let number): "/verify/\(number)"
        case .verify: "/verify"
        case .auditVerify: "/audit/verify"
        }
    }
}
