import Foundation
import SkillChainCore
import Testing

@Suite struct RecusalTests {
    let judge = UUID(), candidate = UUID(), org = UUID()
    let rules = EvaluationRules()

    @Test func nobody_judges_themself_a_mentee_or_a_declared_relative() {
        #expect(Recusal.reasons(.init(judgePersonID: judge, candidatePersonID: candidate), rules: rules).isEmpty)
        #expect(Recusal.reasons(.init(judgePersonID: candidate, candidatePersonID: candidate), rules: rules) == [.self_])
        #expect(Recusal.reasons(.init(judgePersonID: judge, candidatePersonID: candidate, mentees: [candidate]), rules: rules) == [.mentor])
        #expect(
            Recusal.reasons(.init(judgePersonID: judge, candidatePersonID: candidate, mentees: [candidate], relatives: [candidate]), rules: rules)
                == [.mentor, .relative])
    }

    @Test func colleagues_only_when_configured_and_same_department() {
        let facts = RecusalFacts(
            judgePersonID: judge, candidatePersonID: candidate, judgeOrganization: org, judgeDepartment: "焊装车间",
            candidateOrganization: org, candidateDepartment: "焊装车间")
        #expect(Recusal.reasons(facts, rules: rules).isEmpty)
        var strict = rules
        strict.recuseColleagues = true
        #expect(Recusal.reasons(facts, rules: strict) == [.colleague])
        var other = facts
        other.candidateDepartment = "总装车间"
        #expect(Recusal.reasons(other, rules: strict).isEmpty)
        var noDept = facts
        noDept.judgeDepartment = nil
        #expect(Recusal.reasons(noDept, rules: strict).isEmpty)
    }
}

@Suite struct StaffingAndScoringTests {
    let rules = EvaluationRules()

    @Test func panels_need_three_or_more_an_odd_number_and_one_per_five() {
        #expect(Staffing.assessorProblems(assessors: 3, candidates: 15, rules: rules).isEmpty)
        #expect(Staffing.assessorProblems(assessors: 2, candidates: 5, rules: rules) == ["panel.assessors.tooFew", "panel.assessors.even"])
        #expect(Staffing.assessorProblems(assessors: 3, candidates: 16, rules: rules) == ["panel.assessors.ratio"])
        #expect(Staffing.proctorProblems(proctors: 2, candidatesInRoom: 30, rules: rules).isEmpty)
        #expect(Staffing.proctorProblems(proctors: 1, candidatesInRoom: 31, rules: rules) == ["room.proctors.tooFew", "room.proctors.ratio"])
    }

    @Test func practical_score_is_the_mean_dropping_extremes_from_five_assessors() {
        #expect(PanelResult.of([70, 80, 90], rules: rules) == PanelResult(score: 80, spread: 20, needsReconciliation: true, counted: 3))
        #expect(PanelResult.of([72, 75, 78], rules: rules)?.needsReconciliation == false)
        let five = PanelResult.of([40, 75, 76, 77, 99], rules: rules)!
        #expect(five.score == 76 && five.counted == 3 && five.needsReconciliation)
        #expect(PanelResult.of([], rules: rules) == nil)
        #expect(PanelResult.of([101], rules: rules) == nil)
    }

    @Test func every_subject_must_reach_sixty_and_one_failed_subject_may_be_retaken_once() {
        let pass = PassRule.evaluate(level: .level4, scores: [.theory: 60, .practical: 88], rules: rules)
        #expect(pass.passed && pass.failed.isEmpty)
        let oneFail = PassRule.evaluate(level: .level4, scores: [.theory: 59.5, .practical: 88], rules: rules)
        #expect(!oneFail.passed && oneFail.failed == [.theory] && oneFail.mayRetake)
        #expect(!PassRule.evaluate(level: .level4, scores: [.theory: 59.5, .practical: 88], retakesUsed: [.theory], rules: rules).mayRetake)
        let twoFail = PassRule.evaluate(level: .level4, scores: [.theory: 50, .practical: 50], rules: rules)
        #expect(!twoFail.mayRetake)
        // Levels 2 and 1 add the comprehensive review; a missing score is a fail.
        let technician = PassRule.evaluate(level: .level2, scores: [.theory: 80, .practical: 80], rules: rules)
        #expect(technician.failed == [.review])
        var lenient = rules
        lenient.passMark = 50
        #expect(PassRule.evaluate(level: .level4, scores: [.theory: 55, .practical: 51], rules: lenient).passed)
        #expect(PassRule.retakeOpen(resultDay: Day("2026-06-30")!, on: Day("2027-06-30")!, rules: rules))
        #expect(!PassRule.retakeOpen(resultDay: Day("2026-06-30")!, on: Day("2027-07-01")!, rules: rules))
    }
}
