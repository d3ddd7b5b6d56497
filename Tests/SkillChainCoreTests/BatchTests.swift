import Foundation
import SkillChainCore
import Testing

@Suite struct BatchWorkflowTests {
    @Test func the_happy_path_walks_every_state_in_order() throws {
        var facts = BatchStatus.Facts()
        facts.hasSupervisor = true
        facts.registrations = 3
        facts.eligible = 2
        facts.noticeEnded = true
        var s = BatchStatus.planned
        for e: BatchStatus.Event in [
            .submitPlan, .approvePlan, .openRegistration, .closeRegistration, .holdExams, .signOff, .publishNotice, .finalize, .archive,
        ] {
            s = try s.applying(e, facts: facts)
        }
        #expect(s == .archived)
    }

    @Test func a_state_cannot_be_skipped_and_a_returned_plan_needs_a_reason() {
        #expect(throws: BatchStatus.Refusal(codes: ["batch.transition.notAllowed"])) {
            try BatchStatus.planned.applying(.openRegistration, facts: .init())
        }
        #expect(throws: BatchStatus.Refusal(codes: ["batch.reason.required"])) {
            try BatchStatus.planSubmitted.applying(.returnPlan, facts: .init(), reason: "  ")
        }
        #expect((try? BatchStatus.planSubmitted.applying(.returnPlan, facts: .init(), reason: "考评员不足")) == .planned)
        #expect(BatchStatus.actor(for: .approvePlan) == .government)
        #expect(BatchStatus.actor(for: .signOff) == .supervisor)
        #expect(BatchStatus.actor(for: .finalize) == .body)
    }

    @Test func guards_explain_every_reason_at_once() {
        var f = BatchStatus.Facts()
        f.staffingProblems = ["panel.assessors.tooFew"]
        #expect(throws: BatchStatus.Refusal(codes: ["panel.assessors.tooFew", "batch.supervisor.missing"])) {
            try BatchStatus.planned.applying(.submitPlan, facts: f)
        }
        f = .init()
        f.registrations = 4
        f.pendingEligibility = 1
        #expect(throws: BatchStatus.Refusal(codes: ["batch.eligibility.pending"])) {
            try BatchStatus.registrationOpen.applying(.closeRegistration, facts: f)
        }
        f = .init()
        f.unscored = 2
        f.awaitingReconciliation = 1
        #expect(throws: BatchStatus.Refusal(codes: ["batch.scores.incomplete", "batch.scores.reconcile"])) {
            try BatchStatus.examsHeld.applying(.signOff, facts: f)
        }
        f = .init()
        f.noticeEnded = false
        f.openObjections = 1
        #expect(throws: BatchStatus.Refusal(codes: ["batch.notice.running", "batch.objections.open"])) {
            try BatchStatus.inNotice.applying(.finalize, facts: f)
        }
        f.noticeEnded = true
        f.openObjections = 0
        #expect((try? BatchStatus.inNotice.applying(.finalize, facts: f)) == .final)
    }

    @Test func scores_are_open_only_while_exams_are_held() {
        #expect(BatchStatus.examsHeld.acceptsScores)
        #expect(!BatchStatus.scored.acceptsScores && BatchStatus.scored.isSignedOff)
        #expect(!BatchStatus.registrationOpen.examOpen && BatchStatus.eligibilityReviewed.examOpen)
    }

    @Test func assessors_hold_at_least_the_level_they_assess() {
        #expect(AssessorRules.mayAssess(heldLevel: .level2, assessed: .level3))
        #expect(AssessorRules.mayAssess(heldLevel: .level3, assessed: .level3))
        #expect(!AssessorRules.mayAssess(heldLevel: .level3, assessed: .level3, levelsAbove: 1))
        #expect(!AssessorRules.mayAssess(heldLevel: .level4, assessed: .level3))
    }
}

@Suite struct WorkingCalendarTests {
    @Test func weekdays_are_known() {
        #expect(WorkingCalendar.weekday(Day("2026-11-27")!) == 5)  // Friday
        #expect(WorkingCalendar.weekday(Day("2026-11-29")!) == 7)
        #expect(WorkingCalendar.weekday(Day("2024-02-29")!) == 4)
        #expect(WorkingCalendar.weekday(Day("2000-01-01")!) == 6)
    }

    @Test func five_working_days_skip_weekends_and_holidays_and_count_makeup_days() {
        let plain = WorkingCalendar()
        // Published Friday 27 Nov: Fri, Mon, Tue, Wed, Thu → ends Thursday 3 Dec.
        #expect(plain.lastDay(ofWorkingDays: 5, from: Day("2026-11-27")!) == Day("2026-12-03"))
        // Published on a Saturday: the period starts Monday.
        #expect(plain.lastDay(ofWorkingDays: 5, from: Day("2026-11-28")!) == Day("2026-12-04"))
        // National Day 2026: 1–7 Oct off, Sunday 27 Sep and Saturday 10 Oct worked (国办发明电 schedule shape).
        let holidays = Set((1...7).map { Day(year: 2026, month: 10, day: $0) })
        let cal = WorkingCalendar(holidays: holidays, extraWorkdays: [Day("2026-10-10")!])
        // From Tue 29 Sep: 29, 30 Sep, then Thu 8, Fri 9, Sat 10 Oct (makeup day).
        #expect(cal.lastDay(ofWorkingDays: 5, from: Day("2026-09-29")!) == Day("2026-10-10"))
        #expect(!cal.isWorkingDay(Day("2026-10-05")!))
        #expect(cal.isWorkingDay(Day("2026-10-10")!))
    }

    @Test func days_move_both_ways_across_months_and_years() {
        #expect(Day("2026-01-02")!.plusDays(-3) == Day("2025-12-30"))
        #expect(Day("2024-02-28")!.plusDays(2) == Day("2024-03-01"))
        #expect(Day("2026-03-01")!.plusDays(-1) == Day("2026-02-28"))
    }

    @Test func the_notice_ends_after_its_last_day() {
        let p = NoticePeriod(publishedOn: Day("2026-11-27")!, workingDays: 5, calendar: WorkingCalendar())
        #expect(p.isOpen(on: Day("2026-12-03")!) && !p.hasEnded(on: Day("2026-12-03")!))
        #expect(p.hasEnded(on: Day("2026-12-04")!))
    }
}

@Suite struct ExamTests {
    func bank(_ area: String, _ n: Int, kind: QuestionKind = .single) -> [QuestionItem] {
        (0..<n).map { i in
            QuestionItem(
                id: "\(area)-\(String(format: "%03d", i))", kind: kind, area: area, stem: "题目 \(i)",
                options: kind == .trueFalse ? [] : ["甲", "乙", "丙", "丁"], answer: kind == .trueFalse ? "T" : kind == .single ? "B" : "AC")
        }
    }

    @Test func allocation_follows_the_weight_table_with_largest_remainder() {
        let a = PaperAssembly.allocation(count: 10, weights: [("basicRequirements", 25), ("relatedKnowledge", 75)])
        #expect(a.map(\.items) == [3, 7])  // 2.5 → 3 (tie to the earlier area), 7.5 → 7
        #expect(PaperAssembly.allocation(count: 7, weights: [("a", 33), ("b", 33), ("c", 34)]).map(\.items).reduce(0, +) == 7)
    }

    @Test func the_same_seed_rebuilds_the_same_paper_and_another_seed_does_not() throws {
        let items = bank("basicRequirements", 20) + bank("relatedKnowledge", 60)
        let weights = [("basicRequirements", 20), ("relatedKnowledge", 80)].map { (area: $0.0, percent: $0.1) }
        let p1 = try PaperAssembly.assemble(bank: items, count: 40, weights: weights, seed: 42)
        let p2 = try PaperAssembly.assemble(bank: items.reversed(), count: 40, weights: weights, seed: 42)
        let p3 = try PaperAssembly.assemble(bank: items, count: 40, weights: weights, seed: 43)
        #expect(p1 == p2)
        #expect(p1 != p3)
        #expect(p1.count == 40 && Set(p1).count == 40)
        #expect(p1.filter { $0.hasPrefix("basic") }.count == 8)
        // A known answer: the generator and shuffle are ours, so this stays the same on every toolchain.
        var g = SeededGenerator(seed: 42)
        #expect(g.next() == 0xBDD7_3226_2FEB_6E95)
    }

    @Test func a_bank_too_small_for_an_area_is_explained() {
        let items = bank("basicRequirements", 2) + bank("relatedKnowledge", 60)
        let weights = [(area: "basicRequirements", percent: 20), (area: "relatedKnowledge", percent: 80)]
        #expect(throws: PaperAssembly.Problem.bankTooSmall(area: "basicRequirements", needed: 8, available: 2)) {
            try PaperAssembly.assemble(bank: items, count: 40, weights: weights, seed: 1)
        }
    }

    @Test func answers_are_scored_all_or_nothing_out_of_100() {
        let items = bank("a", 2) + bank("b", 1, kind: .multiple) + bank("c", 1, kind: .trueFalse)
        let answers = ["a-000": "B", "a-001": "C", "b-000": "ca", "c-000": "T"]
        let r = PaperScoring.score(items: items, answers: answers)
        #expect(r.correct == 3 && r.score == 75)
        #expect(PaperScoring.score(items: items, answers: ["b-000": "A"]).score == 0)
        #expect(PaperScoring.score(items: Array(items.prefix(3)), answers: answers).score == 66.7)
    }

    @Test func items_are_checked() {
        let ok = QuestionItem(id: "1", kind: .multiple, area: "a", stem: "?", options: ["x", "y", "z"], answer: "AC")
        #expect(ok.problems(areas: ["a"]).isEmpty)
        var bad = ok
        bad.answer = "AD"
        #expect(bad.problems(areas: ["a"]).map(\.code) == ["question.answer.letters"])
        bad = ok
        bad.answer = "A"
        #expect(bad.problems(areas: ["a"]).map(\.code) == ["question.answer.multiple"])
        bad = ok
        bad.kind = .single
        #expect(bad.problems(areas: ["a"]).map(\.code) == ["question.answer.single"])
        bad = ok
        bad.area = "zz"
        #expect(bad.problems(areas: ["a"]).map(\.code) == ["question.area.unknown"])
        let tf = QuestionItem(id: "2", kind: .trueFalse, area: "a", stem: "?", options: [], answer: "X")
        #expect(tf.problems(areas: []).map(\.code) == ["question.answer.trueFalse"])
    }

    @Test func csv_round_trips_an_item() {
        let item = QuestionItem(
            id: "x", kind: .multiple, area: "relatedKnowledge", tags: ["安全", "焊接"], stem: "下列哪些是防护用品？",
            options: ["面罩", "手套", "拖鞋"], answer: "AB")
        let back = QuestionCSV.item(QuestionCSV.record(item), id: "x")
        #expect(back == item)
        #expect(QuestionCSV.item(["trueFalse", "a", "", "对吗", "t"], id: "y")?.answer == "T")
        #expect(QuestionCSV.item(["essay", "a", "", "?", "x"], id: "z") == nil)
    }

    @Test func the_clock_holds_the_minimum_and_closes_at_the_deadline() {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let clock = ExamClock(startedAt: start, minimumMinutes: 30, durationMinutes: 90)
        #expect(!clock.maySubmit(at: start.addingTimeInterval(29 * 60)))
        #expect(clock.maySubmit(at: start.addingTimeInterval(30 * 60)))
        #expect(clock.acceptsAnswers(at: start.addingTimeInterval(90 * 60 + 10)))
        #expect(clock.isOver(at: start.addingTimeInterval(90 * 60 + 31)))
        #expect(ExamClock.problems(minimum: 100, duration: 90, standardMinimum: 90).map(\.field) == ["theoryMinimumMinutes"])
        #expect(ExamClock.problems(minimum: 10, duration: 60, standardMinimum: 90).map(\.field) == ["theoryMinutes"])
    }
}

@Suite struct ScoreSheetAndRetakeTests {
    @Test func a_sheet_totals_by_the_weight_table_and_names_every_bad_criterion() throws {
        let weights = [(area: "operation", percent: 70), (area: "safety", percent: 30)]
        #expect(try ScoreSheet.total(["operation": 80, "safety": 50], weights: weights) == 71)
        #expect(throws: ValidationFailure([FieldError("criteria.safety", "field.required")])) {
            try ScoreSheet.total(["operation": 80], weights: weights)
        }
        #expect(
            throws: ValidationFailure([
                FieldError("criteria.operation", "field.outOfRange", ["0", "100"]),
                FieldError("criteria.speed", "scoreSheet.unknownCriterion", ["speed"]),
            ])
        ) {
            try ScoreSheet.total(["operation": 120, "safety": 50, "speed": 10], weights: weights)
        }
    }

    @Test func one_failed_subject_may_be_retaken_once_within_the_window() {
        let rules = EvaluationRules()
        let day = Day("2026-06-01")!
        let failedTheory = RetakeRule.Previous(level: .level4, scores: [.theory: 55, .practical: 80], wasRetake: false, resultDay: day)
        #expect(RetakeRule.subject(after: failedTheory, on: day.plusDays(30), rules: rules) == .theory)
        #expect(RetakeRule.subject(after: failedTheory, on: day.plusDays(400), rules: rules) == nil)
        var used = failedTheory
        used.wasRetake = true
        #expect(RetakeRule.subject(after: used, on: day.plusDays(30), rules: rules) == nil)
        let failedBoth = RetakeRule.Previous(level: .level4, scores: [.theory: 55, .practical: 50], wasRetake: false, resultDay: day)
        #expect(RetakeRule.subject(after: failedBoth, on: day.plusDays(30), rules: rules) == nil)
        let passed = RetakeRule.Previous(level: .level4, scores: [.theory: 65, .practical: 70], wasRetake: false, resultDay: day)
        #expect(RetakeRule.subject(after: passed, on: day.plusDays(30), rules: rules) == nil)
        let review = RetakeRule.Previous(level: .level2, scores: [.theory: 65, .practical: 70, .review: 40], wasRetake: false, resultDay: day)
        #expect(RetakeRule.subject(after: review, on: day.plusDays(30), rules: rules) == .review)
    }
}

@Suite struct BatchPanelStateTests {
    @Test func panels_change_before_exams_but_not_while_the_plan_is_with_the_bureau() {
        #expect(BatchStatus.allCases.filter(\.examsAhead) == [.planned, .planSubmitted, .approved, .registrationOpen, .eligibilityReviewed])
        #expect(BatchStatus.allCases.filter(\.panelOpen) == [.planned, .approved, .registrationOpen, .eligibilityReviewed])
    }
}
