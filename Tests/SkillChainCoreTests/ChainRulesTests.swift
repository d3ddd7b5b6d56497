import SkillChainCore
import Testing

@Suite struct ChainRulesTests {
    @Test func status_follows_draft_submitted_approved_or_returned() throws {
        #expect(try ChainStatus.draft.applying(.submit) == .submitted)
        #expect(try ChainStatus.submitted.applying(.approve) == .approved)
        #expect(try ChainStatus.submitted.applying(.sendBack) == .returned)
        #expect(try ChainStatus.returned.applying(.submit) == .submitted)
        #expect(throws: ChainStatus.Problem.notAllowedInState) { try ChainStatus.draft.applying(.approve) }
        #expect(throws: ChainStatus.Problem.notAllowedInState) { try ChainStatus.approved.applying(.submit) }
        #expect(throws: ChainStatus.Problem.notAllowedInState) { try ChainStatus.approved.applying(.edit) }
        #expect(throws: ChainStatus.Problem.notAllowedInState) { try ChainStatus.submitted.applying(.edit) }
    }

    @Test func default_thresholds_are_five_enterprises_and_300_posts() {
        let t = ChainThresholds()
        #expect(t.minimumMemberEnterprises == 5)
        #expect(t.minimumPosts == 300)
    }

    @Test func checks_report_actual_against_required() {
        let facts = ChainFacts(
            memberKinds: [.enterprise, .enterprise, .enterprise, .technicalCollege, .governmentDepartment],
            postsOffered: 320, leadIsQualified: true)
        let checks = ChainRules.checks(facts, thresholds: ChainThresholds())
        let byKey = Dictionary(uniqueKeysWithValues: checks.map { ($0.key, $0) })
        #expect(byKey["chain.check.memberEnterprises"] == ChainCheck(key: "chain.check.memberEnterprises", required: 5, actual: 3, passed: false))
        #expect(byKey["chain.check.posts"]?.passed == true)
        #expect(byKey["chain.check.educationPartner"]?.actual == 1)
        #expect(byKey["chain.check.leadQualified"]?.passed == true)
    }

    @Test func thresholds_are_configuration() {
        let facts = ChainFacts(memberKinds: [.enterprise, .enterprise], postsOffered: 100, leadIsQualified: false)
        let local = ChainThresholds(minimumMemberEnterprises: 2, minimumPosts: 100, requireEducationPartner: false)
        let checks = ChainRules.checks(facts, thresholds: local)
        #expect(checks.count == 3)
        #expect(checks.filter(\.passed).count == 2)  // only the lead's qualification fails
    }

    @Test func lead_qualifies_with_any_listed_qualification() {
        #expect(!ChainRules.leadQualifies([]))
        #expect(ChainRules.leadQualifies(.specialisedSME))
        #expect(ChainRules.leadQualifies([.stateOwned, .chainLeader]))
        #expect(EnterpriseFlags(names: ["chainLeader", "bogus"]) == .chainLeader)
        #expect(EnterpriseFlags([.chainLeader, .stateOwned]).names == ["chainLeader", "stateOwned"])
    }
}

@Suite struct ValidatorTests {
    @Test func collects_every_field_error_with_arguments() {
        var v = Validator()
        #expect(v.required("name", "  ") == "")
        #expect(v.required("title", String(repeating: "字", count: 101), max: 100).count == 101)
        #expect(v.regionCode("region", "441999") == "441999")
        #expect(v.regionCode("home", " 441900 ") == "441900")
        #expect(v.count("posts", -1, in: 0...10) == -1)
        #expect(v.count("staff", nil, in: 0...10) == 0)
        #expect(v.oneOf("kind", "bank", OrganizationKind.self) == nil)
        #expect(
            v.errors == [
                FieldError("name", "field.required"), FieldError("title", "field.tooLong", ["100"]),
                FieldError("region", "region.unknown"), FieldError("posts", "field.outOfRange", ["0", "10"]),
                FieldError("kind", "field.invalidChoice"),
            ])
        #expect(throws: ValidationFailure.self) { try v.check() }
        #expect(throws: Never.self) { try Validator().check() }
    }
}
