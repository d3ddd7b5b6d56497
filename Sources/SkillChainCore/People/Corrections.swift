/// A person's request to correct what an organization holds about them (PIPL art. 46): open until the organization
/// accepts it (and edits the record) or refuses it with a reason.
public enum CorrectionStatus: String, Sendable, Codable, CaseIterable { case open, accepted, refused }

public enum CorrectionDecision: String, Sendable, Codable, CaseIterable { case accept, refuse }
