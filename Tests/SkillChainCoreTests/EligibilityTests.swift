import SkillChainCore
import Testing

@Suite struct SkillLadderTests {
    @Test func eight_levels_in_order_with_certificate_codes_five_to_one() {
        #expect(SkillLevel.allCases.count == 8)
        #expect(SkillLevel.allCases.map(\.certificateCode) == [nil, 5, 4, 3, 2, 1, nil, nil])
        #expect(SkillLevel.level5 < .level4 && SkillLevel.level1 < .specialTechnician && SkillLevel.specialTechnician < .chiefTechnician)
        #expect(SkillLevel(certificateCode: 3) == .level3)
        #expect(SkillLevel(certificateCode: 6) == nil)
        #expect(SkillLevel.apprentice.route == .enterpriseCriteria)
        #expect(SkillLevel.chiefTechnician.route == .appointment)
        #expect(SkillLevel.allCases.filter(\.needsComprehensiveReview) == [.level2, .level1])
        #expect(SkillLevel.level1.next == .specialTechnician)
        #expect(SkillLevel.chiefTechnician.next == nil)
    }
}

@Suite struct EligibilityTests {
    static let welder = "6-18-02-04"
    let codes: Set<String> = [welder]

    func check(_ id: String, _ facts: CandidateFacts, template: EligibilityTemplate = .versionA) -> ClauseResult {
        let clause = template.clauses.first { $0.id == id }!
        return EligibilityEngine.check(clause, facts, occupationCodes: codes)
    }

    func cert(_ level: SkillLevel, _ years: Double, code: String = welder) -> HeldCertificate {
        HeldCertificate(occupationCode: code, level: level, yearsWorkedSince: years)
    }

    @Test func level5_by_one_year_in_the_occupation() {
        #expect(check("A-5-1", .init(yearsInOccupation: 1)).satisfied)
        #expect(check("A-5-1", .init(yearsInOccupation: 0.5)).shortfalls == [.years(required: 1, actual: 0.5)])
    }

    @Test func level5_by_completed_apprenticeship() {
        #expect(check("A-5-2", .init(completedApprenticeship: true)).satisfied)
        #expect(check("A-5-2", .init(yearsInOccupation: 10)).shortfalls == [.apprenticeship])
    }

    @Test func level4_by_level5_certificate_and_two_years_since() {
        #expect(check("A-4-1", .init(certificates: [cert(.level5, 2)], yearsInOccupation: 3)).satisfied)
        // Years before the certificate do not count.
        #expect(check("A-4-1", .init(certificates: [cert(.level5, 1)], yearsInOccupation: 6)).shortfalls == [.years(required: 2, actual: 1)])
        #expect(check("A-4-1", .init(yearsInOccupation: 6)).shortfalls == [.certificate(.level5)])
        // A certificate in an unrelated occupation does not count.
        #expect(check("A-4-1", .init(certificates: [cert(.level5, 5, code: "6-31-01-03")])).shortfalls == [.certificate(.level5)])
    }

    @Test func level4_by_technical_school_including_final_year() {
        #expect(check("A-4-2", .init(education: .technicalSchool)).satisfied)
        #expect(check("A-4-2", .init(education: .technicianCollege, isFinalYearStudent: true)).satisfied)
        #expect(check("A-4-2", .init(education: .seniorSecondary)).shortfalls == [.education(.technicalSchool)])
        #expect(check("A-4-2", .init()).shortfalls == [.education(.technicalSchool)])
    }

    @Test func level3_by_level4_and_four_years_or_college_and_two() {
        #expect(check("A-3-1", .init(certificates: [cert(.level4, 4)])).satisfied)
        #expect(check("A-3-1", .init(certificates: [cert(.level4, 3.5)])).shortfalls == [.years(required: 4, actual: 3.5)])
        #expect(check("A-3-2", .init(certificates: [cert(.level4, 2)], education: .associate)).satisfied)
        #expect(check("A-3-2", .init(certificates: [cert(.level4, 2)], education: .seniorSecondary)).shortfalls == [.education(.college)])
        #expect(check("A-3-2", .init(education: .bachelor)).shortfalls == [.certificate(.level4)])
    }

    @Test func level2_three_routes() {
        #expect(check("A-2-1", .init(certificates: [cert(.level3, 4)])).satisfied)
        #expect(check("A-2-1", .init(certificates: [cert(.level4, 9)])).shortfalls == [.certificate(.level3)])
        #expect(check("A-2-2", .init(certificates: [cert(.level3, 3)], education: .technicianCollege)).satisfied)
        #expect(
            check("A-2-2", .init(certificates: [cert(.level3, 3)], education: .technicalSchool)).shortfalls == [.education(.seniorTechnicalSchool)])
        // Final-year students are not graduates for this clause.
        #expect(
            check("A-2-2", .init(certificates: [cert(.level3, 3)], education: .technicianCollege, isFinalYearStudent: true)).shortfalls == [
                .education(.seniorTechnicalSchool)
            ])
        #expect(check("A-2-3", .init(hasPreTechnicianCertificate: true, yearsSincePreTechnician: 2)).satisfied)
        #expect(check("A-2-3", .init(hasPreTechnicianCertificate: true, yearsSincePreTechnician: 1)).shortfalls == [.years(required: 2, actual: 1)])
        #expect(check("A-2-3", .init(yearsInOccupation: 20)).shortfalls == [.preTechnicianCertificate])
    }

    @Test func level1_by_level2_and_four_years() {
        #expect(check("A-1-1", .init(certificates: [cert(.level2, 4)])).satisfied)
        // A higher certificate satisfies a lower requirement.
        #expect(check("A-1-1", .init(certificates: [cert(.level1, 4)])).satisfied)
        #expect(check("A-1-1", .init(certificates: [cert(.level2, 1), cert(.level3, 12)])).shortfalls == [.years(required: 4, actual: 1)])
    }

    @Test func version_b_is_stricter_for_level4_and_allows_six_years_without_certificate() {
        let facts = CandidateFacts(certificates: [cert(.level5, 2)], yearsInOccupation: 5)
        #expect(check("A-4-1", facts).satisfied)
        #expect(!check("B-4-1", facts, template: .versionB).satisfied)
        #expect(!check("B-4-2", facts, template: .versionB).satisfied)
        #expect(check("B-4-2", .init(yearsInOccupation: 6), template: .versionB).satisfied)
        #expect(check("B-3-1", .init(certificates: [cert(.level4, 5)]), template: .versionB).satisfied)
        #expect(!check("B-3-1", .init(certificates: [cert(.level4, 4)]), template: .versionB).satisfied)
    }

    @Test func every_template_clause_is_exercised_by_these_tests() {
        // Guard: a clause added to a built-in template must get a test above.
        let tested: Set<String> = [
            "A-5-1", "A-5-2", "A-4-1", "A-4-2", "A-3-1", "A-3-2", "A-2-1", "A-2-2", "A-2-3", "A-1-1", "B-4-1", "B-4-2", "B-3-1",
        ]
        let untestedA = EligibilityTemplate.versionA.clauses.map(\.id).filter { !tested.contains($0) }
        #expect(untestedA.isEmpty)
    }

    @Test func standard_lists_each_level_with_the_clause_met_or_every_reason() {
        let std = OccupationalStandard.defaultTemplate(occupationCode: Self.welder, edition: "2022")
        let result = std.eligibility(for: .init(certificates: [cert(.level4, 2.5)], yearsInOccupation: 7, education: .associate))
        #expect(result.map(\.level) == SkillLevel.certificated)
        let byLevel = Dictionary(uniqueKeysWithValues: result.map { ($0.level, $0) })
        #expect(byLevel[.level5]?.satisfiedBy?.id == "A-5-1")
        #expect(byLevel[.level4]?.alreadyHeld == true)
        #expect(byLevel[.level3]?.alreadyHeld == false)
        #expect(byLevel[.level3]?.satisfiedBy?.id == "A-3-2")
        #expect(byLevel[.level2]?.eligible == false)
        // Every route is explained, the contest route last.
        #expect(
            byLevel[.level2]?.clauses.map(\.shortfalls) == [
                [.certificate(.level3)], [.certificate(.level3), .education(.seniorTechnicalSchool)], [.preTechnicianCertificate],
                [.contest(.level2)],
            ])
        #expect(byLevel[.level1]?.eligible == false)
    }

    @Test func related_occupations_count() {
        var std = OccupationalStandard.defaultTemplate(occupationCode: Self.welder, edition: "2022")
        let facts = CandidateFacts(certificates: [cert(.level5, 3, code: "6-18-02-05")])
        #expect(std.eligibility(for: facts).first { $0.level == .level4 }?.eligible == false)
        std.relatedOccupations = ["6-18-02-05"]
        #expect(std.eligibility(for: facts).first { $0.level == .level4 }?.satisfiedBy?.id == "A-4-1")
    }

    @Test func shortfall_messages_carry_arguments() {
        #expect(Shortfall.years(required: 4, actual: 2.5).args == ["4", "2.5"])
        #expect(Shortfall.certificate(.level3).args == ["@level.level3"])
        #expect(Shortfall.education(.college).key == "eligibility.short.education")
    }
}

@Suite struct StandardTests {
    @Test func default_template_is_valid() {
        let std = OccupationalStandard.defaultTemplate(occupationCode: "6-31-01-03", edition: "2022")
        #expect(std.problems().isEmpty)
        #expect(std.durations[.level2]?.review == 30)
        #expect(std.durations[.level5]?.review == 0)
        #expect(std.reviewLevels == [.level2, .level1])
    }

    @Test func bad_weights_durations_and_review_levels_are_reported() {
        var std = OccupationalStandard.defaultTemplate(occupationCode: "6-31-01-03", edition: "2022")
        std.theoryWeights[0].percent[.level3] = 25
        std.durations[.level4] = .init(theory: 0, practical: 90, review: 0)
        std.reviewLevels = [.level3]
        #expect(Set(std.problems()) == ["standard.theoryWeights.sum", "standard.durations.invalid", "standard.review.onlyTopLevels"])
        var other = OccupationalStandard.defaultTemplate(occupationCode: "6-31-01-03", edition: "2022")
        other.levels.append(.apprentice)
        #expect(other.problems().contains("standard.levels.invalid"))
    }

    @Test func a_level_without_clauses_is_reported() {
        var std = OccupationalStandard.defaultTemplate(occupationCode: "6-31-01-03", edition: "2022")
        std.eligibility = EligibilityTemplate(id: "X", clauses: EligibilityTemplate.versionA.clauses.filter { $0.level != .level1 })
        #expect(std.problems() == ["standard.eligibility.missingLevel"])
    }
}
