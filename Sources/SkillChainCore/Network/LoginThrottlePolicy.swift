/// How failed sign-ins are answered, so that throttling cannot be turned against a user (OWASP ASVS 6.1.1/6.3.1):
/// failures of one account from one client address block that pair; failures of an account from everywhere only slow
/// further attempts (a growing delay), so someone elsewhere cannot lock the officer out; failures from one address
/// across accounts block that address (password spraying).
public struct LoginThrottlePolicy: Sendable, Equatable {
    /// Failures of one (account, address) pair that block the pair for the rest of the window.
    public var failuresPerPair = 5
    /// Failures from one address, over all accounts, that block the address.
    public var failuresPerAddress = 30
    /// Failures of one account, from anywhere, before each further attempt is slowed.
    public var freeFailuresPerAccount = 5
    public var delayStepMilliseconds = 250
    public var maxDelayMilliseconds = 4_000
    public var windowSeconds = 900

    public init() {}

    public enum Decision: Sendable, Equatable {
        case allow(delayMilliseconds: Int)
        case block(retryAfterSeconds: Int)
    }

    /// Failures counted in the current window of each key, with the seconds since that window started.
    public struct Counts: Sendable, Equatable {
        public var pair: Int, pairElapsed: Int
        public var account: Int
        public var address: Int, addressElapsed: Int
        public init(pair: Int = 0, pairElapsed: Int = 0, account: Int = 0, address: Int = 0, addressElapsed: Int = 0) {
            self.pair = pair
            self.pairElapsed = pairElapsed
            self.account = account
            self.address = address
            self.addressElapsed = addressElapsed
        }
    }

    public func decide(_ c: Counts) -> Decision {
        var wait = 0
        if c.pair >= failuresPerPair { wait = max(wait, windowSeconds - c.pairElapsed) }
        if c.address >= failuresPerAddress { wait = max(wait, windowSeconds - c.addressElapsed) }
        if wait > 0 { return .block(retryAfterSeconds: wait) }
        let over = c.account - freeFailuresPerAccount
        return .allow(delayMilliseconds: over > 0 ? min(maxDelayMilliseconds, over * delayStepMilliseconds) : 0)
    }
}
