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
        }
    }

    /// Only same-site absolute paths may be used as a post-login target (no `//host`, no scheme).
    static func isSafeLocalPath(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.hasPrefix("/\\") && !path.contains("://") && path.count < 512
    }
}
