import SkillChainCore
import Testing

@Suite struct FilingTests {
    @Test func filing_goes_through_submission_decision_suspension_and_revocation() throws {
        var s = FilingStatus.draft
        s = try s.applying(.submit)
        #expect(throws: FilingStatus.Problem.reasonRequired) { try s.applying(.sendBack) }
        s = try s.applying(.sendBack, reason: "考评员名单不全")
        #expect(s == .returned && s.isEditable)
        s = try s.applying(.submit)
        s = try s.applying(.approve)
        #expect(s == .approved && !s.isEditable)
        #expect(throws: FilingStatus.Problem.reasonRequired) { try s.applying(.suspend, reason: " ") }
        s = try s.applying(.suspend, reason: "督导发现考务违规")
        #expect(throws: FilingStatus.Problem.notAllowedInState) { try s.applying(.submit) }
        s = try s.applying(.reinstate)
        #expect(s == .approved)
        s = try s.applying(.revoke, reason: "连续两年未开展评价")
        #expect(s.possibleEvents.isEmpty)
        #expect(FilingStatus.submitted.possibleEvents == [.approve, .sendBack])
        #expect(FilingStatus.approved.possibleEvents == [.suspend, .revoke])
    }

    @Test func institution_types_match_organization_kinds() {
        #expect(InstitutionType.Y.allowed(for: .enterprise))
        #expect(!InstitutionType.Y.allowed(for: .technicalCollege))
        #expect(InstitutionType.S.allowed(for: .socialEvaluationOrganization))
        #expect(InstitutionType.S.allowed(for: .technicalCollege))
        #expect(!InstitutionType.S.allowed(for: .enterprise))
        #expect(!InstitutionType.S.allowed(for: .governmentDepartment))
    }

    @Test func codes_follow_the_numbering_rule() {
        #expect(FilingIdentity.problems(institutionCode: "0000", siteSerial: "000123").isEmpty)
        #expect(FilingIdentity.problems(institutionCode: "12a4", siteSerial: "12345").map(\.field) == ["institutionCode", "siteSerial"])
        #expect(FilingIdentity.problems(institutionCode: "0001", siteSerial: "000000").map(\.code) == ["filing.siteSerial.format"])
        #expect(FilingIdentity(type: .Y, institutionCode: "0001", provinceCode: "44", siteSerial: "190001").certificatePrefix == "Y00014419000" + "1")
    }

    @Test func only_an_approved_filing_inside_its_validity_opens_batches() {
        let from = Day("2026-01-01")!
        let until = Day("2028-12-31")!
        #expect(FilingRules.canOpenBatches(status: .approved, validFrom: from, validUntil: until, on: Day("2026-11-27")!))
        #expect(!FilingRules.canOpenBatches(status: .suspended, validFrom: from, validUntil: until, on: Day("2026-11-27")!))
        #expect(!FilingRules.canOpenBatches(status: .approved, validFrom: from, validUntil: until, on: Day("2029-01-01")!))
        #expect(FilingRules.validityProblems(from: from, until: Day("2031-01-02")!).map(\.code) == ["filing.validity.tooLong"])
        #expect(FilingRules.validityProblems(from: from, until: from).map(\.code) == ["program.dates.order"])
    }
}
