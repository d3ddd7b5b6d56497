import Fluent
import SkillChainCore
import Vapor

/// Benchmark fixtures: a batch of the demo data's body whose candidates all passed, in its notice period (ended),
/// set up directly rather than through registration and scoring (benchmarked by `bench-evaluation`).
enum BenchBatch {
    /// Creates the batch and its `count` candidates (citizen IDs from `firstID` on); with `emailDomain`, each candidate
    /// also has an account with an e-mail address there. Answers the batch's id.
    static func passed(_ app: Application, count n: Int, firstID: Int = 0, title: String, emailDomain: String? = nil) async throws -> UUID {
        guard let lead = try await OrganizationRecord.query(on: app.db).filter(\.$name == "东莞智感视觉科技有限公司").first(),
            let final = try await EvaluationBatchRecord.query(on: app.db).filter(\.$status == BatchStatus.final.rawValue).first()
        else { throw CLIError(message: "demo data missing") }
        let batch = EvaluationBatchRecord()
        batch.organizationID = lead.id!
        batch.filingID = final.filingID
        batch.regionCode = final.regionCode
        batch.title = title
        batch.occupationCode = final.occupationCode
        batch.level = final.level
        batch.method = final.method
        batch.status = BatchStatus.inNotice.rawValue
        batch.site = "-"
        batch.theoryDay = final.theoryDay
        batch.practicalDay = final.practicalDay
        batch.noticeFrom = "2026-01-05"
        batch.noticeUntil = "2026-01-09"
        batch.theoryMinutes = 90
        batch.theoryMinimumMinutes = 30
        batch.questionCount = 10
        try await batch.create(on: app.db)
        let cipher = app.personalData
        // Every account gets the same (already hashed) password: nobody signs in to them.
        let hash = try await app.passwordHasher.hash("bench-account-password")
        try await app.write { db in
            for i in firstID..<(firstID + n) {
                let p = try await person(name: "持证人\(i)", citizenID: benchCitizenID(i), organization: lead.id!, cipher: cipher, on: db)
                if let emailDomain {
                    let u = UserRecord()
                    u.username = "bench\(i)"
                    u.displayName = p.name
                    u.passwordHash = hash
                    u.isActive = true
                    u.mustChangePassword = false
                    u.personID = p.id
                    u.email = "bench\(i)@\(emailDomain)"
                    try await u.create(on: db)
                }
                let r = RegistrationRecord()
                r.batchID = batch.id!
                r.personID = p.id!
                r.citizenIDIndex = p.citizenIDIndex
                r.clauseID = "A-4-1"
                r.facts = "{}"
                r.shortfalls = "[]"
                r.engineEligible = true
                r.eligibility = "eligible"
                r.theoryScore = 80
                r.practicalScore = 78
                r.needsReconciliation = false
                r.outcome = RegistrationOutcome.passed.rawValue
                try await r.create(on: db)
            }
        }
        return batch.id!
    }

    /// A benchmark person (an employee born 1990 with a placeholder phone).
    static func person(name: String, citizenID id: String, organization: UUID, cipher: PersonalDataCipher, on db: any Database) async throws
        -> PersonRecord
    {
        let p = PersonRecord()
        p.version = 1
        p.organizationID = organization
        p.name = name
        p.citizenIDSealed = try cipher.seal(id)
        p.citizenIDIndex = cipher.blindIndex(id)
        p.citizenIDMasked = String(id.prefix(4)) + "**********" + String(id.suffix(4))
        p.sex = "male"
        p.birthDate = "1990-01-01"
        p.phoneSealed = try cipher.seal("13900000000")
        p.phoneMasked = "139****0000"
        p.education = "technicalSchool"
        p.category = "employee"
        try await p.create(on: db)
        return p
    }
}

/// A distinct, valid citizen ID number for the i-th benchmark person (Dongguan, born 1970–1999).
func benchCitizenID(_ i: Int) -> String {
    CitizenID.completing(
        String(format: "4419%02d19%02d%02d%02d%03d", (i / 1000) % 100, 70 + (i / 336) % 30, 1 + (i / 28) % 12, 1 + i % 28, i % 1000))!.value
}
