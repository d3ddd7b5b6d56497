import SkillChainCore
import Testing

@Suite struct TrainingRulesTests {
    let rules = TrainingRules()
    func day(_ s: String) -> Day { Day(s)! }

    @Test func days_parse_strictly_and_count_months() {
        #expect(Day("2026-02-29") == nil)
        #expect(Day("2028-02-29") != nil)
        #expect(Day("2026-2-1") == nil)
        #expect(Day("2026-13-01") == nil)
        #expect(day("2026-01-31").addingMonths(1) == day("2026-02-28"))
        #expect(day("2026-03-01").months(to: day("2027-03-01")) == 12)
        #expect(day("2026-03-15").months(to: day("2027-03-14")) == 11)
        #expect(day("2026-12-31").next == day("2027-01-01"))
    }

    @Test func hours_plan_shares_are_checked() {
        #expect(HoursPlan(generalQualities: 60, professionalBasics: 120, operationalSkills: 420).problems(rules).isEmpty)
        let tooMuchTheory = HoursPlan(generalQualities: 150, professionalBasics: 150, operationalSkills: 300).problems(rules)
        #expect(tooMuchTheory.map(\.field) == ["generalQualities", "operationalSkills"])
        #expect(tooMuchTheory.first?.args == ["25.0", "10", "20"])
        #expect(
            HoursPlan(generalQualities: 0, professionalBasics: 0, operationalSkills: 0).problems(rules) == [
                FieldError("operationalSkills", "program.hours.required")
            ])
    }

    func plan(_ kind: ProgramKind, _ start: String, _ end: String, capacity: Int = 30, level: SkillLevel = .level4) -> ProgramRules.Plan {
        .init(
            kind: kind, start: day(start), end: day(end), capacity: capacity,
            hours: .init(generalQualities: 60, professionalBasics: 120, operationalSkills: 420), targetLevel: level)
    }

    @Test func apprenticeships_last_one_to_three_years() {
        #expect(ProgramRules.problems(plan(.newApprenticeship, "2026-03-01", "2027-02-28"), rules: rules).isEmpty)
        #expect(
            ProgramRules.problems(plan(.newApprenticeship, "2026-03-01", "2027-02-27"), rules: rules).map(\.code) == [
                "program.duration.apprenticeship"
            ])
        #expect(
            ProgramRules.problems(plan(.newApprenticeship, "2026-03-01", "2026-12-31"), rules: rules).map(\.code) == [
                "program.duration.apprenticeship"
            ])
        #expect(
            ProgramRules.problems(plan(.newApprenticeship, "2026-03-01", "2029-04-01"), rules: rules).map(\.code) == [
                "program.duration.apprenticeship"
            ])
        #expect(ProgramRules.problems(plan(.postTraining, "2026-03-01", "2026-06-30"), rules: rules).isEmpty)
        #expect(ProgramRules.problems(plan(.postTraining, "2026-03-01", "2026-03-01"), rules: rules).map(\.code) == ["program.dates.order"])
    }

    @Test func class_size_and_target_level() {
        #expect(ProgramRules.problems(plan(.orderClass, "2026-03-01", "2026-09-01", capacity: 41), rules: rules).map(\.field) == ["capacity"])
        var bigger = rules
        bigger.maxClassSize = 60
        #expect(ProgramRules.problems(plan(.orderClass, "2026-03-01", "2026-09-01", capacity: 41), rules: bigger).isEmpty)
        // Apprenticeships target 中级工 … 高级技师.
        #expect(
            ProgramRules.problems(plan(.newApprenticeship, "2026-03-01", "2027-03-01", level: .level5), rules: rules).map(\.code) == [
                "program.apprenticeship.targetLevel"
            ])
        #expect(ProgramRules.problems(plan(.projectTraining, "2026-03-01", "2026-09-01", level: .level5), rules: rules).isEmpty)
        #expect(
            ProgramRules.problems(plan(.projectTraining, "2026-03-01", "2026-09-01", level: .chiefTechnician), rules: rules).map(\.code) == [
                "program.targetLevel.certificated"
            ])
    }

    @Test func labour_contract_of_at_least_a_year() {
        #expect(ProgramRules.contractProblems(start: day("2026-03-01"), end: day("2027-02-28"), rules: rules).isEmpty)
        #expect(
            ProgramRules.contractProblems(start: day("2026-03-01"), end: day("2027-02-27"), rules: rules).map(\.code) == [
                "enrollment.contract.tooShort"
            ])
        #expect(ProgramRules.contractProblems(start: nil, end: nil, rules: rules).map(\.field) == ["contractStart"])
        #expect(ProgramRules.contractProblems(start: day("2026-03-01"), end: nil, rules: rules).map(\.field) == ["contractEnd"])
    }

    @Test func agreements_pass_the_pen() throws {
        var s = AgreementStatus.draft
        #expect(s.penHolder == .drafter)
        #expect(throws: AgreementStatus.Problem.notYourTurn) { try s.applying(.approve, by: .counterparty) }
        s = try s.applying(.send, by: .drafter)
        #expect(s == .awaitingCounterparty && s.penHolder == .counterparty)
        #expect(throws: AgreementStatus.Problem.notYourTurn) { try s.applying(.approve, by: .drafter) }
        #expect(throws: AgreementStatus.Problem.reasonRequired) { try s.applying(.sendBack, by: .counterparty, reason: "  ") }
        s = try s.applying(.sendBack, by: .counterparty, reason: "学时安排需调整")
        #expect(s == .returned && s.penHolder == .drafter)
        s = try s.applying(.send, by: .drafter)
        s = try s.applying(.approve, by: .counterparty)
        #expect(s == .approved && s.penHolder == nil)
        #expect(throws: AgreementStatus.Problem.notAllowedInState) { try s.applying(.send, by: .drafter) }
    }

    @Test func enrollment_transitions() {
        #expect(EnrollmentStatus.applied.applying(.enroll) == .enrolled)
        #expect(EnrollmentStatus.enrolled.applying(.complete) == .completed)
        #expect(EnrollmentStatus.enrolled.applying(.terminate) == .terminated)
        #expect(EnrollmentStatus.completed.applying(.terminate) == nil)
        #expect(EnrollmentStatus.applied.applying(.complete) == nil)
        #expect(EnrollmentStatus.allCases.filter(\.isActive) == [.applied, .enrolled])
    }

    @Test func subsidy_tiers_advance_and_clawback() {
        let s = SubsidyRules()
        #expect(s.amount(for: .intermediateCertificate) == 5_000)
        #expect(s.amount(for: .advancedCertificate) == 6_000)
        #expect(s.amount(for: .completedWithoutCertificate) == 4_000)
        #expect(s.maxAdvance(for: .level4) == 2_500)
        #expect(s.maxAdvance(for: .level3) == 3_000)
        #expect(s.advanceProblems(requested: 2_501, targetLevel: .level4).map(\.code) == ["subsidy.advance.tooHigh"])
        #expect(s.advanceProblems(requested: 2_500, targetLevel: .level4).isEmpty)
        #expect(s.settle(outcome: .advancedCertificate, advancePaid: 3_000) == .init(total: 6_000, payable: 3_000, clawback: 0))
        #expect(s.settle(outcome: .notCompleted, advancePaid: 2_500) == .init(total: 0, payable: 0, clawback: 2_500))
    }

    @Test func subsidy_claim_flow() throws {
        let rules = SubsidyRules()
        var s = SubsidyClaimStatus.advanceRequested
        #expect(throws: SubsidyClaimStatus.Problem.reasonRequired) { try s.applying(.reject) }
        #expect(try s.applying(.reject, reason: "花名册与参保记录不符") == .rejected)
        #expect(try SubsidyClaimStatus.rejected.applying(.resubmit) == .advanceRequested)
        s = try s.applying(.approve)
        #expect(s == .advanceApproved)
        #expect(throws: SubsidyClaimStatus.Problem.notAllowedInState) { try s.applying(.approve) }
        s = try s.applying(.requestSettlement)
        #expect(try s.applying(.reject, reason: "缺少考勤") == .advanceApproved)
        #expect(try s.applying(.approve, settlement: rules.settle(outcome: .intermediateCertificate, advancePaid: 2_500)) == .settled)
        #expect(try s.applying(.approve, settlement: rules.settle(outcome: .notCompleted, advancePaid: 2_500)) == .clawedBack)
        #expect(throws: SubsidyClaimStatus.Problem.notAllowedInState) { try SubsidyClaimStatus.settled.applying(.requestSettlement) }
    }
}

@Suite struct ProgramYearsTests {
    @Test func a_part_year_counts_as_a_claimable_year() {
        #expect(ProgramRules.years(start: Day("2026-03-01")!, end: Day("2027-02-28")!) == [1])
        #expect(ProgramRules.years(start: Day("2026-03-01")!, end: Day("2027-03-31")!) == [1, 2])
        #expect(ProgramRules.years(start: Day("2026-03-01")!, end: Day("2026-08-31")!) == [1])
    }
}

@Suite struct ProgramEditRulesTests {
    @Test func planning_changes_anything_started_only_dates_capacity_and_hours_with_a_reason_closed_nothing() {
        #expect(
            ProgramEdit.problems(status: .planning, changing: ["name", "startDate"], reasonGiven: false, capacity: nil, activeEnrollments: 0).isEmpty)
        let started = ProgramEdit.problems(
            status: .inTraining, changing: ["name", "endDate"], reasonGiven: false, capacity: nil, activeEnrollments: 0)
        #expect(started.map(\.field) == ["name", "reason"])
        #expect(
            ProgramEdit.problems(status: .inTraining, changing: ["endDate", "capacity"], reasonGiven: true, capacity: 20, activeEnrollments: 12)
                .isEmpty)
        #expect(
            ProgramEdit.problems(status: .inTraining, changing: ["capacity"], reasonGiven: true, capacity: 10, activeEnrollments: 12)
                == [FieldError("capacity", "program.capacity.belowEnrolled", ["12"])])
        #expect(
            ProgramEdit.problems(status: .completed, changing: ["endDate"], reasonGiven: true, capacity: nil, activeEnrollments: 0).map(\.code)
                == ["program.edit.closed"])
    }

    @Test func positions_change_fully_while_open_and_only_their_headcount_after_but_never_below_placements() {
        #expect(PositionEdit.problems(status: .open, changing: ["title", "headcount"], headcount: 3, placements: 2).isEmpty)
        #expect(PositionEdit.problems(status: .filled, changing: ["title", "headcount"], headcount: 3, placements: 2).map(\.field) == ["title"])
        #expect(
            PositionEdit.problems(status: .open, changing: ["headcount"], headcount: 1, placements: 2).map(\.code) == [
                "position.headcount.belowPlacements"
            ])
    }
}
