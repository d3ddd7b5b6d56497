import Fluent
import Foundation
import SkillChainCore
import Vapor

/// The use side of the demo, through the services: two assessors' older certificates imported (a 16-digit and a
/// 13-digit Shanghai number), certified people in the talent pool (one with a revoked certificate, who is therefore
/// not matched), the `learner` with a self-declared skill, and for the lead's 视觉检测设备装调工 position two
/// placements; 刘建国 is left for HR to invite.
enum DemoTalent {
    static func load(_ app: Application, ids: [String: UUID], today: Day? = nil) async throws {
        let today = today ?? app.today
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
        _ = try await CertificateImportService(app).run(Array(rows.joined(separator: "\n").utf8), actor: hr, today: today)
        // The pool: consent recorded for each (the demo stands in for their own clicks).
        for name in ["李娜", "孙浩", "刘建国", "林芳"] {
            guard let p = try await person(name) else { continue }
            _ = try await TalentService(app).record(p, consent: true, declared: nil, actor: nil)
        }
        if let learner = try await DemoData.actor(app, username: "learner") {
            _ = try await TalentService(app).consent(
                .init(consent: true, declaredOccupationCode: DemoEvaluation.occupation, declaredLevel: "level4"),
                actor: learner)
        }
        // Invitations from the lead's HR, accepted and placed.
        let found = try await TalentService.matches(position.id!, actor: hr, on: app.db, today: today)
        func candidate(_ name: String) -> UUID? { found.members.values.first { $0.name == name }?.personID }
        for (name, wage) in [("李娜", 7800), ("林芳", 8600)] {
            guard let id = candidate(name) else { continue }
            let invitation = try await TalentService(app).invite(position.id!, .init(candidate: id, message: "欢迎来松山湖基地面谈。"), actor: hr)
            guard wage > 0 else { continue }
            // The holder answers (their own account stands in) and HR records the start.
            try await app.write { db in
                invitation.status = InvitationStatus.accepted.rawValue
                invitation.answeredAt = app.now
                try await invitation.update(on: db)
                try await AuditLog.append(
                    .init(action: "invitation.accepted", objectType: "invitation", objectID: invitation.id!.uuidString.lowercased()),
                    actor: nil, on: db, now: app.now)
            }
            _ = try await TalentService(app).place(
                .init(invitation: invitation.id, startDate: today.plusDays(-7).description, monthlyWage: wage), actor: hr, today: today)
        }
        try await loadPay(app, hr: hr, person: person, today: today)
    }

    /// The lead's pay grid and a year of actual pay: 李娜 (level 4) is paid below her level's reference, and level 4
    /// pay grew less than management's.
    static func loadPay(_ app: Application, hr: Actor, person: (String) async throws -> PersonRecord?, today: Day) async throws {
        let bands: [(SkillLevel, Int, Int, Int)] = [
            (.apprentice, 4000, 5000, 0), (.level5, 5000, 6500, 200), (.level4, 6000, 8000, 500),
            (.level3, 7500, 10000, 800), (.level2, 9000, 13000, 1200), (.level1, 11000, 16000, 1800),
            (.specialTechnician, 14000, 20000, 2500), (.chiefTechnician, 22000, 30000, 4000),
        ]
        _ = try await PayService(app).saveGrid(
            .init(
                bands: bands.map { .init(level: $0.0.rawValue, minimum: $0.1, maximum: $0.2, allowance: $0.3) },
                middleManagerPay: 16000, seniorManagerPay: 26000), actor: hr)
        func month(_ d: Day) -> String { String(d.description.prefix(7)) }
        let (last, yearBefore) = (month(today.addingMonths(-1)), month(today.addingMonths(-13)))
        var rows = ["姓名,身份证号,月份,月工资,岗位类别"]
        for (name, before, now, post) in [
            ("李娜", 6000, 6200, "技能"), ("林芳", 8600, 9700, "技能"), ("刘建国", 11500, 12800, "技能"), ("郑伟", 15000, 16500, "管理"),
        ] {
            guard let p = try await person(name) else { continue }
            let id = try app.personalData.open(p.citizenIDSealed)
            rows.append("\(name),\(id),\(yearBefore),\(before),\(post)")
            rows.append("\(name),\(id),\(last),\(now),\(post)")
        }
        _ = try await PayService(app).importPay(Array(rows.joined(separator: "\n").utf8), actor: hr, today: today)
    }
}
