import Fluent
import Foundation
import SQLKit
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

    /// Who passed a batch, with the person's name and sealed, indexed and masked citizen ID, in registration order:
    /// read as columns, not models (issuance reads 10,000 at once).
    struct Passed: Sendable {
        let registration: UUID, person: UUID
        let name: String, citizenIDSealed: String, citizenIDIndex: String, citizenIDMasked: String
        /// The subject scores recorded.
        let scores: [Subject: Double]
    }

    func passedWithPeople(_ batchID: UUID) async throws -> [Passed] {
        let sql = db as! any SQLDatabase
        let rows = try await sql.select()
            .column(SQLColumn("id", table: "r"), as: "rid").column(SQLColumn("person_id", table: "r"))
            .column(SQLColumn("theory_score", table: "r")).column(SQLColumn("practical_score", table: "r")).column(
                SQLColumn("review_score", table: "r")
            )
            .column(SQLColumn("name", table: "p")).column(SQLColumn("citizen_id_sealed", table: "p")).column(
                SQLColumn("citizen_id_index", table: "p")
            )
            .column(SQLColumn("citizen_id_masked", table: "p"))
            .from(SQLAlias(SQLIdentifier(RegistrationRecord.schema), as: SQLIdentifier("r")))
            .join(
                SQLAlias(SQLIdentifier(PersonRecord.schema), as: SQLIdentifier("p")), on: SQLColumn("person_id", table: "r"), .equal,
                SQLColumn("id", table: "p")
            )
            .where(SQLColumn("batch_id", table: "r"), .equal, SQLBind(batchID)).where(
                SQLColumn("outcome", table: "r"), .equal, SQLBind(RegistrationOutcome.passed.rawValue)
            )
            .orderBy(SQLColumn("created_at", table: "r")).orderBy(SQLColumn("id", table: "r"))
            .all()
        let columns: [(Subject, String)] = [(.theory, "theory_score"), (.practical, "practical_score"), (.review, "review_score")]
        return try rows.map { row in
            var scores: [Subject: Double] = [:]
            for (subject, column) in columns where try !row.decodeNil(column: column) {
                scores[subject] = try row.decode(column: column, as: Double.self)
            }
            return Passed(
                registration: try row.decode(column: "rid", as: UUID.self), person: try row.decode(column: "person_id", as: UUID.self),
                name: try row.decode(column: "name", as: String.self), citizenIDSealed: try row.decode(column: "citizen_id_sealed", as: String.self),
                citizenIDIndex: try row.decode(column: "citizen_id_index", as: String.self),
                citizenIDMasked: try row.decode(column: "citizen_id_masked", as: String.self), scores: scores)
        }
    }

    /// A batch's registrations, for a caller that pages them.
    func queryOfBatch(_ batchID: UUID) -> QueryBuilder<RegistrationRecord> {
        RegistrationRecord.query(on: db).filter(\.$batchID == batchID)
    }

    /// Every practical score recorded for a registration (one per assessor).
    func practicalScores(_ registration: UUID) async throws -> [PracticalScoreRecord] {
        try await PracticalScoreRecord.query(on: db).filter(\.$registrationID == registration).all()
    }
}
