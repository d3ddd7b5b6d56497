import Foundation
import SkillChainCore

/// Every page address, built in one place (never concatenated in views or redirects).
enum SiteURL: Sendable {
    case home
    case login(next: String?)
    case logout
    case switchMembership
    case organizations
    case newOrganization
    case organization(UUID)
    case chains
    case newChain
    case chain(UUID)
    case chainMembers(UUID)
    case chainSubmit(UUID)
    case chainDecision(UUID)
    case people
    case newPerson
    case person(UUID)
    case audit
    case accounts
    case occupations
    case positions
    case newPosition
    case positionStatus(UUID)
    case positionsExport
    case programs
    case newProgram
    case program(UUID)
    case programStatus(UUID)
    case programPartners(UUID)
    case programEnrollments(UUID)
    case programRosterExport(UUID)
    case agreementActions(UUID)
    case enrollment(UUID)
    case enrollmentDecision(UUID)
    case enrollmentMentors(UUID)
    case enrollmentProgress(UUID)
    case subsidyClaims
    case subsidyClaim(UUID)
    case subsidyClaimSettlement(UUID)
    case subsidyClaimDecision(UUID)
    case subsidyClaimResubmit(UUID)
    case peopleImport
    case evaluationBodies
    case newEvaluationBody
    case evaluationBody(UUID)
    case evaluationBodySubmit(UUID)
    case evaluationBodyDecision(UUID)
    case occupation(String)
    case occupationCheck(String)
    case occupationEnterpriseStandard(String)
    case occupationEnterpriseStandards(String)
    case peopleImportReport(String)
    case batches
    case newBatch
    case batch(UUID)
    case batchStaff(UUID)
    case batchRegistrations(UUID)
    case batchReviewAll(UUID)
    case batchTransition(UUID)
    case batchReport(UUID)
    case batchRegistrationImport(UUID)
    case batchTheoryImport(UUID)
    case registration(UUID)
    case registrationReview(UUID)
    case registrationScores(UUID)
    case registrationTheory(UUID)
    case registrationCorrection(UUID)
    case objectionResolution(UUID)
    case evaluationStaff
    case questionBank
    case questionBankFor(code: String, level: String)
    case questionBankImport
    case questionBankExport(code: String, level: String)
    case exams
    case exam(UUID)
    case examAnswers(UUID)
    case examSubmit(UUID)
    case notices
    case noticesSent
    case noticeObjections(UUID)
    case calendar
    case certificates
    case talentPool, placements, pay, dashboard, honours, registry
    case honourNotices
    /// An import's template in a language.
    case importTemplate(String, AppLocale)
    case calendarDayRemoval(UUID)
    case verify
    /// The offline verifier of printed `SC1:` records, its service worker and the signed trust list it checks against.
    case verifyOffline, offlineWorker, trustList
    case ownAccount, ownNotificationSettings, ownPassword, ownSecondFactor, ownSecondFactorConfirm, ownSecondFactorDisable
    case ownSessionEnd(UUID)
    case loginCode
    case passwordReset(token: String)
    case accountDeactivation(UUID)
    case accountReactivation(UUID)
    case accountPasswordReset(UUID)
    case accountsMatching(String)
    case personEdit(UUID)
    case organizationArchive(UUID)
    case organizationRestore(UUID)
    case personArchive(UUID)
    case personRestore(UUID)
    case organizationEdit(UUID)
    case staffDeactivation(UUID)
    case staffReactivation(UUID)
    case positionEdit(UUID)
    case positionUpdate(UUID)
    case chainChangeRequests(UUID)
    case chainChangeDecision(UUID)
    case chainDeletion(UUID)
    case programEdit(UUID)
    case programUpdate(UUID)
    case questionEdit(UUID)
    case questionUpdate(UUID)
    case ownData, ownDataDownload, ownDataCorrections
    case correctionDecision(UUID)
    case chainMemberRemoval(UUID, UUID)
    /// The public verification page of a number; `key` is the printed certificate's link secret.
    case honour(UUID)
    case honourTransitions(UUID)
    case honourNominations
    case honourNominationReviews(UUID)
    case honourObjectionResolution(UUID)
    case honourNominationObjections(UUID)
    case honourNoticesSent
    case certificatesKeys, certificatesKeysRotated
    case certificatePrint(String)
    case certificateJSON(String)
    case certificateJWT(String)
    case certificateStatus(String)
    case batchCertificatesExport(UUID)
    case didDocument(UUID)
    case dashboardExport(query: String)
    case paySaved
    case positionMatches(UUID)
    case positionInvitations(UUID)
    case invitationAnswer(UUID)
    case skillBase(UUID)
    case skillBaseActivity(UUID)
    case competition(UUID)
    case competitionResults(UUID)
    case competitionResultWithdrawal(UUID, result: UUID)
    case certificatesImport, certificatesKeysRotate, competitions, payGrid, payRecords, peopleSearch, talentPoolConsent
    case healthz, readyz
    case inbox, inboxReadAll
    case mailOutbox, mailOutboxRetry
    case inboxOlder(UUID)
    case inboxRead(UUID)
    case verifyNumber(String, key: String?)
    /// The transparency log: its page, its signed checkpoint and its tiles (`path` below `/log/tile/`).
    case log, logCheckpoint
    case logTile(String)
    case metrics
    /// An import template by its file name (`importTemplate` names it by format and language).
    case importTemplateFile(String)
    case questionBankCSV, dashboardCSV
    /// A body's published status list (`<organization>-<purpose>`).
    case statusList(String)
    /// A JSON API address (below `/api/v1`).
    case api(APIURL)

    var path: String {
        switch self {
        case .home: "/"
        case .login(let next):
            if let next, Self.isSafeLocalPath(next),
                let q = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)
            {
                "/login?next=\(q)"
            } else {
                "/login"
            }
        case .logout: "/logout"
        case .switchMembership: "/switch"
        case .organizations: "/organizations"
        case .newOrganization: "/organizations/new"
        case .organization(let id): "/organizations/\(id.uuidString.lowercased())"
        case .chains: "/chains"
        case .newChain: "/chains/new"
        case .chain(let id): "/chains/\(id.uuidString.lowercased())"
        case .chainMembers(let id): "/chains/\(id.uuidString.lowercased())/members"
        case .chainSubmit(let id): "/chains/\(id.uuidString.lowercased())/submit"
        case .chainDecision(let id): "/chains/\(id.uuidString.lowercased())/decision"
        case .people: "/people"
        case .newPerson: "/people/new"
        case .person(let id): "/people/\(id.uuidString.lowercased())"
        case .audit: "/admin/audit"
        case .accounts: "/accounts"
        case .occupations: "/occupations"
        case .positions: "/positions"
        case .newPosition: "/positions/new"
        case .positionStatus(let id): "/positions/\(id.uuidString.lowercased())/status"
        case .positionsExport: "/positions/export.csv"
        case .programs: "/programs"
        case .newProgram: "/programs/new"
        case .program(let id): "/programs/\(id.uuidString.lowercased())"
        case .programStatus(let id): "/programs/\(id.uuidString.lowercased())/status"
        case .programPartners(let id): "/programs/\(id.uuidString.lowercased())/partners"
        case .programEnrollments(let id): "/programs/\(id.uuidString.lowercased())/enrollments"
        case .programRosterExport(let id): "/programs/\(id.uuidString.lowercased())/roster.csv"
        case .agreementActions(let id): "/agreements/\(id.uuidString.lowercased())/actions"
        case .enrollment(let id): "/enrollments/\(id.uuidString.lowercased())"
        case .enrollmentDecision(let id): "/enrollments/\(id.uuidString.lowercased())/decision"
        case .enrollmentMentors(let id): "/enrollments/\(id.uuidString.lowercased())/mentors"
        case .enrollmentProgress(let id): "/enrollments/\(id.uuidString.lowercased())/progress"
        case .subsidyClaims: "/subsidy-claims"
        case .subsidyClaim(let id): "/subsidy-claims/\(id.uuidString.lowercased())"
        case .subsidyClaimSettlement(let id): "/subsidy-claims/\(id.uuidString.lowercased())/settlement"
        case .subsidyClaimDecision(let id): "/subsidy-claims/\(id.uuidString.lowercased())/decision"
        case .subsidyClaimResubmit(let id): "/subsidy-claims/\(id.uuidString.lowercased())/resubmit"
        case .peopleImport: "/people/import"
        case .evaluationBodies: "/evaluation-bodies"
        case .newEvaluationBody: "/evaluation-bodies/new"
        case .evaluationBody(let id): "/evaluation-bodies/\(id.uuidString.lowercased())"
        case .evaluationBodySubmit(let id): "/evaluation-bodies/\(id.uuidString.lowercased())/submit"
        case .evaluationBodyDecision(let id): "/evaluation-bodies/\(id.uuidString.lowercased())/decision"
        case .occupation(let code): "/occupations/\(code)"
        case .occupationCheck(let code): "/occupations/\(code)#check"
        case .occupationEnterpriseStandard(let code): "/occupations/\(code)#enterprise"
        case .occupationEnterpriseStandards(let code): "/occupations/\(code)/enterprise-standards"
        case .peopleImportReport(let id): "/people/import/\(id)/errors.csv"
        case .batches: "/evaluation-plans"
        case .newBatch: "/evaluation-plans/new"
        case .batch(let id): "/evaluation-plans/\(id.uuidString.lowercased())"
        case .batchStaff(let id): "/evaluation-plans/\(id.uuidString.lowercased())/staff"
        case .batchRegistrations(let id): "/evaluation-plans/\(id.uuidString.lowercased())/registrations"
        case .batchReviewAll(let id): "/evaluation-plans/\(id.uuidString.lowercased())/eligibility"
        case .batchTransition(let id): "/evaluation-plans/\(id.uuidString.lowercased())/transitions"
        case .batchReport(let id): "/evaluation-plans/\(id.uuidString.lowercased())/report.csv"
        case .batchRegistrationImport(let id): "/evaluation-plans/\(id.uuidString.lowercased())/registrations/import"
        case .batchTheoryImport(let id): "/evaluation-plans/\(id.uuidString.lowercased())/theory-scores"
        case .registration(let id): "/registrations/\(id.uuidString.lowercased())"
        case .registrationReview(let id): "/registrations/\(id.uuidString.lowercased())/eligibility"
        case .registrationScores(let id): "/registrations/\(id.uuidString.lowercased())/scores"
        case .registrationTheory(let id): "/registrations/\(id.uuidString.lowercased())/theory"
        case .registrationCorrection(let id): "/registrations/\(id.uuidString.lowercased())/corrections"
        case .objectionResolution(let id): "/objections/\(id.uuidString.lowercased())/resolution"
        case .evaluationStaff: "/evaluation-staff"
        case .questionBank: "/question-bank"
        case .questionBankFor(let code, let level): "/question-bank?" + Self.query(["occupationCode": code, "level": level])
        case .questionBankImport: "/question-bank/import"
        case .questionBankExport(let code, let level): Self.questionBankCSV.path + "?" + Self.query(["occupationCode": code, "level": level])
        case .questionBankCSV: "/question-bank/export.csv"
        case .exams: "/exams"
        case .exam(let id): "/exams/\(id.uuidString.lowercased())"
        case .examAnswers(let id): "/exams/\(id.uuidString.lowercased())/answers"
        case .examSubmit(let id): "/exams/\(id.uuidString.lowercased())/submit"
        case .notices: "/notices"
        case .noticesSent: "/notices?sent=1"
        case .noticeObjections(let id): "/notices/\(id.uuidString.lowercased())/objections"
        case .calendar: "/admin/calendar"
        case .certificates: "/certificates"
        case .talentPool: "/talent-pool"
        case .placements: "/placements"
        case .pay: "/pay"
        case .dashboard: "/dashboard"
        case .honours: "/honours"
        case .honourNotices: "/honours/notices"
        case .importTemplate(let format, let locale): Self.importTemplateFile("\(format)-\(locale.rawValue).csv").path
        case .importTemplateFile(let file): "/import-templates/\(file)"
        case .registry: "/registry"
        case .calendarDayRemoval(let id): "/admin/calendar/\(id.uuidString.lowercased())/removal"
        case .verify: "/verify"
        case .verifyOffline: "/verify/offline"
        case .offlineWorker: "/verify/offline-worker.js"
        case .trustList: "/verify/trust-list"
        case .ownAccount: "/account"
        case .ownNotificationSettings: "/account/notifications"
        case .ownPassword: "/account/password"
        case .ownSecondFactor: "/account/second-factor"
        case .ownSecondFactorConfirm: "/account/second-factor/confirm"
        case .ownSecondFactorDisable: "/account/second-factor/removal"
        case .ownSessionEnd(let id): "/account/sessions/\(id.uuidString.lowercased())/end"
        case .loginCode: "/login/code"
        case .passwordReset(let token): "/reset/\(token)"
        case .chainMemberRemoval(let chain, let org): "/chains/\(chain.uuidString.lowercased())/members/\(org.uuidString.lowercased())/removal"
        case .ownData: "/account/data"
        case .ownDataDownload: "/account/data.json"
        case .ownDataCorrections: "/account/data/corrections"
        case .correctionDecision(let id): "/corrections/\(id.uuidString.lowercased())/decision"
        case .questionEdit(let id): "/question-bank/\(id.uuidString.lowercased())/edit"
        case .questionUpdate(let id): "/question-bank/\(id.uuidString.lowercased())"
        case .programEdit(let id): "/programs/\(id.uuidString.lowercased())/edit"
        case .programUpdate(let id): "/programs/\(id.uuidString.lowercased())"
        case .chainDeletion(let id): "/chains/\(id.uuidString.lowercased())/deletion"
        case .chainChangeRequests(let id): "/chains/\(id.uuidString.lowercased())/change-requests"
        case .chainChangeDecision(let id): "/chain-change-requests/\(id.uuidString.lowercased())/decision"
        case .positionEdit(let id): "/positions/\(id.uuidString.lowercased())/edit"
        case .positionUpdate(let id): "/positions/\(id.uuidString.lowercased())"
        case .staffDeactivation(let id): "/evaluation-staff/\(id.uuidString.lowercased())/deactivation"
        case .staffReactivation(let id): "/evaluation-staff/\(id.uuidString.lowercased())/reactivation"
        case .organizationEdit(let id): "/organizations/\(id.uuidString.lowercased())/edit"
        case .organizationArchive(let id): "/organizations/\(id.uuidString.lowercased())/archive"
        case .organizationRestore(let id): "/organizations/\(id.uuidString.lowercased())/restore"
        case .personArchive(let id): "/people/\(id.uuidString.lowercased())/archive"
        case .personRestore(let id): "/people/\(id.uuidString.lowercased())/restore"
        case .personEdit(let id): "/people/\(id.uuidString.lowercased())/edit"
        case .accountsMatching(let q): "/accounts?" + Self.query(["q": q])
        case .accountDeactivation(let id): "/accounts/\(id.uuidString.lowercased())/deactivation"
        case .accountReactivation(let id): "/accounts/\(id.uuidString.lowercased())/reactivation"
        case .accountPasswordReset(let id): "/accounts/\(id.uuidString.lowercased())/password-reset"
        case .honour(let id): "/honours/\(id.uuidString.lowercased())"
        case .honourTransitions(let id): "/honours/\(id.uuidString.lowercased())/transitions"
        case .honourNominations: "/honours/nominations"
        case .honourNominationReviews(let id): "/honours/nominations/\(id.uuidString.lowercased())/reviews"
        case .honourObjectionResolution(let id): "/honours/objections/\(id.uuidString.lowercased())/resolution"
        case .honourNominationObjections(let id): "/honours/notices/nominations/\(id.uuidString.lowercased())/objections"
        case .honourNoticesSent: "/honours/notices?sent=1"
        case .certificatesKeys: "/certificates/keys"
        case .certificatesKeysRotated: "/certificates/keys?rotated=1"
        case .certificatePrint(let number): "/certificates/\(number)/print"
        case .certificateJSON(let number): "/certificates/\(number)/credential.json"
        case .certificateJWT(let number): "/certificates/\(number)/credential.jwt"
        case .certificateStatus(let number): "/certificates/\(number)/status"
        case .batchCertificatesExport(let id): "/evaluation-plans/\(id.uuidString.lowercased())/certificates.csv"
        case .didDocument(let org): "/orgs/\(org.uuidString.lowercased())/did.json"
        case .dashboardExport(let query): Self.dashboardCSV.path + "?" + query
        case .dashboardCSV: "/dashboard.csv"
        case .paySaved: "/pay?saved=1"
        case .positionMatches(let id): "/positions/\(id.uuidString.lowercased())/matches"
        case .positionInvitations(let id): "/positions/\(id.uuidString.lowercased())/invitations"
        case .invitationAnswer(let id): "/invitations/\(id.uuidString.lowercased())/answer"
        case .skillBase(let id): "/registry/\(id.uuidString.lowercased())"
        case .skillBaseActivity(let id): "/registry/\(id.uuidString.lowercased())/activity"
        case .competition(let id): "/competitions/\(id.uuidString.lowercased())"
        case .competitionResults(let id): "/competitions/\(id.uuidString.lowercased())/results"
        case .competitionResultWithdrawal(let id, let result):
            "/competitions/\(id.uuidString.lowercased())/results/\(result.uuidString.lowercased())/withdrawal"
        case .certificatesImport: "/certificates/import"
        case .certificatesKeysRotate: "/certificates/keys/rotate"
        case .competitions: "/competitions"
        case .payGrid: "/pay/grid"
        case .payRecords: "/pay/records"
        case .peopleSearch: "/people/search"
        case .talentPoolConsent: "/talent-pool/consent"
        case .inbox: "/inbox"
        case .mailOutbox: "/admin/mail"
        case .mailOutboxRetry: "/admin/mail/retry"
        case .inboxReadAll: "/inbox/read"
        case .inboxOlder(let id): "/inbox?cursor=\(id.uuidString.lowercased())"
        case .inboxRead(let id): "/inbox/\(id.uuidString.lowercased())/read"
        case .healthz: "/healthz"
        case .readyz: "/readyz"
        case .verifyNumber(let number, let key): "/verify/\(number)" + (key.map { "?k=" + $0 } ?? "")
        case .log: "/log"
        case .logCheckpoint: "/log/checkpoint"
        case .logTile(let path): "/log/tile/\(path)"
        case .metrics: "/metrics"
        case .statusList(let name): "/status/\(name)"
        case .api(let url): "/api/v1" + url.path
        }
    }

    static func query(_ items: [String: String]) -> String {
        items.sorted { $0.key < $1.key }.map { k, v in "\(k)=\(v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(
            separator: "&")
    }

    /// Only same-site absolute paths may be used as a post-login target (no `//host`, no scheme).
    static func isSafeLocalPath(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.hasPrefix("/\\") && !path.contains("://") && path.count < 512
    }
}
