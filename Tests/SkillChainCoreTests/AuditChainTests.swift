import SkillChainCore
import Testing

@Suite struct AuditChainTests {
    func chain(_ n: Int) -> [AuditEntry] {
        var list: [AuditEntry] = []
        for i in 0..<n {
            let e = AuditEntry(
                sequence: 0, occurredAtMillis: 1_790_000_000_000 + Int64(i), actorUserID: "u\(i % 3)", actingMembershipID: nil,
                action: "chain.submitted", objectType: "chain", objectID: "c\(i)", outcome: "success", detail: "{}", previousHash: "")
            list.append(AuditChain.seal(e, after: list.last))
        }
        return list
    }

    @Test func intact_chain_verifies() {
        let r = AuditChain.verify(chain(10))
        #expect(r.isIntact)
        #expect(r.checked == 10)
        #expect(AuditChain.verify([AuditEntry]()).isIntact)
    }

    @Test func changed_entry_is_named() {
        var c = chain(10)
        c[4].outcome = "failure"
        let r = AuditChain.verify(c)
        #expect(r.firstBroken == 5)
        #expect(r.failure == .hashMismatch)
    }

    @Test func rehashed_change_breaks_the_next_link() {
        var c = chain(10)
        c[4].objectID = "forged"
        c[4].hash = AuditChain.computeHash(c[4])
        let r = AuditChain.verify(c)
        #expect(r.firstBroken == 6)
        #expect(r.failure == .previousHashMismatch)
    }

    @Test func deleted_entry_is_named() {
        var c = chain(10)
        c.remove(at: 6)
        let r = AuditChain.verify(c)
        #expect(r.firstBroken == 7)
        #expect(r.failure == .sequenceGap)
    }

    @Test func reordered_entries_are_named() {
        var c = chain(10)
        c.swapAt(2, 3)
        let r = AuditChain.verify(c)
        #expect(r.firstBroken == 3)
        #expect(r.failure == .sequenceGap)
    }

    @Test func field_boundaries_cannot_be_shifted() {
        let a = AuditEntry(
            sequence: 1, occurredAtMillis: 1, actorUserID: "ab", actingMembershipID: "c", action: "x", objectType: "y",
            objectID: nil, outcome: "s", detail: "", previousHash: AuditChain.genesis)
        var b = a
        b.actorUserID = "a"
        b.actingMembershipID = "bc"
        #expect(AuditChain.computeHash(a) != AuditChain.computeHash(b))
    }
}
