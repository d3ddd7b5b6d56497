import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// The kept counts of large regions: shown with when they were counted, recounted in the background once old, and
/// dropped when counting becomes cheap again. The budget is 0 ms here, so every count is "large".
@Suite struct DashboardSnapshotTests {
    func openPosts(_ d: [String: Any]) -> Int? {
        (d["supplyDemand"] as? [[String: Any]])?.first { $0.string("occupationCode") == EvaluationWorld.occupation }?["openPosts"] as? Int
    }

    @Test func a_large_region_is_shown_as_counted_then_recounted_once_old() async throws {
        try await withTestApp(adjust: { $0.dashboardFreshness = DashboardFreshness(liveBudgetMilliseconds: 0, maxAgeSeconds: 3600) }) { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)
            let hr = try await APIClient(app, "hr")
            let gov = try await APIClient(app, "gov")
            let post: [String: Any] = [
                "title": "视觉检测工", "occupationCode": EvaluationWorld.occupation, "requiredLevel": "level4", "headcount": 5,
                "regionCode": "441900", "wageMin": 6000, "wageMax": 9000, "frontLine": true, "description": "",
            ]
            #expect(try await hr.call(.POST, "/api/v1/positions", post).0 == .created)

            let (status, first) = try await gov.call(.GET, "/api/v1/dashboard?region=441900")
            #expect(status == .ok && first["live"] as? Bool == true && openPosts(first) == 5)
            let countedAt = first.string("countedAt")
            #expect(!countedAt.isEmpty)

            // A second post: within the maximum age the kept count is shown, with the time it was counted.
            #expect(try await hr.call(.POST, "/api/v1/positions", post).0 == .created)
            let (_, kept) = try await gov.call(.GET, "/api/v1/dashboard?region=441900")
            #expect(kept["live"] as? Bool == false && kept.string("countedAt") == countedAt && openPosts(kept) == 5)
            let browser = Browser(app)
            try await browser.login("gov")
            let page = try await browser.get("/dashboard?region=441900").body.string
            #expect(page.contains("数据截至") && page.contains("60 分钟"))
            // Another question (an occupation, another language) is counted for itself.
            let (_, english) = try await gov.call(.GET, "/api/v1/dashboard?region=441900&lang=en")
            #expect(english["live"] as? Bool == true && openPosts(english) == 10)

            // Once older than the maximum age: shown once more while it is counted again, then the recount is shown.
            app.config.dashboardFreshness.maxAgeSeconds = 0
            let (_, stale) = try await gov.call(.GET, "/api/v1/dashboard?region=441900")
            #expect(stale["live"] as? Bool == false && openPosts(stale) == 5)
            await app.dashboardRecounter.idle()
            let (_, recounted) = try await gov.call(.GET, "/api/v1/dashboard?region=441900")
            #expect(recounted["live"] as? Bool == false && openPosts(recounted) == 10 && recounted.string("countedAt") >= countedAt)
            await app.dashboardRecounter.idle()  // that read (still older than 0 s) started one more recount

            // The schedule recounts what was asked and has grown old, without a request.
            app.config.dashboardFreshness.maxAgeSeconds = 3600
            #expect(try await hr.call(.POST, "/api/v1/positions", post).0 == .created)
            let key = "zh-Hans|441900||||"
            try await DashboardSnapshotRecord.query(on: app.db).filter(\.$key == key).set(\.$countedAt, to: Date().addingTimeInterval(-7200)).update()
            // …and drops the kept counts older than a week.
            try await DashboardSnapshotRecord.query(on: app.db).filter(\.$key == "en|441900||||").set(
                \.$countedAt, to: Date().addingTimeInterval(-8 * 86400)
            ).update()
            await app.dashboardRecounter.recountDue(app)
            await app.dashboardRecounter.idle()
            let stored = try #require(try await DashboardSnapshotRecord.query(on: app.db).filter(\.$key == key).first())
            #expect(Date().timeIntervalSince(stored.countedAt) < 600)
            #expect(try await DashboardSnapshotRecord.query(on: app.db).filter(\.$key == "en|441900||||").count() == 0)
            let (_, scheduled) = try await gov.call(.GET, "/api/v1/dashboard?region=441900")
            #expect(openPosts(scheduled) == 15, "\(scheduled["supplyDemand"] ?? "")")

            // When counting fits the budget again, the region is counted live and its kept counts are dropped.
            app.config.dashboardFreshness.liveBudgetMilliseconds = 600_000
            let (_, live) = try await gov.call(.GET, "/api/v1/dashboard?region=441900")
            #expect(live["live"] as? Bool == true && openPosts(live) == 15)
            #expect(try await DashboardSnapshotRecord.query(on: app.db).filter(\.$key == key).count() == 0)

            // Kept counts are per question, never per person: a bureau outside the region still cannot read them.
            #expect(try await gov.call(.GET, "/api/v1/dashboard?region=440300").0 == .notFound)
            #expect(try await hr.call(.GET, "/api/v1/dashboard?region=441900").0 == .forbidden)
        }
    }

    @Test func at_start_up_each_bureaus_region_is_counted_so_its_officer_does_not_wait() async throws {
        try await withTestApp(adjust: { $0.dashboardFreshness = DashboardFreshness(liveBudgetMilliseconds: 0, maxAgeSeconds: 3600) }) { app in
            let w = try await EvaluationWorld.make(app)
            _ = try await w.finalBatch(app)
            await app.dashboardRecounter.warm(app)
            let kept = try await DashboardSnapshotRecord.query(on: app.db).all().map(\.key).sorted()
            #expect(kept == ["en|441900||||", "zh-Hans|441900||||"])
            // The officer's landing view is the kept count, and it has the batch's results in it.
            let (_, d) = try await APIClient(app, "gov").call(.GET, "/api/v1/dashboard")
            let funnel = Dictionary(
                uniqueKeysWithValues: (d["funnel"] as? [[String: Any]] ?? []).map { ($0.string("stage"), $0["count"] as? Int ?? -1) })
            #expect(d["live"] as? Bool == false && d.string("region") == "441900" && funnel["evaluated"] == 3)
            // A kept count this version cannot read (an older version's) is counted again, not shown as an error.
            try await DashboardSnapshotRecord.query(on: app.db).filter(\.$key == "zh-Hans|441900||||").set(\.$body, to: "{\"funnel\": 1}").update()
            let (status, recounted) = try await APIClient(app, "gov").call(.GET, "/api/v1/dashboard")
            #expect(status == .ok && recounted["live"] as? Bool == true)
            #expect(try await APIClient(app, "gov").call(.GET, "/api/v1/dashboard").1["live"] as? Bool == false)
            // Warming again does not count what is still fresh.
            let before = try await DashboardSnapshotRecord.query(on: app.db).all().map(\.countedAt)
            await app.dashboardRecounter.warm(app)
            #expect(try await DashboardSnapshotRecord.query(on: app.db).all().map(\.countedAt) == before)
        }
    }

    @Test func requests_for_a_question_being_counted_wait_for_that_count() async throws {
        try await withTestApp { app in
            let question = DashboardQuestion(region: "441900", occupation: nil, chain: nil, start: nil, end: nil)
            let counts = Tally()
            let work: @Sendable () async throws -> DashboardResponse = {
                await counts.add()
                try await Task.sleep(nanoseconds: 300_000_000)
                return try await DashboardService.count(question, on: app.db, translate: { $0 }, today: app.today, now: app.now)
            }
            let recounter = app.dashboardRecounter
            async let a = recounter.shared("q", work)
            async let b = recounter.shared("q", work)
            async let c = recounter.shared("other", work)
            let (ra, rb, rc) = try await (a, b, c)
            #expect(await counts.n == 2 && ra.countedAt == rb.countedAt && rc.region == "441900")
            // Once it has answered, the next request counts afresh.
            _ = try await recounter.shared("q", work)
            #expect(await counts.n == 3)
        }
    }
}

private actor Tally {
    var n = 0
    func add() { n += 1 }
}
