import Foundation
import Testing

@testable import SkillChainCore

@Suite struct AccountRulesTests {
    let orgA = UUID(), orgB = UUID(), me = UUID()

    @Test func an_admin_manages_their_own_organizations_memberships_but_not_their_own_or_an_officers() {
        let master = AccountRules.MembershipFact(id: UUID(), organization: orgA, role: .master)
        #expect(AccountRules.mayManageMembership(actorRole: .enterpriseAdmin, actorOrganization: orgA, actorMembership: me, master))
        #expect(!AccountRules.mayManageMembership(actorRole: .enterpriseAdmin, actorOrganization: orgB, actorMembership: me, master))
        #expect(!AccountRules.mayManageMembership(actorRole: .master, actorOrganization: orgA, actorMembership: me, master))
        let mine = AccountRules.MembershipFact(id: me, organization: orgA, role: .enterpriseAdmin)
        #expect(!AccountRules.mayManageMembership(actorRole: .enterpriseAdmin, actorOrganization: orgA, actorMembership: me, mine))
        #expect(!AccountRules.mayManageMembership(actorRole: .platformAdmin, actorOrganization: orgA, actorMembership: me, mine))
        let officer = AccountRules.MembershipFact(id: UUID(), organization: orgA, role: .governmentOfficer)
        #expect(!AccountRules.mayManageMembership(actorRole: .schoolAdmin, actorOrganization: orgA, actorMembership: me, officer))
        #expect(AccountRules.mayManageMembership(actorRole: .platformAdmin, actorOrganization: orgB, actorMembership: me, officer))
    }

    @Test func a_whole_user_is_an_admins_only_when_all_their_memberships_are_in_that_organization() {
        let here = AccountRules.MembershipFact(id: UUID(), organization: orgA, role: .master)
        let there = AccountRules.MembershipFact(id: UUID(), organization: orgB, role: .assessor)
        #expect(AccountRules.mayManageUser(actorRole: .enterpriseAdmin, actorOrganization: orgA, actorMembership: me, memberships: [here]))
        #expect(!AccountRules.mayManageUser(actorRole: .enterpriseAdmin, actorOrganization: orgA, actorMembership: me, memberships: [here, there]))
        #expect(AccountRules.mayManageUser(actorRole: .platformAdmin, actorOrganization: orgA, actorMembership: me, memberships: [here, there]))
        #expect(!AccountRules.mayManageUser(actorRole: .platformAdmin, actorOrganization: orgA, actorMembership: me, memberships: []))
    }

    @Test func a_required_second_factor_waits_for_the_grace_period_and_cannot_be_switched_off() {
        let rule = AccountRules.SecondFactorRule(roles: [.governmentOfficer, .platformAdmin], graceDays: 14)
        let created = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(!rule.mustEnrol(role: .governmentOfficer, enrolled: false, accountCreated: created, now: created.addingTimeInterval(13 * 86_400)))
        #expect(rule.mustEnrol(role: .governmentOfficer, enrolled: false, accountCreated: created, now: created.addingTimeInterval(14 * 86_400)))
        #expect(!rule.mustEnrol(role: .governmentOfficer, enrolled: true, accountCreated: created, now: created.addingTimeInterval(99 * 86_400)))
        #expect(!rule.mustEnrol(role: .master, enrolled: false, accountCreated: created, now: created.addingTimeInterval(99 * 86_400)))
        #expect(!rule.mayDisable(roles: [.master, .governmentOfficer]) && rule.mayDisable(roles: [.master]))
    }

    @Test func totp_matches_the_rfc_6238_sha1_vectors() {
        // RFC 6238 Appendix B, SHA-1 seed "12345678901234567890"; the six-digit codes are the last six of the eight.
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let vectors: [(Double, String)] = [
            (59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"),
            (1_234_567_890, "005924"), (2_000_000_000, "279037"), (20_000_000_000, "353130"),
        ]
        for (t, code) in vectors { #expect(totp.code(at: Date(timeIntervalSince1970: t)) == code, "T=\(t)") }
    }

    @Test func a_code_is_accepted_one_step_either_side_and_only_once() throws {
        let totp = TOTP.generate(using: SystemRandomSource())
        let now = Date(timeIntervalSince1970: 1_900_000_015)
        let step = totp.step(at: now)
        #expect(totp.match(totp.code(counter: step - 1), at: now) == step - 1)
        #expect(totp.match(totp.code(counter: step + 1), at: now) == step + 1)
        #expect(totp.match(totp.code(counter: step - 2), at: now) == nil)
        #expect(totp.match(totp.code(counter: step), at: now, after: step) == nil, "a used code is not good again")
        #expect(totp.match("12345", at: now) == nil && totp.match("abcdef", at: now) == nil)
        let parsed = try #require(TOTP(base32: totp.base32.lowercased()))
        #expect(parsed.secret == totp.secret)
        #expect(totp.uri(issuer: "技能生态链", account: "gov").hasPrefix("otpauth://totp/"))
    }

    @Test func base32_follows_rfc_4648() {
        for (plain, encoded) in [
            ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI"),
        ] {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
        }
        #expect(Base32.decode("MZXW6YTBOI======") == Array("foobar".utf8))
        #expect(Base32.decode("MZ1") == nil)
    }

    @Test func recovery_codes_are_single_use_and_typed_loosely() throws {
        let codes = RecoveryCodes.generate(using: SystemRandomSource())
        #expect(codes.count == 10 && Set(codes).count == 10 && codes.allSatisfy { $0.count == 9 })
        let digests = codes.map(RecoveryCodes.digest)
        let rest = try #require(RecoveryCodes.use(codes[3].uppercased().replacingOccurrences(of: "-", with: " "), from: digests))
        #expect(rest.count == 9)
        #expect(RecoveryCodes.use(codes[3], from: rest) == nil)
        #expect(RecoveryCodes.use("zzzz-zzzz", from: digests) == nil)
    }
}

@Suite struct RetentionTests {
    let today = Day("2027-06-01")!

    @Test func a_person_is_due_only_past_the_period_with_nothing_open_and_no_certificate() {
        let idle = RetentionFacts(lastActivity: Day("2026-01-01")!, hasCertificate: false, hasOpenRecord: false)
        #expect(Retention.isDue(idle, retentionDays: 365, today: today))
        #expect(!Retention.isDue(idle, retentionDays: nil, today: today), "off unless the organization sets a period")
        #expect(!Retention.isDue(idle, retentionDays: 600, today: today))
        #expect(
            !Retention.isDue(.init(lastActivity: Day("2026-01-01")!, hasCertificate: true, hasOpenRecord: false), retentionDays: 365, today: today))
        #expect(
            !Retention.isDue(.init(lastActivity: Day("2026-01-01")!, hasCertificate: false, hasOpenRecord: true), retentionDays: 365, today: today))
        #expect(
            !Retention.isDue(.init(lastActivity: Day("2026-06-01")!, hasCertificate: false, hasOpenRecord: false), retentionDays: 365, today: today),
            "exactly the period is not past it")
    }
}
