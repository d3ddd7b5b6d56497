import Foundation

/// What a notification tells its recipient: one hand-over of the loop each. The text is the catalog's
/// `notification.<kind>` filled with the notification's arguments, in the language of whoever reads it.
public enum NotificationKind: String, Sendable, Codable, CaseIterable {
    /// To the other party of an agreement: it waits for their signature; it came back; it was approved.
    case agreementSent, agreementReturned, agreementApproved
    /// To the holder of a certificate.
    case certificateSuspended, certificateRevoked, certificateReinstated
    /// To a candidate matched to a position; to the employer's admins when the candidate answers.
    case invitationReceived, invitationAccepted, invitationDeclined
    /// A chain submitted goes to the officers of its region; their decision back to the lead enterprise's admins.
    case chainSubmitted, chainApproved, chainReturned
    /// An evaluation body's filing, and an evaluation plan, the same way.
    case filingSubmitted, filingApproved, filingReturned, planSubmitted, planApproved, planReturned
    /// To a candidate: their eligibility was decided (`{1}` the outcome), the exams are on, results are on public notice
    /// or final (`certificateIssued` when they passed).
    case eligibilityDecided, examOpen, resultsOnNotice, resultsFinal, certificateIssued
    /// To the body's admins: someone objected during the notice period.
    case objectionReceived
    /// To the person placed.
    case placementRecorded
    /// To the claiming organization's admins.
    case subsidyDecided, subsidySettled
    /// To the nominating organization's admins; to the person awarded.
    case nominationDecided, honourAwarded
    /// From the daily check, 60 days ahead: to the body's admins.
    case filingExpiring, signingKeyExpiring

    /// The catalog key of the one-line text (`{0}`, `{1}` … are the arguments).
    public var textKey: String { "notification.\(rawValue)" }
}

/// A notification to be written for one user, in the same transaction as the change it tells of.
public struct NotificationDraft: Sendable, Equatable {
    public let kind: NotificationKind
    /// The user who receives it.
    public let recipient: UUID
    /// The catalog text's arguments: names and numbers the recipient may see (never a citizen ID or a phone).
    public let args: [String]
    /// The site path of the record it is about.
    public let link: String

    public init(kind: NotificationKind, recipient: UUID, args: [String], link: String) {
        self.kind = kind
        self.recipient = recipient
        self.args = args
        self.link = link
    }

    /// One draft per recipient, each user once, in a stable order.
    public static func each(_ kind: NotificationKind, to recipients: [UUID], args: [String], link: String) -> [NotificationDraft] {
        var seen = Set<UUID>()
        return recipients.filter { seen.insert($0).inserted }.map { NotificationDraft(kind: kind, recipient: $0, args: args, link: link) }
    }
}
