import Foundation

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

    var path: String {
        switch self {
        case .home: "/"
        case .login(let next):
            if let next, Self.isSafeLocalPath(next),
               let q = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { "/login?next=\(q)" } else { "/login" }
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
        }
    }

    /// Only same-site absolute paths may be used as a post-login target (no `//host`, no scheme).
    static func isSafeLocalPath(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.hasPrefix("/\\") && !path.contains("://") && path.count < 512
    }
}
