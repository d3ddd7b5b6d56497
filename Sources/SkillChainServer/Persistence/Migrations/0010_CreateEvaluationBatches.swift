import Fluent
import SQLKit

/// Evaluation batches and everything in them: the body's judges, panels, registrations, scores, question bank,
/// online papers, public-notice objections and the working-day calendar.
struct M0010CreateEvaluationBatches: AsyncMigration {
    var name: String { "0010_CreateEvaluationBatches" }

    func prepare(on db: any Database) async throws {
        // People who judge for an evaluation body: assessors (per occupation, with the level they hold), proctors, supervisors.
        try await db.schema("evaluation_staff")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("duty", .string, .required)
            .field("occupation_code", .string, .required)  // "" for proctors and supervisors
            .field("level", .string, .required)  // the level the person holds ("" when not an assessor)
            .field("department", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "organization_id", "person_id", "duty", "occupation_code")
            .create()
        // Relatives a judge declares, by the blind index of their citizen ID (no plain number is kept).
        try await db.schema("declared_relatives")
            .id()
            .field("staff_id", .uuid, .required, .references("evaluation_staff", "id"))
            .field("citizen_id_index", .string, .required)
            .unique(on: "staff_id", "citizen_id_index")
            .create()
        try await db.schema("evaluation_batches")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("filing_id", .uuid, .required, .references("evaluation_filings", "id"))
            .field("region_code", .string, .required)
            .field("title", .string, .required)
            .field("occupation_code", .string, .required)
            .field("level", .string, .required)
            .field("method", .string, .required)
            .field("status", .string, .required)
            .field("reason", .string)
            .field("site", .string, .required)
            .field("theory_day", .string, .required)
            .field("practical_day", .string, .required)
            .field("theory_minutes", .int, .required)
            .field("theory_minimum_minutes", .int, .required)
            .field("question_count", .int, .required)
            .field("notice_from", .string)
            .field("notice_until", .string)
            .field("created_at", .datetime)
            .field("signed_off_at", .datetime)
            .field("finalized_at", .datetime)
            .create()
        // Assignments: assessors and proctors (with their room) to a batch; the supervisor too.
        try await db.schema("batch_staff")
            .id()
            .field("batch_id", .uuid, .required, .references("evaluation_batches", "id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("duty", .string, .required)
            .field("room", .string, .required)
            .unique(on: "batch_id", "person_id", "duty")
            .create()
        try await db.schema("registrations")
            .id()
            .field("batch_id", .uuid, .required, .references("evaluation_batches", "id"))
            .field("person_id", .uuid, .required, .references("people", "id"))
            .field("citizen_id_index", .string, .required)
            .field("clause_id", .string, .required)
            .field("facts", .string, .required)  // JSON CandidateFacts as declared
            .field("shortfalls", .string, .required)  // JSON [String] localization keys with args, from the engine
            .field("engine_eligible", .bool, .required)
            .field("eligibility", .string, .required)
            .field("override_reason", .string)
            .field("theory_score", .double)
            .field("practical_score", .double)
            .field("practical_spread", .double)
            .field("needs_reconciliation", .bool, .required)
            .field("review_score", .double)
            .field("outcome", .string)
            .field("retake_of", .uuid)  // the failed registration this one retakes
            .field("retake_subject", .string)  // the one subject sat again; the others are carried over
            .field("created_at", .datetime)
            .unique(on: "batch_id", "citizen_id_index")
            .create()
        try await db.schema("practical_scores")
            .id()
            .field("registration_id", .uuid, .required, .references("registrations", "id"))
            .field("assessor_person_id", .uuid, .required, .references("people", "id"))
            .field("subject", .string, .required)
            .field("score", .double, .required)
            .field("criteria", .string, .required)
            .field("submitted_at", .datetime)
            .unique(on: "registration_id", "assessor_person_id", "subject")
            .create()
        try await db.schema("question_items")
            .id()
            .field("organization_id", .uuid, .required, .references("organizations", "id"))
            .field("occupation_code", .string, .required)
            .field("level", .string, .required)
            .field("kind", .string, .required)
            .field("area", .string, .required)
            .field("tags", .string, .required)
            .field("stem", .string, .required)
            .field("options", .string, .required)  // JSON [String]
            .field("answer", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema("exam_papers")
            .id()
            .field("registration_id", .uuid, .required, .references("registrations", "id"))
            .field("seed", .int64, .required)
            .field("item_ids", .string, .required)  // JSON [String] in the order shown
            .field("answers", .string, .required)  // JSON {itemID: answer}
            .field("started_at", .datetime, .required)
            .field("submitted_at", .datetime)
            .field("score", .double)
            .unique(on: "registration_id")
            .create()
        try await db.schema("notice_objections")
            .id()
            .field("batch_id", .uuid, .required, .references("evaluation_batches", "id"))
            .field("candidate_label", .string, .required)
            .field("text", .string, .required)
            .field("contact_sealed", .string, .required)
            .field("status", .string, .required)
            .field("resolution", .string)
            .field("created_at", .datetime)
            .field("resolved_at", .datetime)
            .create()
        try await db.schema("calendar_days")
            .id()
            .field("day", .string, .required)
            .field("kind", .string, .required)  // holiday | workday
            .field("name", .string, .required)
            .unique(on: "day")
            .create()
        if let sql = db as? any SQLDatabase {
            for (table, column) in [
                ("evaluation_batches", "organization_id"), ("batch_staff", "person_id"), ("registrations", "person_id"),
                ("practical_scores", "assessor_person_id"), ("question_items", "organization_id"),
                ("notice_objections", "batch_id"),
            ] {
                try await sql.create(index: "\(table)_\(column)_idx").on(table).column(column).run()
            }
        }
    }

    func revert(on db: any Database) async throws {
        for t in [
            "calendar_days", "notice_objections", "exam_papers", "question_items", "practical_scores", "registrations", "batch_staff",
            "evaluation_batches", "declared_relatives", "evaluation_staff",
        ] {
            try await db.schema(t).delete()
        }
    }
}
