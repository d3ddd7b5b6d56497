import Fluent
import Foundation
import SkillChainCore
import Vapor

/// The registry side of the demo: the lead's national skill master studio (刘建国, hosting the apprenticeship
/// class), the college's provincial high-skill base, the city's contest with published results (one placing opens the
/// contest route), and the lead's own contest still waiting for its results.
enum DemoRegistry {
    static func load(_ app: Application, ids: [String: UUID], today: Day? = nil) async throws {
        let today = today ?? app.today
        guard try await SkillBaseRecord.query(on: app.db).count() == 0,
            let gov = try await DemoData.actor(app, username: "gov"), let hr = try await DemoData.actor(app, username: "hr"),
            let lead = ids["lead"], let college = ids["college"]
        else { return }
        let studio = try await RegistryService(app).createBase(
            .init(
                kind: SkillBaseKind.masterStudio.rawValue, name: "刘建国视觉检测技能大师工作室", host: lead,
                tier: HonourTier.national.rawValue, approvalYear: today.year - 1, fundingGranted: 500_000),
            actor: gov, today: today)
        _ = try await RegistryService(app).createBase(
            .init(
                kind: SkillBaseKind.highSkillBase.rawValue, name: "东莞智能制造高技能人才培训基地", host: college,
                tier: HonourTier.provincial.rawValue, approvalYear: today.year - 2, fundingGranted: 2_000_000),
            actor: gov, today: today)
        let programs = try await RegistryService.ownProgramIDs(lead, on: app.db)
        let hosted = try await ProgramRecord.query(on: app.db).filter(\.$id ~~ programs).filter(\.$kind == ProgramKind.newApprenticeship.rawValue)
            .all().compactMap(\.id)
        let master = try await PersonRecord.query(on: app.db).filter(\.$organizationID == lead).filter(\.$name == "刘建国").first()
        _ = try await RegistryService(app).updateActivity(
            studio.id!,
            .init(
                fundingSpent: 180_000, activity: "带徒 8 人；完成视觉检测工装改进 2 项；开展技能培训 320 人次。",
                programs: hosted, masters: master.map { [$0.id!] } ?? []),
            actor: hr, today: today)

        // The city's contest in the demo occupation, results published: 林芳 second (a city top ten: 技师 route).
        let city = try await RegistryService(app).createCompetition(
            .init(
                name: "\(today.year) 年东莞市职业技能大赛（视觉检测设备装调）", tier: ContestTier.city.rawValue,
                occupationCode: DemoEvaluation.occupation, heldOn: today.plusDays(-40).description, entrants: 48),
            actor: gov)
        var rows: [CompetitionResultInput] = []
        for (name, rank) in [("刘建国", 1), ("林芳", 2), ("李娜", 9)] {
            guard let p = try await PersonRecord.query(on: app.db).filter(\.$organizationID == lead).filter(\.$name == name).first() else { continue }
            rows.append(.init(name: name, citizenId: try app.personalData.open(p.citizenIDSealed), rank: rank, student: false))
        }
        _ = try await RegistryService(app).publishResults(city.id!, .init(results: rows), actor: gov, today: today)
        _ = try await RegistryService(app).createCompetition(
            .init(
                name: "智感杯视觉检测技能比武", tier: ContestTier.enterprise.rawValue,
                occupationCode: DemoEvaluation.occupation, heldOn: today.plusDays(-7).description, entrants: 36),
            actor: hr)
    }
}
