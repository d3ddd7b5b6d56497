import Foundation

/// When the government dashboard is counted afresh and when a stored count (a snapshot) is shown instead.
///
/// Every number on the dashboard is an aggregate over the region's records. For a city-sized deployment counting them
/// takes well under the live budget, so the dashboard is counted for every request and is never stale. For a region of
/// a million people one count takes seconds; then the result is kept as a snapshot, shown with the time it was counted,
/// and counted again in the background once it is older than `maxAge`. The dashboard is never stale by more than
/// `maxAge` plus one count, and the page always says how old it is.
public struct DashboardFreshness: Sendable, Equatable {
    /// A count that took at most this long is not kept: the dashboard is counted live.
    public var liveBudgetMilliseconds: Int
    /// A snapshot older than this is shown once more while it is counted again.
    public var maxAgeSeconds: Int

    public init(liveBudgetMilliseconds: Int = 500, maxAgeSeconds: Int = 600) {
        self.liveBudgetMilliseconds = liveBudgetMilliseconds
        self.maxAgeSeconds = maxAgeSeconds
    }

    public enum Decision: Sendable, Equatable {
        /// Count now and answer with the fresh count.
        case count
        /// Answer with the snapshot.
        case serve
        /// Answer with the snapshot and count again in the background.
        case serveAndRecount
    }

    /// What to do for a request at `now`, given the stored snapshot for the same question, if any.
    public func decide(now: Date, snapshotCountedAt: Date?, snapshotMilliseconds: Int?) -> Decision {
        guard let at = snapshotCountedAt, let ms = snapshotMilliseconds, keeps(milliseconds: ms) else { return .count }
        return now.timeIntervalSince(at) > TimeInterval(maxAgeSeconds) ? .serveAndRecount : .serve
    }

    /// Whether a count that took `milliseconds` is worth keeping as a snapshot.
    public func keeps(milliseconds: Int) -> Bool { milliseconds > liveBudgetMilliseconds }
}
