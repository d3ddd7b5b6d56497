import Fluent
import Foundation
import SkillChainCore

/// The honours aggregate's reads: campaigns, their nominations (all, or as an actor may see them), whether a person is
/// nominated already, the best placing a person holds in published contest results, and the people and organizations
/// that nominations name.
struct HonourStore {
    let db: any Database
    init(_ db: any Database) { self.db = db }

    /// Every campaign, newest first.
    func campaigns() async throws -> [HonourCampaignRecord] {
        try await HonourCampaignRecord.query(on: db).sort(\.$createdAt, .descending).all()
    }

    func campaign(_ id: UUID) async throws -> HonourCampaignRecord? { try await HonourCampaignRecord.find(id, on: db) }

    /// The best rank a person holds among standing results of contests published in `years`.
    func bestRecordedPlacing(_ citizenIDIndex: String, years: ClosedRange<Int>) async throws -> Int? {
        let results = try await CompetitionResultRecord.standing(on: db).filter(\.$citizenIDIndex == citizenIDIndex).all()
        guard !results.isEmpty else { return nil }
        let contests = try await CompetitionRecord.query(on: db).filter(\.$id ~~ Set(results.map(\.competitionID)))
            .filter(\.$status == CompetitionStatus.resultsPublished.rawValue).filter(\.$year >= years.lowerBound)
            .filter(\.$year <= years.upperBound).all().compactMap(\.id)
        return results.filter { contests.contains($0.competitionID) }.map(\.rank).min()
    }

    func isNominated(_ citizenIDIndex: String, in campaign: UUID) async throws -> Bool {
        try await HonourNominationRecord.query(on: db).filter(\.$campaignID == campaign).filter(\.$citizenIDIndex == citizenIDIndex).first() != nil
    }

    func nomination(_ id: UUID) async throws -> HonourNominationRecord? { try await HonourNominationRecord.find(id, on: db) }

    /// Nominations in `campaigns` (one of them if `campaign` is set; one organization's if `organization` is set).
    func nominations(in campaigns: [UUID], campaign: UUID? = nil, organization: UUID? = nil) async throws -> [HonourNominationRecord] {
        let q = HonourNominationRecord.query(on: db).filter(\.$campaignID ~~ campaigns)
        if let campaign { q.filter(\.$campaignID == campaign) }
        if let organization { q.filter(\.$organizationID == organization) }
        return try await q.all()
    }

    func nominationCount(_ campaign: UUID) async throws -> Int {
        try await HonourNominationRecord.query(on: db).filter(\.$campaignID == campaign).count()
    }

    func people(_ ids: Set<UUID>) async throws -> [UUID: PersonRecord] {
        Dictionary(uniqueKeysWithValues: try await PersonRecord.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0) })
    }

    func organizationNames(_ ids: Set<UUID>) async throws -> [UUID: String] {
        Dictionary(uniqueKeysWithValues: try await OrganizationRecord.query(on: db).filter(\.$id ~~ ids).all().map { ($0.id!, $0.name) })
    }
}
