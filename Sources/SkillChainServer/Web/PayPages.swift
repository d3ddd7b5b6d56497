import Fluent
import SkillChainCore
import Vapor

/// `/pay` (the enterprise's pay grid, actual pay import and gap report) and its API.
enum PayPages {
    struct BandRow: Encodable {
        let level: String
        let label: String
        let index: Int
        let minimum: String
        let maximum: String
        let allowance: String
        let error: String?
    }
    struct BelowRow: Encodable {
        let name: String
        let maskedID: String
        let level: String
        let pay: Int
        let reference: Int
        let shortfall: Int
    }
    struct GrowthRow: Encodable {
        let level: String
        let skill: String
        let management: String
        let years: String
    }
    struct Body: Encodable {
        let bands: [BandRow]
        let middle: String
        let senior: String
        let errors: [String: String]
        let saved: Bool
        let imported: Int?
        let hasGrid: Bool
        let below: [BelowRow]
        let hasBelow: Bool
        let growth: [GrowthRow]
        let hasGrowth: Bool
        let payText: String
        let help: [ImportHelp]
        let versions: [VersionRow]
        let hasVersions: Bool
    }
    /// A saved grid, as it was: "L5 4000–5000 (+200)" per level.
    struct VersionRow: Encodable {
        let version: Int
        let savedAt: String
        let bands: [String]
        let current: Bool
    }

    static func percent(_ d: Double) -> String { String(format: "%.1f%%", d * 100) }

    static func render(
        _ req: Request, form: PayGridInput? = nil, payText: String = "", errors: [String: String] = [:], imported: Int? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.requireActor()
        let saved = try await PayService.savedGrid(of: actor.organizationID, on: req.db)
        let grid = saved.map(PayService.grid)
        let gaps = try await PayService.gaps(actor: actor, on: req.db, today: req.today)
        let versions = try await PayService.versions(actor: actor, on: req.db)
        let bands = SkillLevel.allCases.enumerated().map { i, level in
            let posted = form?.bands?.first { $0.level == level.rawValue }
            let band = grid?.band(level)
            func text(_ posted: Int?, _ stored: Int?) -> String { (form != nil ? posted : stored).map(String.init) ?? "" }
            return BandRow(
                level: level.rawValue, label: req.t("level.\(level.rawValue)"), index: i,
                minimum: text(posted?.minimum, band?.minimum), maximum: text(posted?.maximum, band?.maximum),
                allowance: text(posted?.allowance, band?.allowance),
                error: errors.first { $0.key.hasPrefix("bands.\(level.rawValue)") }?.value)
        }
        return try await Page.render(
            "pay", title: req.t("pay.title"),
            Body(
                bands: bands, middle: (form != nil ? form?.middleManagerPay : saved?.middleManagerPay).map(String.init) ?? "",
                senior: (form != nil ? form?.seniorManagerPay : saved?.seniorManagerPay).map(String.init) ?? "",
                errors: errors, saved: req.query[String.self, at: "saved"] != nil, imported: imported, hasGrid: gaps.hasGrid,
                below: gaps.below.map {
                    BelowRow(
                        name: $0.name, maskedID: $0.citizenIdMasked, level: req.t("level.\($0.level)"), pay: $0.monthlyPay,
                        reference: $0.reference, shortfall: $0.shortfall)
                },
                hasBelow: !gaps.below.isEmpty,
                growth: gaps.growthBelowManagement.map {
                    GrowthRow(
                        level: req.t("level.\($0.level)"), skill: percent($0.skillGrowth),
                        management: percent($0.managementGrowth), years: "\($0.from)–\($0.to)")
                },
                hasGrowth: !gaps.growthBelowManagement.isEmpty, payText: payText, help: [ImportHelp.make(.pay, req)],
                versions: versions.enumerated().map { i, v in
                    let bands = (try? JSONDecoder().decode([PayBand].self, from: Data(v.bands.utf8))) ?? []
                    return VersionRow(
                        version: v.version, savedAt: Page.time(v.savedAt),
                        bands: bands.map { "\(req.t("level.\($0.level.rawValue)"))：\($0.minimum)–\($0.maximum)（+\($0.allowance)）" }, current: i == 0)
                },
                hasVersions: versions.count > 1), req, status: status)
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func saveGrid(_ req: Request) async throws -> Response {
        struct Form: Content {
            var minimum: [String]?
            var maximum: [String]?
            var allowance: [String]?
            var middleManagerPay: String?
            var seniorManagerPay: String?
        }
        let f = try req.content.decode(Form.self)
        func int(_ s: String?) -> Int? { s.flatMap { Int($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")) } }
        let bands = SkillLevel.allCases.enumerated().map { i, level in
            PayBandInput(
                level: level.rawValue, minimum: int(f.minimum?[safe: i]), maximum: int(f.maximum?[safe: i]), allowance: int(f.allowance?[safe: i]))
        }
        let input = PayGridInput(bands: bands, middleManagerPay: int(f.middleManagerPay), seniorManagerPay: int(f.seniorManagerPay))
        return try await Page.attempt(req) {
            _ = try await PayService(req.application).saveGrid(input, actor: try req.requireActor())
            return req.redirect(to: SiteURL.paySaved.path, redirectType: .normal)
        } onFailure: { errors in
            try await render(req, form: input, errors: errors, status: .unprocessableEntity)
        }
    }

    static func importPay(_ req: Request) async throws -> Response {
        // A CSV file (`file`, UTF-8 or GB18030) or pasted text (`text`).
        struct Form: Content {
            var file: File?
            var text: String?
        }
        let form = try req.content.decode(Form.self)
        let text = form.text ?? ""
        let bytes = form.file.flatMap { $0.data.readableBytes > 0 ? Array($0.data.readableBytesView) : nil } ?? Array(text.utf8)
        return try await Page.attempt(req) {
            let n: Int
            do { n = try await PayService(req.application).importPay(bytes, actor: try req.requireActor()) } catch let f
                as ValidationFailure
            {
                throw ValidationFailure(f.errors.map { FieldError("", $0.code, $0.args) })  // every bad row shown, not only the first
            }
            return try await render(req, imported: n)
        } onFailure: { errors in
            try await render(req, payText: text, errors: errors, status: .unprocessableEntity)
        }
    }

    // MARK: API

    static func response(_ r: PayGridRecord, name: String, _ app: Application) -> PayGridResponse {
        let g = PayService.grid(r)
        return PayGridResponse(
            organizationId: r.organizationID, organizationName: name, bands: g.bands, middleManagerPay: r.middleManagerPay,
            seniorManagerPay: r.seniorManagerPay, problems: g.problems(app.config.payRules).map(\.code))
    }

    struct ImportResponse: Content { let imported: Int }

}

extension Array {
    subscript(safe i: Int) -> Element? { indices.contains(i) ? self[i] : nil }
}
