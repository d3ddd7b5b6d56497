import Fluent
import Foundation
import SkillChainCore
import Vapor

/// The incentives side of the demo: the city bureau's 技术能手 campaign in review, with the lead's nominations (one not
/// eligible: not front-line) scored from verified records and one panel score given.
enum DemoHonours {
    static func load(_ app: Application, ids: [String: UUID], today: Day? = nil) async throws {
        let today = today ?? app.today
        guard try await HonourCampaignRecord.query(on: app.db).count() == 0,
            let gov = try await DemoData.actor(app, username: "gov"), let hr = try await DemoData.actor(app, username: "hr")
        else { return }
        let campaign = try await HonourService(app).createCampaign(
            .init(
                name: "\(today.year) 年东莞市技术能手", kind: HonourKind.technicalExpert.rawValue,
                tier: HonourTier.city.rawValue, year: today.year, quota: 2, minimumLevel: SkillLevel.level4.rawValue,
                frontLineRequired: true, minimumYearsOfService: 5, frontLineTilt: 0.2), actor: gov)
        var nominated: [String: UUID] = [:]
        for (name, frontLine, years, placing) in [("刘建国", true, 22.0, 1 as Int?), ("李娜", true, 6.0, nil), ("林芳", false, 11.0, 3)] {
            guard let p = try await PersonRecord.query(on: app.db).filter(\.$name == name).filter(\.$organizationID == ids["lead"]!).first() else {
                continue
            }
            let n = try await HonourService(app).nominate(
                .init(
                    campaign: campaign.id, person: p.id, frontLine: frontLine, yearsOfService: years, bestPlacing: placing,
                    statement: "\(name)：产线技术骨干，带徒传艺。"), actor: hr)
            nominated[name] = n.id
        }
        _ = try await HonourService(app).transition(campaign.id!, .init(event: "review"), actor: gov, today: today)
        if let id = nominated["刘建国"] { _ = try await HonourService(app).review(id, .init(score: 92), actor: gov) }
    }
}
