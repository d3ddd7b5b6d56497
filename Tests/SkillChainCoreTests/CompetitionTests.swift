import Foundation
import SkillChainCore
import Testing

@Suite struct CompetitionTests {
    let rule = ContestPromotion.default

    func placing(_ tier: ContestTier, rank: Int, of entrants: Int = 40, year: Int = 2026, student: Bool = false) -> ContestPlacing {
        ContestPlacing(contest: "赛", tier: tier, year: year, occupationCode: "6-18-02-04", rank: rank, entrants: entrants, isStudent: student)
    }

    @Test func a_city_top_ten_recognises_a_worker_as_technician_or_one_level_up() {
        #expect(rule.level(for: placing(.city, rank: 3), held: nil) == .level2)
        #expect(rule.level(for: placing(.city, rank: 10), held: .level3) == .level2)
        #expect(rule.level(for: placing(.national, rank: 1), held: .level2) == .level1)
        // Holding the top certificated level, no contest lifts further.
        #expect(rule.level(for: placing(.provincial, rank: 1), held: .level1) == nil)
        // Students are capped at 高级工.
        #expect(rule.level(for: placing(.city, rank: 1, student: true), held: nil) == .level3)
    }

    @Test func lower_tiers_need_a_higher_placing_and_give_less() {
        #expect(rule.level(for: placing(.chain, rank: 6), held: nil) == .level3)
        #expect(rule.level(for: placing(.chain, rank: 6), held: .level3) == .level2)
        // Seventh in a chain contest of 40 is still in the top 30 % (12): 中级工.
        #expect(rule.level(for: placing(.chain, rank: 7), held: nil) == .level4)
        #expect(rule.level(for: placing(.enterprise, rank: 12, of: 40), held: nil) == .level4)
        #expect(rule.level(for: placing(.enterprise, rank: 13, of: 40), held: nil) == nil)
        #expect(rule.level(for: placing(.enterprise, rank: 1, of: 40), held: .level4) == .level3)
        // A rank outside the entrants is not a placing.
        #expect(rule.level(for: placing(.city, rank: 5, of: 3), held: nil) == nil)
    }

    @Test func old_placings_lapse_and_the_best_grant_comes_first() {
        let grants = rule.grants(
            [placing(.enterprise, rank: 1, year: 2026), placing(.city, rank: 2, year: 2025), placing(.national, rank: 1, year: 2023)],
            held: nil, year: 2026)
        #expect(grants.map(\.level) == [.level2, .level4])
        #expect(grants.map(\.year) == [2025, 2026])
        #expect(rule.grants([placing(.city, rank: 1, year: 2027)], held: nil, year: 2026).isEmpty)
    }

    @Test func the_contest_route_is_a_clause_of_every_certificated_level_explained_like_the_others() throws {
        let template = EligibilityTemplate.versionA
        #expect(template.clauses(for: .level3).map(\.id) == ["A-3-1", "A-3-2", "C-3"])
        #expect(template.clauses(for: .specialTechnician).isEmpty)
        let clause = try #require(template.clauses(for: .level2).first { $0.isContestRoute })
        let codes: Set<String> = ["6-18-02-04"]
        let none = EligibilityEngine.check(clause, CandidateFacts(yearsInOccupation: 1), occupationCodes: codes)
        #expect(none.shortfalls == [.contest(.level2)])
        #expect(none.shortfalls.map(\.key) == ["eligibility.short.contest"] && none.shortfalls[0].args == ["@level.level2"])
        let grants = rule.grants([placing(.city, rank: 4)], held: nil, year: 2026)
        #expect(EligibilityEngine.check(clause, CandidateFacts(yearsInOccupation: 1, contestGrants: grants), occupationCodes: codes).satisfied)
        // A grant for 技师 also opens 高级工, not 高级技师.
        let level3 = try #require(template.clauses(for: .level3).first { $0.isContestRoute })
        #expect(EligibilityEngine.check(level3, CandidateFacts(contestGrants: grants), occupationCodes: codes).satisfied)
        let level1 = try #require(template.clauses(for: .level1).first { $0.isContestRoute })
        #expect(!EligibilityEngine.check(level1, CandidateFacts(contestGrants: grants), occupationCodes: codes).satisfied)
        // At most one level a year through contests.
        let used = EligibilityEngine.check(clause, CandidateFacts(contestGrants: grants, contestLimitReached: true), occupationCodes: codes)
        #expect(used.shortfalls == [.contestYearLimit])
        #expect(rule.limitReached(promotionsThisYear: 1) && !rule.limitReached(promotionsThisYear: 0))
        // The engine's per-level answer names the route that satisfies.
        let levels = EligibilityEngine.evaluate(template, levels: [.level2], facts: CandidateFacts(contestGrants: grants), occupationCodes: codes)
        #expect(levels[0].satisfiedBy?.id == "C-2")
    }

    @Test func the_registry_refuses_spending_above_the_grant_and_flags_grants_outside_the_reference() {
        let studio = SkillBaseFacts(kind: .masterStudio, tier: .national, approvalYear: 2024, fundingGranted: 600_000, fundingSpent: 700_000)
        #expect(SkillBaseRules.problems(studio, thisYear: 2026).map(\.code) == ["registry.spentOverGranted"])
        #expect(SkillBaseRules.notices(studio) == ["registry.outsideReference"])
        let base = SkillBaseFacts(kind: .highSkillBase, tier: .national, approvalYear: 2027, fundingGranted: 5_000_000, fundingSpent: 1_000_000)
        #expect(SkillBaseRules.problems(base, thisYear: 2026).map(\.code) == ["registry.yearInFuture"])
        #expect(SkillBaseRules.notices(base).isEmpty && SkillBaseRules.spentShare(base) == 0.2)
        #expect(
            SkillBaseRules.notices(.init(kind: .trainingBase, tier: .city, approvalYear: 2020, fundingGranted: 9_000_000, fundingSpent: 0)).isEmpty)
        #expect(SkillBaseKind.industrialCollege.allowsHost(.vocationalCollege) && !SkillBaseKind.industrialCollege.allowsHost(.enterprise))
        #expect(SkillBaseKind.masterStudio.allowsHost(.enterprise) && !SkillBaseKind.masterStudio.allowsHost(.governmentDepartment))
    }

    @Test func a_result_stands_until_withdrawn_once_and_then_counts_for_nothing() throws {
        let published = CompetitionResultStanding(withdrawnAt: nil)
        #expect(published == .standing && published.counts)
        let withdrawn = try published.withdrawing()
        #expect(withdrawn == .withdrawn && !withdrawn.counts)
        #expect(CompetitionResultStanding(withdrawnAt: Date(timeIntervalSince1970: 0)) == .withdrawn)
        #expect(throws: CompetitionResultStanding.Refusal.alreadyWithdrawn) { try withdrawn.withdrawing() }
    }
}
