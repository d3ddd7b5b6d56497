import Crypto
import Foundation

/// The RFC 6962 tree of a large log, computed from a few stored nodes instead of every leaf: level 0 holds leaf
/// hashes, level L (1 or 2) the roots of the aligned subtrees of 256^L leaves (what a full tile of level L-1 hashes
/// to). A root or a proof then reads at most a few hundred hashes per level, whatever the size of the log:
/// `needed(size:focus:)` says which.
public struct StoredTree: Sendable {
    /// Levels above the leaves that are stored (256 and 65,536 leaves per node).
    public static let storedLevels = 2

    public enum Problem: Error, Equatable { case missing(level: Int, index: Int) }

    public let size: Int
    private var nodes: [[Int: Data]] = Array(repeating: [:], count: storedLevels + 1)

    public init(size: Int) { self.size = size }

    /// The number of leaves under one node of `level`.
    public static func span(_ level: Int) -> Int { 1 << (8 * level) }

    /// Adds consecutive nodes of `level` from index `first`.
    public mutating func add(level: Int, first: Int, hashes: [Data]) {
        for (i, h) in hashes.enumerated() { nodes[level][first + i] = h }
    }

    /// The node ranges (per level) that the root and the proofs about the leaves in `focus` read: every complete
    /// node of the top level, and the lower levels' nodes in the blocks holding a focus leaf or the newest leaf.
    public static func needed(size: Int, focus: [Int] = []) -> [(level: Int, range: Range<Int>)] {
        guard size > 0 else { return [] }
        var out: [(level: Int, range: Range<Int>)] = [(storedLevels, 0..<(size / span(storedLevels)))]
        let leaves = Set(focus.filter { $0 >= 0 && $0 < size } + [size - 1])
        for level in stride(from: storedLevels - 1, through: 0, by: -1) {
            let complete = size / span(level)
            let limit = level == 0 ? size : complete
            for block in Set(leaves.map { $0 / span(level + 1) }).sorted() {
                let first = block * 256
                let range = first..<min(first + 256, limit)
                if !range.isEmpty { out.append((level, range)) }
            }
        }
        return out
    }

    func node(_ level: Int, _ index: Int) throws(Problem) -> Data {
        guard let h = nodes[level][index] else { throw .missing(level: level, index: index) }
        return h
    }

    /// MTH of the leaves in `range`, a subtree of the RFC 6962 tree (or any range, read through its perfect parts).
    public func hash(_ range: Range<Int>) throws(Problem) -> Data {
        let n = range.count
        if n == 0 { return Data(SHA256.hash(data: Data())) }
        if n & (n - 1) == 0 && range.lowerBound % n == 0 {
            let level = min(Self.storedLevels, n.trailingZeroBitCount / 8)
            let span = Self.span(level)
            var layer: [Data] = []
            for i in (range.lowerBound / span)..<(range.upperBound / span) { layer.append(try node(level, i)) }
            while layer.count > 1 {
                layer = stride(from: 0, to: layer.count, by: 2).map { MerkleTree.nodeHash(layer[$0], layer[$0 + 1]) }
            }
            return layer[0]
        }
        let k = MerkleTree.split(n)
        return MerkleTree.nodeHash(try hash(range.lowerBound..<(range.lowerBound + k)), try hash((range.lowerBound + k)..<range.upperBound))
    }

    public func root() throws(Problem) -> Data { try hash(0..<size) }

    /// PATH(index, D[size]) as `MerkleTree.inclusionProof`, read from the stored nodes.
    public func inclusionProof(_ index: Int) throws(Problem) -> [Data] {
        var proof: [Data] = []
        var range = 0..<size
        while range.count > 1 {
            let mid = range.lowerBound + MerkleTree.split(range.count)
            if index < mid {
                proof.append(try hash(mid..<range.upperBound))
                range = range.lowerBound..<mid
            } else {
                proof.append(try hash(range.lowerBound..<mid))
                range = mid..<range.upperBound
            }
        }
        return proof.reversed()
    }

    /// PROOF(old, D[size]) as `MerkleTree.consistencyProof`, read from the stored nodes.
    public func consistencyProof(_ old: Int) throws(Problem) -> [Data] {
        guard old > 0, old < size else { return [] }
        var proof: [Data] = []
        var range = 0..<size
        var m = old
        var complete = true
        while true {
            if m == range.count {
                if !complete { proof.append(try hash(range)) }
                break
            }
            let k = MerkleTree.split(range.count)
            let mid = range.lowerBound + k
            if m <= k {
                proof.append(try hash(mid..<range.upperBound))
                range = range.lowerBound..<mid
            } else {
                proof.append(try hash(range.lowerBound..<mid))
                range = mid..<range.upperBound
                m -= k
                complete = false
            }
        }
        return proof.reversed()
    }
}
