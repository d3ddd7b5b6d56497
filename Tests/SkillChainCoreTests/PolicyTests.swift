import SkillChainCore
import Testing

@Suite struct PolicyTests {
    @Test func platform_admin_may_do_everything_everywhere_but_sign_for_a_party() {
        for action in Action.allCases where !Policy.partiesOnly.contains(action) {
            #expect(Policy.allows(.platformAdmin, action, .other))
        }
        #expect(!Policy.allows(.platformAdmin, .actOnAgreement, .own))
        #expect(Policy.allows(.schoolAdmin, .actOnAgreement, .own) && Policy.allows(.learner, .actOnAgreement, .own))
        #expect(!Policy.allows(.schoolAdmin, .actOnAgreement, .other))
    }

    @Test func own_grant_never_reaches_another_organization() {
        for role in Role.allCases where role != .platformAdmin {
            for action in Action.allCases where Policy.grant(role, action) == .own {
                #expect(Policy.allows(role, action, .own))
                #expect(!Policy.allows(role, action, .other), "\(role) \(action)")
                #expect(!Policy.allows(role, action, .inRegion), "\(role) \(action)")
            }
        }
    }

    @Test func only_government_decides_chains_and_only_in_its_region() {
        #expect(Policy.allows(.governmentOfficer, .decideChain, .inRegion))
        #expect(!Policy.allows(.governmentOfficer, .decideChain, .other))
        for role in Role.allCases where role != .governmentOfficer && role != .platformAdmin {
            #expect(!Policy.allows(role, .decideChain, .own))
        }
    }

    @Test func people_are_not_visible_to_government_assessors_or_learners() {
        for role in [Role.governmentOfficer, .assessor, .supervisor, .learner] {
            #expect(Policy.grant(role, .listPeople) == .none)
            #expect(Policy.grant(role, .viewPerson) == .none)
            #expect(Policy.grant(role, .revealCitizenID) == .none)
        }
        #expect(Policy.allows(.teacher, .viewPerson, .own))
        #expect(!Policy.allows(.teacher, .revealCitizenID, .own))
    }

    @Test func only_the_platform_admin_hands_out_admin_and_government_roles() {
        #expect(Role.platformAdmin.assignable(by: .platformAdmin))
        #expect(Role.governmentOfficer.assignable(by: .platformAdmin))
        for granter in Role.allCases where granter != .platformAdmin {
            #expect(!Role.platformAdmin.assignable(by: granter))
            #expect(!Role.governmentOfficer.assignable(by: granter))
            #expect(Role.master.assignable(by: granter))
        }
    }

    @Test func only_enterprises_lead_chains() {
        #expect(Policy.grant(.enterpriseAdmin, .createChain) == .own)
        #expect(Policy.grant(.schoolAdmin, .createChain) == .none)
        #expect(Role.enterpriseAdmin.allowed(in: .enterprise))
        #expect(!Role.enterpriseAdmin.allowed(in: .technicalCollege))
        #expect(!Role.governmentOfficer.allowed(in: .enterprise))
        #expect(Role.teacher.allowed(in: .trainingInstitution))
    }
}
