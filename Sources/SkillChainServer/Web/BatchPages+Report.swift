import Fluent
import SkillChainCore
import Vapor

extension BatchPages {
    /// The result report for the HR bureau, in the fields of the national certificate-data confirmation form.
    static func report(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let d = try await BatchService.authorized(id, .manageBatch, actor: actor, on: req.db)
        guard [.inNotice, .final, .archived].contains(d.status) else { throw DomainError.rule(code: "batch.report.notYet") }
        let regs = try await RegistrationStore(req.db).ofBatch(id, eligibility: .eligible)
        let person = try await PersonRecord.byID(regs.map(\.personID), on: req.db)
        let cipher = req.application.personalData
        var csv = CSVWriter(header: ReportFields.header.map { req.t("report.\($0)") })
        var rows = 0
        for r in regs {
            guard let p = person[r.personID] else { continue }
            rows += 1
            let identity: [String] = [
                p.name, req.t("report.idType.resident"), (try? cipher.open(p.citizenIDSealed)) ?? "", req.t("sex.\(p.sex)"),
                req.t("education.\(p.education)"),
            ]
            let subject: [String] = [
                d.batch.occupationCode, d.occupation?.name ?? "", d.level.certificateCode.map { String($0) } ?? "", req.t("level.\(d.batch.level)"),
            ]
            let scores: [String] = [
                r.theoryScore.map(formatted) ?? "", r.practicalScore.map(formatted) ?? "", r.reviewScore.map(formatted) ?? "",
                r.outcome.map { req.t("result.\($0)") } ?? "",
            ]
            let body: [String] = [d.organization.name, d.identity.certificatePrefix, d.batch.practicalDay]
            csv.append(identity + subject + scores + body)
        }
        let count = rows
        try await req.application.write { db in
            try await AuditLog.append(
                .init(
                    action: "batch.reportExported", objectType: "batch", objectID: id.uuidString.lowercased(),
                    detail: ["rows": String(count)]), actor: actor, on: db, now: req.now)
        }
        return csv.response(filename: "evaluation-report-\(d.batch.practicalDay).csv")
    }

    enum ReportFields {
        static let header = [
            "name", "idType", "idNumber", "sex", "education", "occupationCode", "occupationName", "levelCode", "level",
            "theory", "practical", "review", "result", "body", "bodyCode", "examDay",
        ]
    }
}
