import Foundation
import SkillChainCore
import Testing

@Suite struct DashboardTests {
    @Test func a_body_whose_pass_rate_jumps_is_flagged_and_small_ones_are_not() {
        let rows = [
            PassRate(key: "steady", total: 100, passed: 70), PassRate(key: "jumps", total: 20, passed: 20),
            PassRate(key: "tiny", total: 2, passed: 2), PassRate(key: "low", total: 30, passed: 10),
        ]
        // Pooled: 102 / 152 = 67.1 %. jumps 100 % (+32.9), low 33.3 % (−33.8), steady 70 % (+2.9), tiny below the minimum.
        #expect(PassRates.outliers(rows) == ["jumps", "low"])
        #expect(PassRates.outliers(rows, points: 40) == [])
        #expect(PassRates.outliers([]) == [])
    }

    @Test func supply_counts_holders_at_the_required_level_or_higher_and_the_largest_shortage_comes_first() {
        let table = SupplyDemand.table(
            demand: ["6-21-04-01": [.level4: 40, .level2: 3], "6-31-07-01": [.level3: 20]],
            certified: ["6-21-04-01": [.level5: 50, .level4: 10, .level3: 4, .level2: 1], "6-31-07-01": [.level3: 30]],
            available: ["6-21-04-01": [.level4: 6, .level3: 2], "6-31-07-01": [.level3: 25]])
        #expect(table.map { "\($0.occupationCode) \($0.level.rawValue)" } == ["6-21-04-01 level4", "6-21-04-01 level2", "6-31-07-01 level3"])
        #expect(table.map(\.certified) == [15, 1, 30] && table.map(\.available) == [8, 0, 25] && table.map(\.gap) == [32, 3, -5])
    }

    @Test func cells_under_five_people_are_not_shown() {
        #expect(!SmallCells.show(4) && SmallCells.show(5))
    }

    @Test func a_conversion_is_shared_out_of_those_trained() {
        let c = Conversion(trained: 40, completed: 30, certified: 24, placed: 10, placedInChain: 8)
        #expect(c.share(c.placed) == 0.25 && c.share(c.certified) == 0.6)
        #expect(c.stages.map(\.key) == ["trained", "completed", "certified", "placed", "placedInChain"])
        #expect(Conversion(trained: 0, completed: 0, certified: 0, placed: 0, placedInChain: 0).share(0) == nil)
    }

    @Test func small_regions_are_counted_live_and_large_ones_are_kept_until_they_are_old() {
        let f = DashboardFreshness(liveBudgetMilliseconds: 500, maxAgeSeconds: 600)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(f.decide(now: now, snapshotCountedAt: nil, snapshotMilliseconds: nil) == .count)
        #expect(f.decide(now: now, snapshotCountedAt: now - 60, snapshotMilliseconds: 8_000) == .serve)
        #expect(f.decide(now: now, snapshotCountedAt: now - 600, snapshotMilliseconds: 8_000) == .serve)
        #expect(f.decide(now: now, snapshotCountedAt: now - 601, snapshotMilliseconds: 8_000) == .serveAndRecount)
        // A kept count that now falls within the budget (the budget was raised) is counted live again.
        #expect(f.decide(now: now, snapshotCountedAt: now - 60, snapshotMilliseconds: 400) == .count)
        #expect(f.keeps(milliseconds: 501) && !f.keeps(milliseconds: 500))
    }
}
