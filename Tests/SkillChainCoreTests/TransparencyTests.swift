import Crypto
import Foundation
import Testing

@testable import SkillChainCore

/// The transparency log's building blocks against published known answers: RFC 6962 tree hashes (the vectors of
/// transparency-dev/merkle), the proofs of every small tree, and the signed-note example of golang.org/x/mod/sumdb/note.
@Suite struct TransparencyTests {
    static let entries = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(hex)
    static var leaves: [Data] { entries.map(MerkleTree.leafHash) }

    static func hex(_ s: String) -> Data {
        Data(stride(from: 0, to: s.count, by: 2).map { UInt8(s.dropFirst($0).prefix(2), radix: 16)! })
    }

    @Test func tree_roots_match_the_published_vectors() {
        let published = [
            0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
        ]
        for (size, root) in published { #expect(MerkleTree.root(Array(Self.leaves.prefix(size))) == Self.hex(root), "size \(size)") }
    }

    @Test func every_inclusion_proof_of_the_small_trees_verifies_and_a_changed_one_does_not() {
        let leaves = Self.leaves
        for size in 1...8 {
            let tree = leaves.prefix(size)
            let root = MerkleTree.root(tree)
            for index in 0..<size {
                let proof = MerkleTree.inclusionProof(index, tree)
                #expect(MerkleTree.verifyInclusion(index: index, size: size, leafHash: leaves[index], proof: proof, root: root))
                if let first = proof.first {
                    var bad = proof
                    bad[0] = MerkleTree.nodeHash(first, first)
                    #expect(!MerkleTree.verifyInclusion(index: index, size: size, leafHash: leaves[index], proof: bad, root: root))
                }
                #expect(!MerkleTree.verifyInclusion(index: size, size: size, leafHash: leaves[index], proof: proof, root: root))
            }
        }
    }

    @Test func every_consistency_proof_of_the_small_trees_verifies_and_a_rewritten_history_does_not() {
        let leaves = Self.leaves
        for n in 1...8 {
            for m in 1...n {
                let proof = MerkleTree.consistencyProof(m, leaves.prefix(n))
                let old = MerkleTree.root(leaves.prefix(m))
                let new = MerkleTree.root(leaves.prefix(n))
                #expect(MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: old, newRoot: new, proof: proof), "\(m) → \(n)")
                var rewritten = leaves
                rewritten[m - 1] = MerkleTree.leafHash(Data("forged".utf8))
                let forged = MerkleTree.root(rewritten.prefix(m))
                #expect(!MerkleTree.verifyConsistency(oldSize: m, newSize: n, oldRoot: forged, newRoot: new, proof: proof), "\(m) → \(n)")
            }
        }
    }

    @Test func the_signed_note_example_of_the_go_implementation_verifies() throws {
        let key = try #require(SignedNote.parseVerifierKey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
        #expect(key.name == "PeterNeumann")
        let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
        let note = text + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
        #expect(try SignedNote.verify(note, name: key.name, publicKey: key.publicKey) == text)
        #expect(throws: SignedNote.Problem.badSignature) {
            try SignedNote.verify(note.replacingOccurrences(of: "cryptography", with: "blockchains"), name: key.name, publicKey: key.publicKey)
        }
        #expect(SignedNote.parseVerifierKey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") == nil)
    }

    @Test func a_checkpoint_signed_by_one_key_is_refused_under_another() throws {
        let ours = Curve25519.Signing.PrivateKey()
        let theirs = Curve25519.Signing.PrivateKey()
        let checkpoint = Checkpoint(origin: "skillchain.example.cn/skillchain", size: 8, root: MerkleTree.root(Self.leaves))
        let note = try SignedNote.sign(checkpoint.text, name: "skillchain.example.cn/skillchain", key: ours)
        let text = try SignedNote.verify(note, name: "skillchain.example.cn/skillchain", publicKey: ours.publicKey.rawRepresentation)
        #expect(Checkpoint(text: text) == checkpoint)
        #expect(throws: SignedNote.Problem.unsigned) {
            try SignedNote.verify(note, name: "skillchain.example.cn/skillchain", publicKey: theirs.publicKey.rawRepresentation)
        }
        let verifier = SignedNote.verifierKey(name: "skillchain.example.cn/skillchain", publicKey: ours.publicKey.rawRepresentation)
        #expect(SignedNote.parseVerifierKey(verifier)?.publicKey == ours.publicKey.rawRepresentation)
    }

    @Test func tile_paths_are_written_in_three_digit_elements() {
        #expect(TilePath.index(1_234_067) == "x001/x234/067")
        #expect(TilePath.index(5) == "005")
        #expect(TilePath.index(1000) == "x001/000")
        #expect(TilePath.tile(level: 0, index: 1_234_067, partial: 42) == "tile/0/x001/x234/067.p/42")
        #expect(TilePath.tile(level: -1, index: 3) == "tile/entries/003")
    }

    @Test func log_times_are_rfc3339_utc_as_the_system_formatter_writes_them() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var t = -2_208_988_800.0  // 1900-01-01
        while t < 4_102_444_800 {  // 2100-01-01
            let date = Date(timeIntervalSince1970: t)
            #expect(UTCTimestamp.string(date) == formatter.string(from: date))
            t += 86_400 * 37 + 3_671.5
        }
        #expect(UTCTimestamp.string(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
        #expect([UInt8]([0, 15, 16, 255]).lowerHex == "000f10ff")
    }
}
