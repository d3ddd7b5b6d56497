import Fluent
import Foundation

final class EvaluationStaffRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "evaluation_staff"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "duty") var duty: String
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "level") var level: String
    @Field(key: "department") var department: String
    @OptionalField(key: "created_at") var createdAt: Date?
    /// No longer serving: off panels not yet held, not assignable; past scores stay.
    @OptionalField(key: "deactivated_at") var deactivatedAt: Date?

    init() {}
}

final class DeclaredRelativeRecord: Model, @unchecked Sendable {
    static let schema = "declared_relatives"

    @ID(key: .id) var id: UUID?
    @Field(key: "staff_id") var staffID: UUID
    @Field(key: "citizen_id_index") var citizenIDIndex: String

    init() {}
}

final class EvaluationBatchRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "evaluation_batches"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "filing_id") var filingID: UUID
    @Field(key: "region_code") var regionCode: String
    @Field(key: "title") var title: String
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "level") var level: String
    @Field(key: "method") var method: String
    @Field(key: "status") var status: String
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "site") var site: String
    @Field(key: "theory_day") var theoryDay: String
    @Field(key: "practical_day") var practicalDay: String
    @Field(key: "theory_minutes") var theoryMinutes: Int
    @Field(key: "theory_minimum_minutes") var theoryMinimumMinutes: Int
    @Field(key: "question_count") var questionCount: Int
    @OptionalField(key: "notice_from") var noticeFrom: String?
    @OptionalField(key: "notice_until") var noticeUntil: String?
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "signed_off_at") var signedOffAt: Date?
    @OptionalField(key: "finalized_at") var finalizedAt: Date?

    init() {}
}

final class BatchStaffRecord: Model, @unchecked Sendable {
    static let schema = "batch_staff"

    @ID(key: .id) var id: UUID?
    @Field(key: "batch_id") var batchID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "duty") var duty: String
    @Field(key: "room") var room: String

    init() {}
}

final class RegistrationRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "registrations"

    @ID(key: .id) var id: UUID?
    @Field(key: "batch_id") var batchID: UUID
    @Field(key: "person_id") var personID: UUID
    @Field(key: "citizen_id_index") var citizenIDIndex: String
    @Field(key: "clause_id") var clauseID: String
    @Field(key: "facts") var facts: String
    @Field(key: "shortfalls") var shortfalls: String
    @Field(key: "engine_eligible") var engineEligible: Bool
    @Field(key: "eligibility") var eligibility: String
    @OptionalField(key: "override_reason") var overrideReason: String?
    @OptionalField(key: "theory_score") var theoryScore: Double?
    @OptionalField(key: "practical_score") var practicalScore: Double?
    @OptionalField(key: "practical_spread") var practicalSpread: Double?
    @Field(key: "needs_reconciliation") var needsReconciliation: Bool
    @OptionalField(key: "review_score") var reviewScore: Double?
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "retake_of") var retakeOf: UUID?
    @OptionalField(key: "retake_subject") var retakeSubject: String?
    @OptionalField(key: "created_at") var createdAt: Date?

    init() {}
}

final class PracticalScoreRecord: Model, @unchecked Sendable {
    static let schema = "practical_scores"

    @ID(key: .id) var id: UUID?
    @Field(key: "registration_id") var registrationID: UUID
    @Field(key: "assessor_person_id") var assessorPersonID: UUID
    @Field(key: "subject") var subject: String
    @Field(key: "score") var score: Double
    @Field(key: "criteria") var criteria: String
    @OptionalField(key: "submitted_at") var submittedAt: Date?

    init() {}
}

final class QuestionItemRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "question_items"

    @ID(key: .id) var id: UUID?
    @Field(key: "organization_id") var organizationID: UUID
    @Field(key: "occupation_code") var occupationCode: String
    @Field(key: "level") var level: String
    @Field(key: "kind") var kind: String
    @Field(key: "area") var area: String
    @Field(key: "tags") var tags: String
    @Field(key: "stem") var stem: String
    @Field(key: "options") var options: String
    @Field(key: "answer") var answer: String
    @OptionalField(key: "created_at") var createdAt: Date?
    /// Retired questions are drawn on no new paper; papers already drawn keep them.
    @OptionalField(key: "retired_at") var retiredAt: Date?
    /// The earlier version this question replaces.
    @OptionalField(key: "replaces_id") var replacesID: UUID?

    init() {}
}

final class ExamPaperRecord: Model, @unchecked Sendable {
    static let schema = "exam_papers"

    @ID(key: .id) var id: UUID?
    @Field(key: "registration_id") var registrationID: UUID
    @Field(key: "seed") var seed: Int64
    @Field(key: "item_ids") var itemIDs: String
    @Field(key: "answers") var answers: String
    @Field(key: "started_at") var startedAt: Date
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @OptionalField(key: "score") var score: Double?

    init() {}
}

final class NoticeObjectionRecord: Model, CreationStamped, @unchecked Sendable {
    static let schema = "notice_objections"

    @ID(key: .id) var id: UUID?
    @Field(key: "batch_id") var batchID: UUID
    @Field(key: "candidate_label") var candidateLabel: String
    @Field(key: "text") var text: String
    @Field(key: "contact_sealed") var contactSealed: String
    @Field(key: "status") var status: String
    @OptionalField(key: "resolution") var resolution: String?
    @OptionalField(key: "created_at") var createdAt: Date?
    @OptionalField(key: "resolved_at") var resolvedAt: Date?

    init() {}
}

final class CalendarDayRecord: Model, @unchecked Sendable {
    static let schema = "calendar_days"

    @ID(key: .id) var id: UUID?
    @Field(key: "day") var day: String
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String

    init() {}
}
