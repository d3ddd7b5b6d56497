import SkillChainCore
import Testing

@Suite struct PayGridTests {
    /// A plausible grid (yuan a month) for the eight levels, managers at 16,000 and 26,000.
    func grid(_ change: (inout [PayBand]) -> Void = { _ in }) -> PayGrid {
        var bands: [PayBand] = [
            .init(level: .apprentice, minimum: 4_000, maximum: 5_000, allowance: 0),
            .init(level: .level5, minimum: 5_000, maximum: 6_500, allowance: 200),
            .init(level: .level4, minimum: 6_000, maximum: 8_000, allowance: 500),
            .init(level: .level3, minimum: 7_500, maximum: 10_000, allowance: 800),
            .init(level: .level2, minimum: 9_000, maximum: 13_000, allowance: 1_200),
            .init(level: .level1, minimum: 11_000, maximum: 16_000, allowance: 1_800),
            .init(level: .specialTechnician, minimum: 14_000, maximum: 20_000, allowance: 2_500),
            .init(level: .chiefTechnician, minimum: 22_000, maximum: 30_000, allowance: 4_000),
        ]
        change(&bands)
        return PayGrid(bands: bands, middleManagerPay: 16_000, seniorManagerPay: 26_000)
    }

    @Test func a_sound_grid_passes() { #expect(grid().problems() == []) }

    @Test func every_problem_is_named_with_its_level() {
        let g = grid { b in
            b[3] = .init(level: .level3, minimum: 5_500, maximum: 10_000, allowance: 100)  // below level 4, allowance too
            b[5] = .init(level: .level1, minimum: 17_000, maximum: 16_000, allowance: 1_800)  // inverted
            b.removeLast()  // 首席技师 missing
            b[6] = .init(level: .specialTechnician, minimum: 14_000, maximum: 20_000, allowance: 1_000)  // below middle managers
        }
        let found = g.problems().map { "\($0.level?.rawValue ?? "-"):\($0.code)" }
        #expect(
            Set(found) == [
                "level3:payGrid.decreasing", "level3:payGrid.allowanceDecreasing", "level1:payGrid.rangeInverted",
                "chiefTechnician:payGrid.levelMissing", "specialTechnician:payGrid.belowMiddleManager",
                "specialTechnician:payGrid.allowanceDecreasing", "specialTechnician:payGrid.decreasing",
            ])
    }

    @Test func the_technician_rules_are_configurable_and_need_manager_pay() {
        let low = grid { $0[7] = .init(level: .chiefTechnician, minimum: 20_000, maximum: 30_000, allowance: 4_000) }
        #expect(low.problems().map(\.code) == ["payGrid.belowSeniorManager"])
        var rules = PayGrid.Rules()
        rules.chiefTechnicianAtLeastSeniorManager = false
        #expect(low.problems(rules) == [])
        #expect(PayGrid(bands: low.bands).problems() == [])
    }

    @Test func the_gap_report_judges_the_latest_pay_against_the_verified_level() {
        let records = [
            PayRecord(personKey: "a", level: .level4, month: "2026-09", monthlyPay: 6_000),
            PayRecord(personKey: "a", level: .level4, month: "2026-10", monthlyPay: 6_400),
            PayRecord(personKey: "b", level: .level3, month: "2026-10", monthlyPay: 7_000),
            PayRecord(personKey: "c", level: .level4, month: "2026-10", monthlyPay: 6_500),
            PayRecord(personKey: "d", level: nil, month: "2026-10", monthlyPay: 3_000),
        ]
        let below = PayGap.below(records, grid: grid())
        #expect(below.map(\.personKey) == ["b", "a"])
        #expect(below.map(\.shortfall) == [1_300, 100] && below[0].reference == 8_300)
    }

    @Test func levels_whose_pay_grew_less_than_management_are_flagged() {
        func r(_ l: SkillLevel?, _ m: String, _ p: Int, _ post: PayRecord.Post = .skill) -> PayRecord {
            .init(personKey: "\(m)-\(p)-\(post)", level: l, month: m, monthlyPay: p, post: post)
        }
        let records = [
            r(nil, "2025-06", 15_000, .management), r(nil, "2026-06", 16_500, .management),  // +10 %
            r(.level4, "2025-06", 6_000), r(.level4, "2026-06", 6_300),  // +5 %
            r(.level3, "2025-06", 8_000), r(.level3, "2026-06", 9_200),  // +15 %
        ]
        let flagged = PayGap.growthBelowManagement(records)
        #expect(flagged.map(\.level) == [.level4] && flagged[0].from == 2025 && flagged[0].to == 2026)
        #expect(abs(flagged[0].skillGrowth - 0.05) < 1e-9 && abs(flagged[0].managementGrowth - 0.10) < 1e-9)
        #expect(PayGap.growthBelowManagement(records.filter { $0.post == .skill }) == [])
    }
}
