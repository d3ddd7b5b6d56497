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
        let c = MatchCandidate(
            id: "a", regionCode: "441900", certificates: [.init(occupationCode: "6-25-04-07", level: .level3, status: .valid)],
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
        let c = MatchCandidate(
            id: "d", regionCode: "441900",
            certificates: [
                .init(occupationCode: "6-25-04-07", level: .level1, status: .revoked),
                .init(occupationCode: "6-25-04-09", level: .level4, status: .valid),
            ])
        #expect(factors(Matching.score(c, for: position)).prefix(2) == [.occupationMinorGroup, .levelMeets])
    }

    @Test func self_declared_skills_never_outrank_verified_ones() {
        let declared = MatchCandidate(
            id: "a-declared", regionCode: "441900", certificates: [], declared: [("6-25-04-07", .level1)],
            trainedForPosition: true, mentorAssessment: 100)
        let weak = MatchCandidate(
            id: "z-weak", regionCode: "110101", certificates: [.init(occupationCode: "6-25-01-02", level: .level5, status: .valid)])
        let ranked = Matching.rank([declared, weak], for: position)
        #expect(ranked.map(\.candidateID) == ["z-weak", "a-declared"])
        #expect(ranked[1].score > ranked[0].score && !ranked[1].verified)
        #expect(factors(ranked[1]).first == .selfDeclared && !factors(ranked[1]).contains(.mentorAssessment))
    }

    @Test func learners_near_completion_are_found_and_nobody_unrelated_is() {
        let learner = MatchCandidate(id: "l", regionCode: "441900", certificates: [], nearCompletion: true)
        #expect(factors(Matching.score(learner, for: position)) == [.nearCompletion, .regionSame])
        let unrelated = MatchCandidate(
            id: "u", regionCode: "441900", certificates: [.init(occupationCode: "4-04-05-05", level: .level1, status: .valid)])
        #expect(Matching.score(unrelated, for: position) == nil)
    }

    @Test func ranking_is_by_score_then_stable_by_id_and_limited() {
        let cs = (0..<10).map { i in
            MatchCandidate(
                id: "p\(i)", regionCode: i % 2 == 0 ? "441900" : "440300",
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
        let held = [
            CertificateFact(occupationCode: "a", level: .level1, status: .revoked),
            CertificateFact(occupationCode: "b", level: .level3, status: .valid),
            CertificateFact(occupationCode: "c", level: .level4, status: .valid),
        ]
        #expect(CertificateFact.highestValidLevel(held) == .level3)
        #expect(CertificateFact.highestValidLevel([]) == nil)
    }

    /// What the server's SQL does cell by cell and region tier by tier: people holding a valid certificate in the
    /// cell and registered in the tier, by id, at most `fetchLimit` of them.
    func shortlisted(_ pool: [MatchCandidate], limit: Int, codes: [String]) -> MatchShortlist {
        var list = MatchShortlist(limit: limit, for: position)
        for cell in Matching.cells(occupations: codes, for: position) where list.wants(cell) {
            for tier in Matching.regionTiers() where list.wants(cell, tier) {
                let holders = pool.filter { c in
                    Matching.regionTier(c.regionCode, position) == tier
                        && c.certificates.contains { $0.status == .valid && $0.occupationCode == cell.occupationCode && $0.level == cell.level }
                }.sorted { $0.id < $1.id }
                for c in holders.prefix(list.fetchLimit) { list.add(c.id, region: c.regionCode, in: cell) }
            }
        }
        return list
    }

    @Test func narrowing_a_large_pool_cell_by_cell_ranks_exactly_as_reading_everyone() {
        let codes = ["6-25-04-07", "6-25-04-09", "6-25-01-02", "6-25-02-01"]
        let regions = ["441900", "441901", "440300", "440100", "110101", "441900"]
        let levels: [SkillLevel] = [.level5, .level4, .level3, .level2, .level1]
        var rng = SeededGenerator(seed: 7)
        func pick<T>(_ a: [T]) -> T { a[Int(rng.next() % UInt64(a.count))] }
        for round in 0..<20 {
            var pool: [MatchCandidate] = []
            for i in 0..<(200 + round * 20) {
                let count = Int(rng.next() % 3)
                let certs = (0..<count).map { _ in
                    CertificateFact(occupationCode: pick(codes), level: pick(levels), status: rng.next() % 10 == 0 ? .revoked : .valid)
                }
                let trained = rng.next() % 15 == 0
                pool.append(
                    MatchCandidate(
                        id: String(format: "p%04d", i), regionCode: pick(regions), certificates: certs,
                        declared: rng.next() % 9 == 0 ? [(occupationCode: pick(codes), level: pick(levels))] : [],
                        trainedForPosition: trained, nearCompletion: trained && rng.next() % 2 == 0,
                        mentorAssessment: trained ? Double(rng.next() % 100) : nil))
            }
            for limit in [1, 10, 50, 400] {
                let list = shortlisted(pool, limit: limit, codes: codes)
                // The server adds everyone with training facts, and the self-declared when the certified are too few.
                var keys = list.ids.union(pool.filter { $0.trainedForPosition }.map(\.id))
                if list.isShort { keys.formUnion(pool.filter { !$0.declared.isEmpty }.map(\.id)) }
                let full = Matching.rank(pool, for: position, limit: limit)
                #expect(Matching.rank(pool.filter { keys.contains($0.id) }, for: position, limit: limit) == full, "round \(round), limit \(limit)")
                if limit <= 50 && pool.count > 300 { #expect(keys.count < pool.count / 2, "the narrowing read most of the pool") }
            }
        }
    }

    @Test func cells_come_best_first_and_only_for_the_group() {
        let cells = Matching.cells(occupations: ["6-25-04-09", "6-25-01-02"], for: position)
        #expect(cells.first == MatchCell(occupationCode: "6-25-04-07", level: .level1, points: 40 + 25 + 9))
        #expect(zip(cells, cells.dropFirst()).allSatisfy { $0.points >= $1.points })
        #expect(Set(cells.map(\.occupationCode)) == ["6-25-04-07", "6-25-04-09", "6-25-01-02"])
        #expect(cells.count == 3 * 5)
    }
}
