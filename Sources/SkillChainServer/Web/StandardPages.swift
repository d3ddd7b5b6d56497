import Fluent
import SkillChainCore
import Vapor

/// One occupation's standard: levels, eligibility clauses in words, weight tables, exam durations, the acting
/// enterprise's own standard (versioned), and an eligibility check a candidate or HR can run.
enum StandardPages {
    struct ClauseRow: Encodable {
        let id: String
        let text: String
    }
    struct LevelRow: Encodable {
        let level: String
        let clauses: [ClauseRow]
        let theory: Int
        let practical: Int
        let review: Int
        let needsReview: Bool
    }
    struct WeightRow: Encodable {
        let area: String
        let cells: [WeightCell]
    }
    struct WeightCell: Encodable {
        let level: String
        let percent: Int
    }
    struct ResultRow: Encodable {
        let level: String
        let eligible: Bool
        let alreadyHeld: Bool
        let satisfied: String?
        let reasons: [String]
    }
    struct Field: Encodable {
        let level: String
        let name: String
        let text: String
    }
    struct Version: Encodable {
        let version: Int
        let date: String
        let requirements: [ChoiceOption]
    }
    struct Body: Encodable {
        let code: String
        let name: String
        let edition: String
        let workTypes: Int
        let document: String
        let levels: [LevelRow]
        let levelNames: [String]
        let theoryWeights: [WeightRow]
        let skillWeights: [WeightRow]
        let checked: Bool
        let results: [ResultRow]
        let form: [String: String]
        let certificateLevels: [ChoiceOption]
        let educations: [ChoiceOption]
        let enterprise: Version?
        let canEditEnterprise: Bool
        let enterpriseAction: String
        let enterpriseFields: [Field]
        let checkAction: String
        let errors: [String: String]
        let ladder: [ChoiceOption]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let occupation = try StandardService.occupation(req.parameters.get("code"))
        let std = StandardLibrary.standard(for: occupation)
        var form: [String: String] = [:]
        for key in [
            "certificateLevel", "certificateYears", "yearsInOccupation", "education", "finalYear", "apprenticeship", "preTechnician",
            "preTechnicianYears",
        ] {
            // Only keys with a value: Leaf treats an empty string as true, which would tick every checkbox.
            if let v = req.query[String.self, at: key], !v.isEmpty { form[key] = v }
        }
        func f(_ k: String) -> String { form[k] ?? "" }
        let checked = req.query[String.self, at: "check"] != nil
        var results: [ResultRow] = []
        var errors = errors
        if checked {
            let input = EligibilityInput(
                certificates: f("certificateLevel").isEmpty
                    ? []
                    : [
                        .init(
                            occupationCode: occupation.code, level: f("certificateLevel"),
                            yearsWorkedSince: Double(f("certificateYears")) ?? (f("certificateYears").isEmpty ? 0 : -1))
                    ],
                yearsInOccupation: Double(f("yearsInOccupation")) ?? (f("yearsInOccupation").isEmpty ? 0 : -1),
                education: form["education"], isFinalYearStudent: form["finalYear"] == "on", completedApprenticeship: form["apprenticeship"] == "on",
                hasPreTechnicianCertificate: form["preTechnician"] == "on",
                yearsSincePreTechnician: Double(f("preTechnicianYears")) ?? (f("preTechnicianYears").isEmpty ? 0 : -1))
            do {
                let facts = try StandardService.facts(input, occupation: occupation)
                results = std.eligibility(for: facts).map { l in
                    ResultRow(
                        level: req.t("level.\(l.level.rawValue)"), eligible: l.eligible, alreadyHeld: l.alreadyHeld,
                        satisfied: l.satisfiedBy.map { "\($0.id)：\(StandardService.describe($0, req))" },
                        reasons: l.clauses.map { c in
                            "\(c.clause.id)：" + c.shortfalls.map { req.t($0.key, $0.args) }.joined(separator: req.t("list.separator"))
                        })
                }
            } catch let f as ValidationFailure {
                for (k, v) in Page.errors(f, req) {
                    errors[k.replacingOccurrences(of: "certificates[0].yearsWorkedSince", with: "certificateYears")] = v
                }
            }
        }
        let latest =
            actor.organizationKind == .enterprise
            ? try await StandardService.latestEnterpriseStandard(occupation, organizationID: actor.organizationID, on: req.db) : nil
        let latestRequirements = latest.map { StandardService.response($0).requirements } ?? [:]
        let body = Body(
            code: occupation.code, name: occupation.name, edition: occupation.edition, workTypes: occupation.workTypeCount,
            document: std.documentNumber ?? req.t("standard.defaultTemplate"),
            levels: std.levels.map { l in
                let d = std.durations[l]
                return LevelRow(
                    level: req.t("level.\(l.rawValue)"),
                    clauses: std.eligibility.clauses(for: l).map { ClauseRow(id: $0.id, text: StandardService.describe($0, req)) },
                    theory: d?.theory ?? 0, practical: d?.practical ?? 0, review: d?.review ?? 0, needsReview: std.reviewLevels.contains(l))
            },
            levelNames: std.levels.map { req.t("level.\($0.rawValue)") },
            theoryWeights: std.theoryWeights.map { row in
                WeightRow(
                    area: req.t("standard.area.\(row.area)"),
                    cells: std.levels.map { WeightCell(level: req.t("level.\($0.rawValue)"), percent: row.percent[$0] ?? 0) })
            },
            skillWeights: std.skillWeights.map { row in
                WeightRow(
                    area: req.t("standard.area.\(row.area)"),
                    cells: std.levels.map { WeightCell(level: req.t("level.\($0.rawValue)"), percent: row.percent[$0] ?? 0) })
            },
            checked: checked && errors.isEmpty, results: results, form: form,
            certificateLevels: SkillLevel.certificated.map {
                ChoiceOption(value: $0.rawValue, label: req.t("level.\($0.rawValue)"), selected: form["certificateLevel"] == $0.rawValue)
            },
            educations: Page.options(Education.self, prefix: "education", selected: [form["education"] ?? ""], req),
            enterprise: latest.map { r in
                Version(
                    version: r.version, date: r.createdAt.map { Day($0).description } ?? "",
                    requirements: std.levels.compactMap { l in
                        latestRequirements[l.rawValue].map { ChoiceOption(value: req.t("level.\(l.rawValue)"), label: $0, selected: false) }
                    })
            },
            canEditEnterprise: Policy.grant(actor.role, .editEnterpriseStandard) != .none && actor.organizationKind == .enterprise,
            enterpriseAction: SiteURL.occupationEnterpriseStandards(occupation.code).path,
            enterpriseFields: std.levels.map {
                Field(level: $0.rawValue, name: req.t("level.\($0.rawValue)"), text: latestRequirements[$0.rawValue] ?? "")
            },
            checkAction: SiteURL.occupationCheck(occupation.code).path,
            errors: errors,
            ladder: SkillLevel.allCases.map {
                ChoiceOption(value: req.t("level.\($0.rawValue)"), label: req.t("levelRoute.\($0.route.rawValue)"), selected: false)
            })
        return try await Page.render("occupation", title: "\(occupation.name) \(occupation.code)", body, req, status: status)
    }

    static func saveEnterprise(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let occupation = try StandardService.occupation(req.parameters.get("code"))
        struct Raw: Content { var requirements: [String: String]? }
        let raw = try req.content.decode(Raw.self)
        return try await Page.attempt(req) {
            _ = try await StandardService(req.application).saveEnterpriseStandard(
                occupation, .init(requirements: raw.requirements), actor: actor)
            return Page.redirect(.occupationEnterpriseStandard(occupation.code), flash: "flash.enterpriseStandardSaved", req)
        } onFailure: { errors in
            try await render(req, errors: errors, status: .unprocessableEntity)
        }
    }

    // MARK: API

}
