import SkillChainCore
import Testing

@Suite struct HonoursTests {
    let criteria = HonourCriteria(minimumLevel: .level3, frontLineRequired: true, minimumYearsOfService: 5, frontLineTilt: 0.2)

    @Test func eligibility_comes_from_verified_records_and_names_every_shortfall() {
        #expect(Honours.shortfalls(.init(verifiedLevel: .level2, frontLine: true, yearsOfService: 8), criteria) == [])
        #expect(
            Honours.shortfalls(.init(verifiedLevel: .level4, frontLine: false, yearsOfService: 3), criteria)
                == ["honour.shortfall.level", "honour.shortfall.frontLine", "honour.shortfall.service"])
        #expect(Honours.shortfalls(.init(verifiedLevel: nil, frontLine: true, yearsOfService: 9), criteria) == ["honour.shortfall.noCertificate"])
    }

    @Test func front_line_workers_get_the_tilt_on_top_of_level_service_and_contests() {
        let frontLine = Honours.score(.init(verifiedLevel: .level2, frontLine: true, yearsOfService: 12.5, bestPlacing: 2), criteria)
        #expect(frontLine.map(\.factor) == [.level, .service, .competition, .frontLineTilt])
        #expect(frontLine.map(\.points) == [40, 12, 10, 12.4])
        let office = Honours.score(.init(verifiedLevel: .level2, frontLine: false, yearsOfService: 12.5, bestPlacing: 2), criteria)
        #expect(Honours.total(office) == 62 && Honours.total(frontLine) == 74.4)
        #expect(
            Honours.score(
                .init(verifiedLevel: .level1, frontLine: true, yearsOfService: 40),
                .init(
                    minimumLevel: .level3, frontLineRequired: false,
                    minimumYearsOfService: 0, frontLineTilt: 0)
            ).map(\.points) == [50, 20])
    }

    @Test func the_panel_blends_with_the_rule_score_and_the_quota_takes_the_best_eligible() {
        #expect(Honours.final(rule: 80, panel: []) == 80)
        #expect(Honours.final(rule: 80, panel: [90, 70, 86]) == 81)
        let winners = Honours.awarded([("a", 70, true), ("b", 95, false), ("c", 88, true), ("d", 88, true), ("e", 60, true)], quota: 3)
        #expect(winners == ["c", "d", "a"])
        #expect(Honours.awarded([("a", 70, true)], quota: 0) == [])
    }

    @Test func panel_members_stand_aside_for_themselves_their_employer_and_relatives() {
        #expect(Honours.recusal(reviewerIndex: "x", reviewerOrganization: "gov", nomineeIndex: "x", nomineeOrganization: "lead") == [.self_])
        #expect(Honours.recusal(reviewerIndex: nil, reviewerOrganization: "lead", nomineeIndex: "x", nomineeOrganization: "lead") == [.colleague])
        #expect(
            Honours.recusal(reviewerIndex: "y", reviewerOrganization: "gov", nomineeIndex: "x", nomineeOrganization: "lead", declaredRelatives: ["x"])
                == [.relative])
        #expect(Honours.recusal(reviewerIndex: "y", reviewerOrganization: "gov", nomineeIndex: "x", nomineeOrganization: "lead").isEmpty)
    }
}
