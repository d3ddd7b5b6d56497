import LeafKit
import SkillChainCore

extension SiteURL {
    /// The addresses a template names with `#url("…")`: every one without a parameter (those with one are built in Swift
    /// and passed in the page's context).
    static let named: [String: SiteURL] = [
        "home": .home, "login": .login(next: nil), "logout": .logout, "switchMembership": .switchMembership,
        "ownAccount": .ownAccount, "organizations": .organizations, "people": .people, "peopleSearch": .peopleSearch,
        "certificates": .certificates, "certificatesImport": .certificatesImport, "certificatesKeys": .certificatesKeys,
        "certificatesKeysRotate": .certificatesKeysRotate, "competitions": .competitions, "dashboard": .dashboard,
        "honours": .honours, "honourNotices": .honourNotices, "registry": .registry, "pay": .pay, "payGrid": .payGrid,
        "payRecords": .payRecords, "talentPool": .talentPool, "talentPoolConsent": .talentPoolConsent, "verifyOffline": .verifyOffline,
    ]
}

/// `#url("certificates")`: a page address from `SiteURL`, so that templates never spell a path.
struct SiteURLTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let name = ctx.parameters.first?.string, let url = SiteURL.named[name] else {
            throw LeafError(.unknownError("#url() needs one of: " + SiteURL.named.keys.sorted().joined(separator: ", ")))
        }
        return .string(url.path)
    }
}
