import Foundation
import Testing

@testable import SkillChainCore

/// A log of a million entries cannot read every leaf for a root or a proof: the tree read from stored nodes must give
/// exactly what the leaf-by-leaf computation gives, reading only the nodes `needed` names.
@Suite struct StoredTreeTests {
    /// 65,536 + 2 × 256 + 37 leaves: a full level-2 node, full and partial level-1 blocks after it.
    static let leaves: [Data] = (0..<(65_536 + 2 * 256 + 37)).map { MerkleTree.leafHash(Data("entry \($0)".utf8)) }

    /// Only the nodes `needed(size:focus:)` names, computed from the leaves.
    static func tree(size: Int, focus: [Int]) -> StoredTree {
        var tree = StoredTree(size: size)
        for (level, range) in StoredTree.needed(size: size, focus: focus) {
            let span = StoredTree.span(level)
            tree.add(level: level, first: range.lowerBound, hashes: range.map { MerkleTree.root(Self.leaves[($0 * span)..<(($0 + 1) * span)]) })
        }
        return tree
    }

    @Test func roots_read_from_stored_nodes_equal_the_leaf_by_leaf_roots() throws {
        for size in [1, 2, 255, 256, 257, 1000, 65_535, 65_536, 65_537, Self.leaves.count] {
            #expect(try Self.tree(size: size, focus: []).root() == MerkleTree.root(Self.leaves[..<size]), "size \(size)")
        }
    }

    @Test func inclusion_proofs_read_from_stored_nodes_equal_the_leaf_by_leaf_proofs_and_verify() throws {
        let size = Self.leaves.count
        let root = MerkleTree.root(Self.leaves)
        for index in [0, 1, 255, 256, 4_000, 65_535, 65_536, 65_600, size - 1] {
            let proof = try Self.tree(size: size, focus: [index]).inclusionProof(index)
            #expect(proof == MerkleTree.inclusionProof(index, Self.leaves[...]), "index \(index)")
            #expect(MerkleTree.verifyInclusion(index: index, size: size, leafHash: Self.leaves[index], proof: proof, root: root))
        }
    }

    @Test func consistency_proofs_read_from_stored_nodes_equal_the_leaf_by_leaf_proofs() throws {
        let size = Self.leaves.count
        for old in [1, 3, 256, 300, 65_536, 65_540, size - 1] {
            let proof = try Self.tree(size: size, focus: [old - 1]).consistencyProof(old)
            #expect(proof == MerkleTree.consistencyProof(old, Self.leaves[...]), "old size \(old)")
            #expect(
                MerkleTree.verifyConsistency(
                    oldSize: old, newSize: size, oldRoot: MerkleTree.root(Self.leaves[..<old]), newRoot: MerkleTree.root(Self.leaves),
                    proof: proof))
        }
    }

    @Test func a_proof_about_a_leaf_it_was_not_loaded_for_names_the_missing_node() {
        let tree = Self.tree(size: Self.leaves.count, focus: [])
        #expect(throws: StoredTree.Problem.self) { try tree.inclusionProof(10) }
    }

    @Test func a_root_reads_a_few_hundred_nodes_not_every_leaf() {
        let needed = StoredTree.needed(size: 1_000_000, focus: [123_456])
        let count = needed.reduce(0) { $0 + $1.range.count }
        #expect(count < 1_100, "\(count) nodes")
    }
}
