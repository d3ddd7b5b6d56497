import Fluent
import SkillChainCore
import Vapor

/// `/dashboard`: the government view of the loop for a region, charts drawn on the server beside their tables,
/// and the same numbers as CSV and at `GET /api/v1/dashboard`.
enum DashboardPages {
    struct Body: Encodable {
        let data: DashboardResponse
        let regions: [ChoiceOption]
        let occupationFilter: String
        let funnelChart: String
        let bodyChart: String
        let gapChart: String
        let rates: [Rate]
        let bodies: [Rate]
        let gaps: [Gap]
        let pay: [Pay]
        let csvHref: String
        let hasRates: Bool
        let hasGaps: Bool
        let hasSubsidies: Bool
        let hasPay: Bool
        let chains: [ChoiceOption]
        let from: String
        let to: String
        let bases: [Base]
        let hasBases: Bool
        let countedAt: String
        /// Filters that could not be applied, by field: the page shows the region unfiltered, the filters as typed.
        let errors: [String: String]
        let hasErrors: Bool
    }
    struct Base: Encodable {
        let name: String
        let kind: String
        let host: String
        let funding: String
        let delivered: String
    }
    struct Rate: Encodable {
        let label: String
        let total: Int
        let passed: Int
        let rate: String
        let outlier: Bool
    }
    struct Gap: Encodable {
        let occupation: String
        let level: String
        let openPosts: Int
        let certified: Int
        let available: Int
        let gap: Int
        let tags: String
    }
    struct Pay: Encodable {
        let level: String
        let people: String
        let average: String
    }

    static func percent(_ d: Double) -> String { String(format: "%.1f%%", d * 100) }

    /// When the numbers were counted (China Standard Time), and whether they are a kept count recounted on a schedule.
    static func countedAt(_ d: DashboardResponse, _ req: Request) -> String {
        let at = Page.time(d.countedAt)
        if d.live { return req.t("dashboard.countedLive", [at]) }
        return req.t("dashboard.countedKept", [at, String(max(1, req.application.config.dashboardFreshness.maxAgeSeconds / 60))])
    }

    static func load(_ req: Request) async throws -> DashboardResponse {
        let actor = try req.requireActor()
        func given(_ name: String) -> String? {
            req.query[String.self, at: name].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        }
        var chain: UUID?
        if let raw = given("chain") {
            guard let id = UUID(uuidString: raw) else { throw ValidationFailure([FieldError("chain", "dashboard.chain.unknown")]) }
            chain = id
        }
        let filter = DashboardFilter(
            region: req.query[String.self, at: "region"], occupation: given("occupation"), chain: chain, from: given("from"), to: given("to"))
        return try await DashboardService(req.application).build(filter, actor: actor, locale: req.locale)
    }

    static func query(_ d: DashboardResponse) -> String {
        "region=\(d.region)" + (d.occupation.map { "&occupation=\($0)" } ?? "") + (d.chain.map { "&chain=\($0.uuidString.lowercased())" } ?? "")
            + (d.from.map { "&from=\($0)" } ?? "") + (d.to.map { "&to=\($0)" } ?? "")
    }

    static func show(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        // A bad filter comes back on the dashboard itself: the field named, what was typed kept, the region unfiltered below.
        let d: DashboardResponse
        var errors: [String: String] = [:]
        do {
            d = try await load(req)
        } catch let failure as ValidationFailure {
            errors = Page.errors(failure, req)
            let region = errors["region"] == nil ? req.query[String.self, at: "region"] : nil
            let plain = DashboardFilter(region: region, occupation: nil, chain: nil, from: nil, to: nil)
            d = try await DashboardService(req.application).build(plain, actor: actor, locale: req.locale)
        }
        func typed(_ name: String) -> String? { errors.isEmpty ? nil : req.query[String.self, at: name] }
        // The region itself and its direct sub-regions.
        let own = actor.role == .platformAdmin ? d.region : actor.organizationRegion
        let prefix = RegionCatalog.shared.prefix(of: own)
        let subRegions = RegionCatalog.shared.regions.filter { $0.code.hasPrefix(prefix) && $0.code != own }.prefix(60)
        let regions = ([own] + subRegions.map(\.code)).map {
            ChoiceOption(value: $0, label: RegionCatalog.shared.fullName($0) ?? $0, selected: $0 == d.region)
        }
        let rate = { (r: PassRateResponse) in Rate(label: r.label, total: r.total, passed: r.passed, rate: percent(r.rate), outlier: r.outlier) }
        let query = query(d)
        let chains = try await ChainStore(req.db).inRegion(own)
        return try await Page.render(
            "dashboard", title: req.t("dashboard.title"),
            Body(
                data: d, regions: regions, occupationFilter: typed("occupation") ?? d.occupation ?? "",
                funnelChart: ChartSVG.bars(
                    d.funnel.map { .init(label: $0.label, value: Double($0.count), display: String($0.count), highlight: false) },
                    title: req.t("dashboard.funnel")),
                bodyChart: ChartSVG.bars(
                    d.passRatesByBody.map { .init(label: $0.label, value: $0.rate * 100, display: percent($0.rate), highlight: $0.outlier) },
                    title: req.t("dashboard.passByBody")),
                gapChart: ChartSVG.bars(
                    d.supplyDemand.prefix(12).map {
                        .init(
                            label: "\($0.occupationName) · \(req.t("level.\($0.level)"))", value: Double(max(0, $0.gap)),
                            display: String($0.gap), highlight: $0.gap > 0)
                    },
                    title: req.t("dashboard.supplyDemand")),
                rates: d.passRatesByOccupation.map(rate), bodies: d.passRatesByBody.map(rate),
                gaps: d.supplyDemand.map { g in
                    Gap(
                        occupation: "\(g.occupationName)（\(g.occupationCode)）", level: req.t("level.\(g.level)"), openPosts: g.openPosts,
                        certified: g.certified,
                        available: g.available, gap: g.gap,
                        tags: [g.digital ? req.t("dashboard.digital") : nil, g.green ? req.t("dashboard.green") : nil].compactMap { $0 }.joined(
                            separator: " "))
                },
                pay: d.payByLevel.map {
                    Pay(
                        level: req.t("level.\($0.level)"), people: $0.people.map(String.init) ?? req.t("dashboard.suppressed"),
                        average: $0.averageMonthlyPay.map(String.init) ?? "—")
                },
                csvHref: SiteURL.dashboardExport(query: query).path, hasRates: !d.passRatesByOccupation.isEmpty, hasGaps: !d.supplyDemand.isEmpty,
                hasSubsidies: !d.subsidies.isEmpty, hasPay: !d.payByLevel.isEmpty,
                chains: [ChoiceOption(value: "", label: req.t("dashboard.allChains"), selected: d.chain == nil)]
                    + chains.map {
                        ChoiceOption(
                            value: $0.id!.uuidString.lowercased(), label: $0.name,
                            selected: $0.id == (typed("chain").flatMap(UUID.init(uuidString:)) ?? d.chain))
                    },
                from: typed("from") ?? d.from ?? "", to: typed("to") ?? d.to ?? "",
                bases: d.bases.map { b in
                    Base(
                        name: b.name, kind: "\(req.t("registry.kind.\(b.kind)")) · \(req.t("honour.tier.\(b.tier)"))", host: b.hostName,
                        funding: "\(RegistryPages.yuan(b.fundingSpent, req)) / \(RegistryPages.yuan(b.fundingGranted, req))",
                        delivered: req.t("registry.deliveredLine", [String(b.trainees), String(b.completed), String(b.certified)]))
                }, hasBases: !d.bases.isEmpty, countedAt: countedAt(d, req), errors: errors, hasErrors: !errors.isEmpty), req,
            status: errors.isEmpty ? .ok : .unprocessableEntity)
    }

    /// Every table of the page in one CSV (a section name in the first column).
    static func csv(_ req: Request) async throws -> Response {
        let d = try await load(req)
        var csv = CSVWriter(header: [
            req.t("dashboard.csv.section"), req.t("dashboard.csv.item"), req.t("dashboard.csv.level"), req.t("dashboard.csv.value1"),
            req.t("dashboard.csv.value2"), req.t("dashboard.csv.value3"), req.t("dashboard.csv.value4"),
        ])
        csv.append([req.t("dashboard.csv.countedAt"), countedAt(d, req), "", "", "", "", ""])
        for f in d.funnel { csv.append([req.t("dashboard.funnel"), f.label, "", String(f.count), "", "", ""]) }
        for r in d.passRatesByOccupation {
            csv.append([req.t("dashboard.passByOccupation"), r.label, "", String(r.total), String(r.passed), percent(r.rate), r.outlier ? "!" : ""])
        }
        for r in d.passRatesByBody {
            csv.append([req.t("dashboard.passByBody"), r.label, "", String(r.total), String(r.passed), percent(r.rate), r.outlier ? "!" : ""])
        }
        for g in d.supplyDemand {
            csv.append([
                req.t("dashboard.supplyDemand"), "\(g.occupationName)（\(g.occupationCode)）", req.t("level.\(g.level)"), String(g.openPosts),
                String(g.certified),
                String(g.available), String(g.gap),
            ])
        }
        for s in d.subsidies {
            csv.append([req.t("dashboard.subsidies"), s.label, "", String(s.claims), String(s.advancePaid), String(s.payable), ""])
        }
        for p in d.payByLevel {
            csv.append([
                req.t("dashboard.payByLevel"), "", req.t("level.\(p.level)"), p.people.map(String.init) ?? "",
                p.averageMonthlyPay.map(String.init) ?? "", "", "",
            ])
        }
        for b in d.bases {
            csv.append([
                req.t("dashboard.bases"), "\(b.name)（\(b.hostName)）", req.t("registry.kind.\(b.kind)"), String(b.trainees), String(b.completed),
                String(b.certified),
                "\(b.fundingSpent)/\(b.fundingGranted)",
            ])
        }
        return csv.response(filename: "dashboard-\(d.region).csv")
    }

}
