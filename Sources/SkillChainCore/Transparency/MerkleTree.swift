import Crypto
import Foundation

/// RFC 6962 / RFC 9162 Merkle tree hashing, proofs and their verification: a leaf is SHA-256(0x00 ‖ entry), a node
/// SHA-256(0x01 ‖ left ‖ right), the tree of n leaves splits at the largest power of two below n.
public enum MerkleTree {
    public static func leafHash(_ entry: Data) -> Data {
        var h = SHA256()
        h.update(data: [0])
        h.update(data: entry)
        return Data(h.finalize())
    }

    public static func nodeHash(_ left: Data, _ right: Data) -> Data {
        var h = SHA256()
        h.update(data: [1])
        h.update(data: left)
        h.update(data: right)
        return Data(h.finalize())
    }

    /// The largest power of two strictly below `n` (n > 1).
    static func split(_ n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// MTH over leaf hashes (the empty tree's root is SHA-256 of nothing).
    public static func root(_ leaves: ArraySlice<Data>) -> Data {
        switch leaves.count {
        case 0: return Data(SHA256.hash(data: Data()))
        case 1: return leaves.first!
        default:
            let k = split(leaves.count)
            return nodeHash(root(leaves.prefix(k)), root(leaves.dropFirst(k)))
        }
    }

    public static func root(_ leaves: [Data]) -> Data { root(leaves[...]) }

    /// PATH(m, D[n]): the inclusion proof of leaf `index` (RFC 9162 §2.1.3.1).
    public static func inclusionProof(_ index: Int, _ leaves: ArraySlice<Data>) -> [Data] {
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count)
        if index < k { return inclusionProof(index, leaves.prefix(k)) + [root(leaves.dropFirst(k))] }
        return inclusionProof(index - k, leaves.dropFirst(k)) + [root(leaves.prefix(k))]
    }

    /// Checks an inclusion proof (RFC 9162 §2.1.3.2).
    public static func verifyInclusion(index: Int, size: Int, leafHash: Data, proof: [Data], root: Data) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                r = nodeHash(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// PROOF(m, D[n]): that the tree of the first `oldSize` leaves is a prefix of this one (RFC 9162 §2.1.4.1).
    public static func consistencyProof(_ oldSize: Int, _ leaves: ArraySlice<Data>) -> [Data] {
        guard oldSize > 0, oldSize < leaves.count else { return [] }
        return subproof(oldSize, leaves, complete: true)
    }

    static func subproof(_ m: Int, _ leaves: ArraySlice<Data>, complete: Bool) -> [Data] {
        let n = leaves.count
        if m == n { return complete ? [] : [root(leaves)] }
        let k = split(n)
        if m <= k { return subproof(m, leaves.prefix(k), complete: complete) + [root(leaves.dropFirst(k))] }
        return subproof(m - k, leaves.dropFirst(k), complete: false) + [root(leaves.prefix(k))]
    }

    /// Checks a consistency proof (RFC 9162 §2.1.4.2).
    public static func verifyConsistency(oldSize: Int, newSize: Int, oldRoot: Data, newRoot: Data, proof: [Data]) -> Bool {
        guard oldSize > 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        var path = proof
        // A power-of-two old size is its own first node.
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        guard !path.isEmpty else { return false }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = path[0]
        var sr = path[0]
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = nodeHash(c, fr)
                sr = nodeHash(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}

/// C2SP tlog-tiles paths: a tile index in 3-digit elements, all but the last prefixed `x` (1234067 → `x001/x234/067`).
public enum TilePath {
    public static let width = 256

    public static func index(_ n: Int) -> String {
        var parts = [String(format: "%03d", n % 1000)]
        var rest = n / 1000
        while rest > 0 {
            parts.insert(String(format: "x%03d", rest % 1000), at: 0)
            rest /= 1000
        }
        return parts.joined(separator: "/")
    }

    /// `tile/<L>/<N>[.p/<W>]`, or `tile/entries/<N>[.p/<W>]` for level -1; `partial` is the width of a tile not yet
    /// full.
    public static func tile(level: Int, index n: Int, partial: Int? = nil) -> String {
        let lead = level < 0 ? "tile/entries/" : "tile/\(level)/"
        return lead + index(n) + (partial.map { ".p/\($0)" } ?? "")
    }
}
