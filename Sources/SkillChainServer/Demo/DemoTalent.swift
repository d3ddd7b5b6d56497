import Fluent
import Foundation
import SkillChainCore
import Vapor

/// The use side of the demo, through the services: two assessors' older certificates imported (a 16-digit and a
/// 13-digit Shanghai number), certified people in the talent pool (one with a revoked certificate, who is therefore
/// not matched), the `learner` with a self-declared skill, and for the lead's 视觉检测设备装调工 position two
/// placements; 刘建国 is left for HR to invite.
enum DemoTalent {
    static func load(_ app: Application, ids: [String: UUID], today: Day = Day(Date())) async throws {
        guard try await TalentConsentRecord.query(on: app.db).count() == 0,
              let hr = try await DemoData.actor(app, username: "hr"),
              let position = try await PositionRecord.query(on: app.db).filter(\.$occupationCode == DemoEvaluation.occupation)
                .filter(\.$organizationID == ids["lead"]!).first()
        else { return }
        let lead = ids["lead"]!
        func person(_ name: String) async throws -> PersonRecord? {
            try await PersonRecord.query(on: app.db).filter(\.$name == name).filter(\.$organizationID == lead).first()
        }
        // Certificates from before the platform, imported by the body.
        var rows = ["姓名,身份证号,职业编码,工种,等级,发证日期,证书编号"]
        for (name, level, day, number) in [("刘建国", "二级", "2016-06-30", "0944190301400012"), ("林芳", "三级", "2018-12-20", "1231000012345")] {
            guard let p = try await person(name) else { continue }
            rows.append("\(name),\(try app.personalData.open(p.citizenIDSealed)),\(DemoEvaluation.occupation),,\(level),\(day),\(number)")
        }
        _ = try await CertificateImportService.run(Array(rows.joined(separator: "\n").utf8), actor: hr, app: app, today: today)
        // The pool: consent recorded for each (the demo stands in for their own clicks).
        for name in ["李娜", "孙浩", "刘建国", "林芳"] {
            guard let p = try await person(name) else { continue }
            _ = try await TalentService.record(p, consent: true, declared: nil, actor: nil, app: app)
        }
        if let learner = try await DemoData.actor(app, username: "learner") {
            _ = try await TalentService.consent(.init(consent: true, declaredOccupationCode: DemoEvaluation.occupation, declaredLevel: "level4"),
                                                actor: learner, app: app)
        }
        // Invitations from the lead's HR, accepted and placed.
        let found = try await TalentService.matches(position.id!, actor: hr, on: app.db, today: today)
        func candidate(_ name: String) -> UUID? { found.members.values.first { $0.name == name }?.personID }
        for (name, wage) in [("李娜", 7800), ("林芳", 8600)] {
            guard let id = candidate(name) else { continue }
            let invitation = try await TalentService.invite(position.id!, .init(candidate: id, message: "欢迎来松山湖基地面谈。"), actor: hr, app: app)
            guard wage > 0 else { continue }
            // The holder answers (their own account stands in) and HR records the start.
            try await app.write { db in
                invitation.status = "accepted"; invitation.answeredAt = Date()
                try await invitation.update(on: db)
                try await AuditLog.append(.init(action: "invitation.accepted", objectType: "invitation", objectID: invitation.id!.uuidString.lowercased()),
                                          actor: nil, on: db)
            }
            _ = try await TalentService.place(.init(invitation: invitation.id, startDate: today.plusDays(-7).description, monthlyWage: wage), actor: hr, app: app, today: today)
        }
    }
}
