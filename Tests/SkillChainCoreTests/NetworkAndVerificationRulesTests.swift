import Crypto
import Foundation
import Testing

@testable import SkillChainCore

@Suite struct NetworkAndVerificationRulesTests {
    @Test func cidr_matches_ipv4_and_ipv6_networks_and_refuses_bad_text() throws {
        let ten = try #require(CIDR("10.0.0.0/8"))
        #expect(ten.contains("10.255.3.4") && !ten.contains("11.0.0.1") && !ten.contains("::1"))
        let host = try #require(CIDR("192.168.1.7"))
        #expect(host.prefix == 32 && host.contains("192.168.1.7") && !host.contains("192.168.1.8"))
        let odd = try #require(CIDR("172.16.0.0/12"))
        #expect(odd.contains("172.31.255.255") && !odd.contains("172.32.0.0"))
        let v6 = try #require(CIDR("fd00::/8"))
        #expect(v6.contains("fd12:3456::1") && !v6.contains("fe80::1"))
        #expect(try #require(CIDR("::1")).contains("0:0:0:0:0:0:0:1"))
        #expect(try #require(CIDR("::ffff:0:0/96")).contains("::ffff:10.1.2.3"))
        for bad in ["", "10.0.0.0/33", "300.1.1.1", "10.0.0", "1:2:3:4:5:6:7:8:9", "a::b::c", "10.0.0.0/-1", "10.0.0.01111"] {
            #expect(CIDR(bad) == nil, "\(bad)")
        }
    }

    @Test func forwarded_for_is_believed_only_from_trusted_peers_rightmost_untrusted_hop_first() {
        let trusted = [CIDR("10.0.0.0/8")!, CIDR("127.0.0.1")!]
        // Directly connected: the peer, whatever the header says.
        #expect(ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"], trusted: trusted) == "203.0.113.9")
        // Through our proxy: the rightmost hop that is not ours; a client-written left part is ignored.
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["6.6.6.6, 198.51.100.7"], trusted: trusted) == "198.51.100.7")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["198.51.100.7, 10.0.0.3"], trusted: trusted) == "198.51.100.7")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["6.6.6.6", "198.51.100.7"], trusted: trusted) == "198.51.100.7")
        // A malformed hop stops the walk: the last trusted hop stands.
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["junk"], trusted: trusted) == "10.0.0.2")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: [], trusted: trusted) == "10.0.0.2")
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["1.2.3.4"], trusted: trusted) == "unknown")
        #expect(ClientAddress.resolve(peer: "127.0.0.1", forwardedFor: ["2001:db8::1"], trusted: []) == "127.0.0.1")
    }

    @Test func login_failures_block_the_pair_and_the_address_but_only_slow_the_account() {
        let p = LoginThrottlePolicy()
        // Five failures for gov from one address block that address for gov, for the rest of the window.
        #expect(p.decide(.init(pair: 5, pairElapsed: 100, account: 5)) == .block(retryAfterSeconds: 800))
        // The same five failures seen from another address: not blocked, not even slowed yet.
        #expect(p.decide(.init(pair: 0, account: 5)) == .allow(delayMilliseconds: 0))
        // Many failures from everywhere only slow, up to a bound.
        #expect(p.decide(.init(account: 7)) == .allow(delayMilliseconds: 500))
        #expect(p.decide(.init(account: 500)) == .allow(delayMilliseconds: p.maxDelayMilliseconds))
        // Spraying many accounts from one address blocks the address.
        #expect(p.decide(.init(address: 30, addressElapsed: 60)) == .block(retryAfterSeconds: 840))
        #expect(p.decide(.init(address: 29, addressElapsed: 60)) == .allow(delayMilliseconds: 0))
    }

    @Test func names_are_masked_to_the_first_character_and_compared_without_spaces() {
        #expect(PublicVerification.maskName("李四") == "李*")
        #expect(PublicVerification.maskName("欧阳修文") == "欧*")
        #expect(PublicVerification.maskName("王") == "王*")
        #expect(PublicVerification.maskName(" ") == "")
        #expect(PublicVerification.nameMatches("李 四", holder: "李四"))
        #expect(PublicVerification.nameMatches("Li Si", holder: "li si"))
        #expect(!PublicVerification.nameMatches("李", holder: "李四"))
        #expect(!PublicVerification.nameMatches("", holder: ""))
    }

    @Test func the_link_secret_is_per_number_and_per_platform_key() {
        let a = SecretKeys(secret: "one").verificationLinkKey
        let b = SecretKeys(secret: "two").verificationLinkKey
        let s = PublicVerification.linkSecret(number: "Y000044190001264000001", key: a)
        #expect(s.count == 22)
        #expect(s != PublicVerification.linkSecret(number: "Y000044190001264000002", key: a))
        #expect(s != PublicVerification.linkSecret(number: "Y000044190001264000001", key: b))
        #expect(PublicVerification.linkSecretMatches(s, number: "Y000044190001264000001", key: a))
        #expect(!PublicVerification.linkSecretMatches(s, number: "Y000044190001264000002", key: a))
    }

    @Test func a_credential_binds_to_its_record_by_issuer_and_subject() throws {
        let stored = try JSONValue.parse(
            """
            {"issuer":{"id":"did:web:x:orgs:a"},"credentialSubject":{"name":"李四","identifier":[{"identityHash":"sha256$1"}],
             "achievement":{"alignment":[{"targetCode":"6-25-04-08"}]},
             "result":[{"resultDescription":"u#level3-theory","value":"80"},{"resultDescription":"u#level3-level","value":"三级/高级工"}]}}
            """)
        #expect(CredentialBinding.compare(presented: stored, stored: stored) == .init(issuerMatches: true, subjectMatches: true, differing: []))
        let otherIssuer = stored.setting("issuer", .object(["id": .string("did:web:x:orgs:b")]))
        #expect(!CredentialBinding.compare(presented: otherIssuer, stored: stored).issuerMatches)
        let subject = stored["credentialSubject"]!
        let higher = stored.setting(
            "credentialSubject",
            subject.setting(
                "result",
                .array([
                    .object(["resultDescription": .string("u#level2-level"), "value": .string("二级/技师")])
                ])))
        #expect(CredentialBinding.compare(presented: higher, stored: stored).differing == ["level"])
        let noHash = stored.setting("credentialSubject", subject.removing("identifier"))
        #expect(CredentialBinding.compare(presented: noHash, stored: stored).differing == ["identityHash"])
    }
}
