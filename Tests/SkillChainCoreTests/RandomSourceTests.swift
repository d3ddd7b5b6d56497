import Foundation
import Testing

@testable import SkillChainCore

@Suite struct RandomSourceTests {
    @Test func a_seeded_source_repeats_its_sequence_and_another_seed_does_not() {
        let a = SeededRandomSource(seed: 42)
        let b = SeededRandomSource(seed: 42)
        let c = SeededRandomSource(seed: 43)
        let first = a.bytes(37)
        #expect(first.count == 37)
        #expect(first == b.bytes(37))
        #expect(first != c.bytes(37))
        #expect(a.bytes(37) != first, "the sequence moves on")
    }

    @Test func tokens_are_url_safe_with_the_asked_entropy() {
        let random = SystemRandomSource()
        let token = random.token()
        #expect(token.count == 43)
        #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        #expect(random.token(bytes: 12).count == 16)
        #expect(random.token() != token)
    }

    @Test func integers_stay_below_the_bound_and_cover_it() {
        let random = SeededRandomSource(seed: 1)
        var seen = Set<Int>()
        for _ in 0..<2_000 {
            let i = random.int(below: 31)
            #expect((0..<31).contains(i))
            seen.insert(i)
        }
        #expect(seen.count == 31)
    }

    @Test func uuids_are_version_4() {
        let id = SeededRandomSource(seed: 9).uuid().uuidString
        let parts = id.split(separator: "-")
        #expect(parts[2].first == "4")
        #expect(["8", "9", "A", "B"].contains(parts[3].first.map(String.init)))
    }

    @Test func second_factor_secrets_and_recovery_codes_come_from_the_source_given() {
        #expect(TOTP.generate(using: SeededRandomSource(seed: 5)).base32 == TOTP.generate(using: SeededRandomSource(seed: 5)).base32)
        let codes = RecoveryCodes.generate(using: SeededRandomSource(seed: 5))
        #expect(codes == RecoveryCodes.generate(using: SeededRandomSource(seed: 5)))
        #expect(Set(codes).count == 10)
        #expect(codes.allSatisfy { $0.count == 9 && $0.dropFirst(4).first == "-" })
    }
}
