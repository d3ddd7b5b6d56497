import Fluent
import Foundation
import SkillChainCore

/// The reads of evaluation registrations that decide "which rows count": a batch's candidates, those eligible, those
/// waiting for review, those who passed or failed (in a batch, in several, or for one person). Services and pages ask
/// here instead of spelling the outcome and eligibility conditions themselves.
struct RegistrationStore {
    let db: any Database

    init(_ db: any Database) { self.db = db }

    /// A batch's registrations in the order they were made.
    func ofBatch(_ batchID: UUID) async throws -> [RegistrationRecord] {
        try await RegistrationRecord.query(on: db).filter(\.$batchID == batchID).sort(\.$createdAt).all()
    }

    /// A batch's registrations with this eligibility, in the order they were made.
    func ofBatch(_ batchID: UUID, eligibility: EligibilityStatus) async throws -> [RegistrationRecord] {
        try await RegistrationRecord.query(on: db).filter(\.$batchID == batchID).filter(\.$eligibility == eligibility.rawValue)
            .sort(\.$createdAt).all()
    }

    /// The registrations of these batches with this outcome.
    func withOutcome(_ outcome: RegistrationOutcome, inBatches batchIDs: Set<UUID>) async throws -> [RegistrationRecord] {
        guard !batchIDs.isEmpty else { return [] }
        return try await RegistrationRecord.query(on: db).filter(\.$batchID ~~ batchIDs).filter(\.$outcome == outcome.rawValue).all()
    }

    /// The ids of a batch's registrations with this outcome (one column read, for checks inside a write).
    func ids(_ outcome: RegistrationOutcome, inBatch batchID: UUID) async throws -> Set<UUID> {
        Set(
            try await RegistrationRecord.query(on: db).filter(\.$batchID == batchID).filter(\.$outcome == outcome.rawValue).field(\.$id).all()
                .compactMap(\.id))
    }

    /// How many of a batch's candidates have this outcome.
    func count(_ outcome: RegistrationOutcome, inBatch batchID: UUID) async throws -> Int {
        try await RegistrationRecord.query(on: db).filter(\.$batchID == batchID).filter(\.$outcome == outcome.rawValue).count()
    }

    /// Every registration of one person (by blind index) with this outcome, in any batch.
    func withOutcome(_ outcome: RegistrationOutcome, of citizenIDIndex: String) async throws -> [RegistrationRecord] {
        try await RegistrationRecord.query(on: db).filter(\.$citizenIDIndex == citizenIDIndex).filter(\.$outcome == outcome.rawValue).all()
    }
}
