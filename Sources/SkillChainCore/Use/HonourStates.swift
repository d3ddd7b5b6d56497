import Foundation

/// An honour campaign's life: open for nominations → panel review → public notice (the shortlist is published) →
/// awarded (credentials issued). Stored in `honour_campaigns.status`.
public enum HonourCampaignStatus: String, Sendable, Codable, CaseIterable {
    case open, review, notice, awarded

    /// What the organizer asks for to move the campaign on.
    public enum Event: String, Sendable, Codable, CaseIterable {
        case review, notice, award
    }

    /// The status after `event`, or nil when the campaign is not at the step the event closes.
    public func applying(_ event: Event) -> HonourCampaignStatus? {
        switch (event, self) {
        case (.review, .open): .review
        case (.notice, .review): .notice
        case (.award, .notice): .awarded
        default: nil
        }
    }

    /// The one event that moves the campaign on from here, if any.
    public var nextEvent: Event? {
        Event.allCases.first { applying($0) != nil }
    }
}

/// A nomination's standing in its campaign. Stored in `honour_nominations.status`.
public enum NominationStatus: String, Sendable, Codable, CaseIterable {
    /// Meets the campaign's criteria (or fails them: `ineligible`, kept with its shortfalls and never shortlisted).
    case nominated, ineligible
    /// Within the quota when the notice was published; not within it.
    case shortlisted, notAwarded
    /// The award was made and its credential issued.
    case awarded

    /// The nomination's status once its campaign has moved to `campaign`; `shortlisted` says whether the quota took it.
    public func after(campaign: HonourCampaignStatus, shortlisted: Bool) -> NominationStatus {
        guard self != .ineligible else { return self }
        switch campaign {
        case .notice: return shortlisted ? .shortlisted : .notAwarded
        case .awarded: return self == .shortlisted ? .awarded : self
        case .open, .review: return self
        }
    }
}

/// An employer's invitation to a matched candidate. Stored in `invitations.status`.
public enum InvitationStatus: String, Sendable, Codable, CaseIterable {
    case invited, accepted, declined

    /// Whether the candidate still counts as in contact with the employer (a placement may follow).
    public var isOpen: Bool { self != .declined }
}

/// A skills competition: results can be published once, then individual results are withdrawn, never edited.
public enum CompetitionStatus: String, Sendable, Codable, CaseIterable {
    case open, resultsPublished
}

/// One published competition result: it stands until the organizer withdraws it (with a reason). A withdrawn result
/// stays on the results page, marked, is never reinstated or edited, and counts for neither the contest route nor
/// honours.
public enum CompetitionResultStanding: String, Sendable, Codable, CaseIterable {
    case standing, withdrawn

    public enum Refusal: String, Error, Sendable { case alreadyWithdrawn = "competition.resultWithdrawn" }

    /// The standing a stored row has (the column holds the withdrawal time, or nothing).
    public init(withdrawnAt: Date?) { self = withdrawnAt == nil ? .standing : .withdrawn }

    /// Withdrawing: only a standing result may be.
    public func withdrawing() throws(Refusal) -> CompetitionResultStanding {
        guard self == .standing else { throw .alreadyWithdrawn }
        return .withdrawn
    }

    /// Whether the result counts towards a level by the contest route and towards honours.
    public var counts: Bool { self == .standing }
}
