import SkillChainCore
import Testing

@Suite struct MatchingTests {
    let position = MatchRequirement(occupationCode: "6-25-04-07", requiredLevel: .level4, regionCode: "441900")

    func factors(_ m: Match?) -> [MatchFactor] { m?.contributions.map(\.factor) ?? [] }

    @Test func occupations_match_exactly_then_by_minor_and_medium_group() {
        #expect(Matching.occupationFactor("6-25-04-07", "6-25-04-07") == .occupationExact)
        #expect(Matching.occupationFactor("6-25-04-09", "6-25-04-07") == .occupationMinorGroup)
        #expect(Matching.occupationFactor("6-25-01-02", "6-25-04-07") == .occupationMediumGroup)
        #expect(Matching.occupationFactor("6-18-02-04", "6-25-04-07") == nil)
        #expect(Matching.occupationFactor("4-04-05-05", "6-25-04-07") == nil)
    }

    @Test func each_candidate_is_explained_by_named_factors_that_add_up() throws {
        let c = MatchCandidate(id: "a", regionCode: "441900", certificates: [.init(occupationCode: "6-25-04-07", level: .level3, status: .valid)],
                               trainedForPosition: true, mentorAssessment: 90)
        let m = try #require(Matching.score(c, for: position))
        #expect(factors(m) == [.occupationExact, .levelMeets, .levelAbove, .regionSame, .trainedForPosition, .mentorAssessment])
        #expect(m.contributions.map(\.points) == [40, 25, 3, 10, 10, 9])
        #expect(m.score == 97 && m.verified)
    }

    @Test func a_level_below_the_requirement_costs_points_per_level() throws {
        let c = MatchCandidate(id: "b", regionCode: "440300", certificates: [.init(occupationCode: "6-25-04-07", level: .level5, status: .valid)])
        let m = try #require(Matching.score(c, for: position))
        #expect(factors(m) == [.occupationExact, .levelBelow, .regionProvince])
        #expect(m.score == 40 - 12 + 3)
    }

    @Test func revoked_suspended_and_expired_certificates_count_for_nothing() {
        for status in [CertificateFact.Status.revoked, .suspended, .expired] {
            let c = MatchCandidate(id: "c", regionCode: "441900", certificates: [.init(occupationCode: "6-25-04-07", level: .level2, status: status)])
            #expect(Matching.score(c, for: position) == nil, "\(status)")
        }
        // The best valid certificate is the one counted.
        let c = MatchCandidate(id: "d", regionCode: "441900", certificates: [
            .init(occupationCode: "6-25-04-07", level: .level1, status: .revoked), .init(occupationCode: "6-25-04-09", level: .level4, status: .valid),
        ])
        #expect(factors(Matching.score(c, for: position)).prefix(2) == [.occupationMinorGroup, .levelMeets])
    }

    @Test func self_declared_skills_never_outrank_verified_ones() {
        let declared = MatchCandidate(id: "a-declared", regionCode: "441900", certificates: [], declared: [("6-25-04-07", .level1)],
                                      trainedForPosition: true, mentorAssessment: 100)
        let weak = MatchCandidate(id: "z-weak", regionCode: "110101", certificates: [.init(occupationCode: "6-25-01-02", level: .level5, status: .valid)])
        let ranked = Matching.rank([declared, weak], for: position)
        #expect(ranked.map(\.candidateID) == ["z-weak", "a-declared"])
        #expect(ranked[1].score > ranked[0].score && !ranked[1].verified)
        #expect(factors(ranked[1]).first == .selfDeclared && !factors(ranked[1]).contains(.mentorAssessment))
    }

    @Test func learners_near_completion_are_found_and_nobody_unrelated_is() {
        let learner = MatchCandidate(id: "l", regionCode: "441900", certificates: [], nearCompletion: true)
        #expect(factors(Matching.score(learner, for: position)) == [.nearCompletion, .regionSame])
        let unrelated = MatchCandidate(id: "u", regionCode: "441900", certificates: [.init(occupationCode: "4-04-05-05", level: .level1, status: .valid)])
        #expect(Matching.score(unrelated, for: position) == nil)
    }

    @Test func ranking_is_by_score_then_stable_by_id_and_limited() {
        let cs = (0..<10).map { i in
            MatchCandidate(id: "p\(i)", regionCode: i % 2 == 0 ? "441900" : "440300",
                           certificates: [.init(occupationCode: "6-25-04-07", level: i < 5 ? .level4 : .level3, status: .valid)])
        }
        let ranked = Matching.rank(cs, for: position, limit: 4)
        #expect(ranked.map(\.candidateID) == ["p6", "p8", "p0", "p2"])
    }

    @Test func a_certificate_past_its_validity_has_expired_and_the_verified_level_is_the_highest_valid_one() {
        let today = Day(year: 2026, month: 11, day: 27)
        #expect(CertificateFact.Status.today(stored: "valid", validUntil: Day(year: 2026, month: 11, day: 26), on: today) == .expired)
        #expect(CertificateFact.Status.today(stored: "valid", validUntil: today, on: today) == .valid)
        #expect(CertificateFact.Status.today(stored: "suspended", validUntil: nil, on: today) == .suspended)
        #expect(CertificateFact.Status.today(stored: "lost", validUntil: nil, on: today) == nil)
        let held = [CertificateFact(occupationCode: "a", level: .level1, status: .revoked), CertificateFact(occupationCode: "b", level: .level3, status: .valid),
                    CertificateFact(occupationCode: "c", level: .level4, status: .valid)]
        #expect(CertificateFact.highestValidLevel(held) == .level3)
        #expect(CertificateFact.highestValidLevel([]) == nil)
    }
}
