import Foundation

/// Where fresh randomness comes from: the operating system's generator when the platform runs, a seeded one when a
/// test needs to know the next token. Tokens, salts, second-factor secrets, recovery codes and status-list indexes are
/// all drawn from one of these, never from a generator read directly.
public protocol RandomSource: Sendable {
    /// `count` uniformly random bytes.
    func bytes(_ count: Int) -> [UInt8]
}

/// The operating system's cryptographically secure generator.
public struct SystemRandomSource: RandomSource {
    public init() {}

    public func bytes(_ count: Int) -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &g) }
    }
}

/// A reproducible sequence (SplitMix64) for tests: the same seed gives the same tokens. Never for production secrets.
public final class SeededRandomSource: RandomSource, @unchecked Sendable {
    private var state: UInt64
    private let lock = NSLock()

    public init(seed: UInt64) { state = seed }

    public func bytes(_ count: Int) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        var out: [UInt8] = []
        out.reserveCapacity(count + 8)
        while out.count < count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            withUnsafeBytes(of: z.littleEndian) { out.append(contentsOf: $0) }
        }
        return Array(out.prefix(count))
    }
}

extension RandomSource {
    /// A URL-safe token with `bytes` bytes of entropy (≥ 16 for anything that must not be guessed).
    public func token(bytes: Int = 32) -> String { Multibase.base64url(Data(self.bytes(bytes))) }

    /// A uniform integer in `0..<bound` (rejection sampling, so no value is favoured).
    public func int(below bound: Int) -> Int {
        precondition(bound > 0)
        let limit = UInt64.max - UInt64.max % UInt64(bound)
        while true {
            let value = bytes(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if value < limit { return Int(value % UInt64(bound)) }
        }
    }

    /// A random (version 4) UUID.
    public func uuid() -> UUID {
        var b = bytes(16)
        b[6] = (b[6] & 0x0F) | 0x40
        b[8] = (b[8] & 0x3F) | 0x80
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
