import Fluent
import Foundation
import SkillChainCore
import Vapor

struct EnterpriseStandardInput: Content, Sendable {
    /// Work requirements per level (`level5` … `level1`).
    var requirements: [String: String]?
}

struct EligibilityInput: Content, Sendable {
    struct Certificate: Content, Sendable {
        var occupationCode: String?
        var level: String?
        var yearsWorkedSince: Double?
    }
    var certificates: [Certificate]?
    var yearsInOccupation: Double?
    var education: String?
    var isFinalYearStudent: Bool?
    var completedApprenticeship: Bool?
    var hasPreTechnicianCertificate: Bool?
    var yearsSincePreTechnician: Double?
}

struct EnterpriseStandardResponse: Content {
    let version: Int
    let requirements: [String: String]
    let createdAt: Date?
}

struct StandardResponse: Content {
    struct Clause: Content {
        let id: String
        let level: String
        let certificate: String?
        let years: Double
        let education: String?
        let finalYearStudentsCount: Bool
        let completedApprenticeship: Bool
        let preTechnicianCertificate: Bool
    }
    struct WeightRow: Content {
        let area: String
        let percent: [String: Int]
    }
    struct Durations: Content {
        let theory: Int
        let practical: Int
        let review: Int
    }
    let occupationCode: String
    let occupationName: String
    let edition: String
    let documentNumber: String?
    let levels: [String]
    let eligibilityTemplate: String
    let clauses: [Clause]
    let theoryWeights: [WeightRow]
    let skillWeights: [WeightRow]
    let durations: [String: Durations]
    let reviewLevels: [String]
    let enterpriseStandard: EnterpriseStandardResponse?

    init(_ s: OccupationalStandard, name: String, enterprise: EnterpriseStandardResponse?) {
        occupationCode = s.occupationCode
        occupationName = name
        edition = s.edition
        documentNumber = s.documentNumber
        levels = s.levels.map(\.rawValue)
        eligibilityTemplate = s.eligibility.id
        clauses = s.eligibility.clauses.map {
            Clause(
                id: $0.id, level: $0.level.rawValue, certificate: $0.certificate?.rawValue, years: $0.years, education: $0.education?.rawValue,
                finalYearStudentsCount: $0.finalYearStudentsCount, completedApprenticeship: $0.completedApprenticeship,
                preTechnicianCertificate: $0.preTechnicianCertificate)
        }
        let row: (OccupationalStandard.WeightRow) -> WeightRow = { r in
            WeightRow(area: r.area, percent: Dictionary(uniqueKeysWithValues: r.percent.map { ($0.key.rawValue, $0.value) }))
        }
        theoryWeights = s.theoryWeights.map(row)
        skillWeights = s.skillWeights.map(row)
        durations = Dictionary(
            uniqueKeysWithValues: s.durations.map {
                ($0.key.rawValue, Durations(theory: $0.value.theory, practical: $0.value.practical, review: $0.value.review))
            })
        reviewLevels = s.reviewLevels.map(\.rawValue)
        enterpriseStandard = enterprise
    }
}

struct EligibilityResponse: Content {
    struct Shortfall: Content {
        let code: String
        let args: [String]
        let message: String
    }
    struct Clause: Content {
        let id: String
        let satisfied: Bool
        let shortfalls: [Shortfall]
    }
    struct Level: Content {
        let level: String
        let eligible: Bool
        let alreadyHeld: Bool
        let satisfiedBy: String?
        let clauses: [Clause]
    }
    let occupationCode: String
    let levels: [Level]
}

struct StandardService {
    let app: Application

    init(_ app: Application) { self.app = app }

    static func occupation(_ code: String?) throws -> Occupation {
        guard let code, let o = OccupationCatalog.edition2022.occupation(code) else { throw DomainError.notFound }
        return o
    }

    static func latestEnterpriseStandard(_ occupation: Occupation, organizationID: UUID, on db: any Database) async throws
        -> EnterpriseStandardRecord?
    {
        try await EnterpriseStandardRecord.query(on: db).filter(\.$organizationID == organizationID)
            .filter(\.$occupationEdition == occupation.edition).filter(\.$occupationCode == occupation.code)
            .sort(\.$version, .descending).first()
    }

    static func response(_ r: EnterpriseStandardRecord) -> EnterpriseStandardResponse {
        EnterpriseStandardResponse(
            version: r.version, requirements: (try? JSONDecoder().decode([String: String].self, from: Data(r.requirements.utf8))) ?? [:],
            createdAt: r.createdAt)
    }

    /// Saves a new version of the acting enterprise's own standard for an occupation; earlier versions are kept.
    func saveEnterpriseStandard(_ occupation: Occupation, _ input: EnterpriseStandardInput, actor: Actor) async throws
        -> EnterpriseStandardRecord
    {
        var v = Validator()
        let offered = Set(StandardLibrary.standard(for: occupation).levels.map(\.rawValue))
        var requirements: [String: String] = [:]
        for (key, text) in input.requirements ?? [:] {
            guard offered.contains(key) else {
                v.add("requirements", "standard.enterprise.unknownLevel", [key])
                continue
            }
            if let t = v.optional("requirements.\(key)", text, max: 5000) { requirements[key] = t }
        }
        if requirements.isEmpty && v.errors.isEmpty { v.add("requirements", "standard.enterprise.empty") }
        if actor.organizationKind != .enterprise { v.add("requirements", "position.owner.mustBeEnterprise") }
        try v.check()
        let json = String(decoding: try JSONEncoder().encode(requirements), as: UTF8.self)
        return try await app.write { db in
            let latest = try await Self.latestEnterpriseStandard(occupation, organizationID: actor.organizationID, on: db)
            let r = EnterpriseStandardRecord()
            r.organizationID = actor.organizationID
            r.occupationEdition = occupation.edition
            r.occupationCode = occupation.code
            r.version = (latest?.version ?? 0) + 1
            r.requirements = json
            try await r.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "standard.enterpriseVersion", objectType: "occupation", objectID: occupation.code,
                    detail: ["version": String(r.version)]), actor: actor, on: db, now: app.now)
            return r
        }
    }

    static func facts(_ input: EligibilityInput, occupation: Occupation) throws -> CandidateFacts {
        var v = Validator()
        func years(_ field: String, _ value: Double?) -> Double {
            let y = value ?? 0
            if !(0...80).contains(y) || y.isNaN { v.add(field, "field.outOfRange", ["0", "80"]) }
            return y
        }
        var certificates: [HeldCertificate] = []
        for (i, c) in (input.certificates ?? []).enumerated() {
            let level = SkillLevel(rawValue: c.level ?? "")
            if level == nil || level?.certificateCode == nil { v.add("certificates[\(i)].level", "field.invalidChoice") }
            let code = (c.occupationCode ?? occupation.code).trimmingCharacters(in: .whitespaces)
            if OccupationCatalog.edition2022.occupation(code) == nil { v.add("certificates[\(i)].occupationCode", "occupation.unknown") }
            let y = years("certificates[\(i)].yearsWorkedSince", c.yearsWorkedSince)
            if let level { certificates.append(HeldCertificate(occupationCode: code, level: level, yearsWorkedSince: y)) }
        }
        var education: Education?
        if let e = input.education, !e.isEmpty {
            education = Education(rawValue: e)
            if education == nil { v.add("education", "field.invalidChoice") }
        }
        let facts = CandidateFacts(
            certificates: certificates, yearsInOccupation: years("yearsInOccupation", input.yearsInOccupation), education: education,
            isFinalYearStudent: input.isFinalYearStudent ?? false, completedApprenticeship: input.completedApprenticeship ?? false,
            hasPreTechnicianCertificate: input.hasPreTechnicianCertificate ?? false,
            yearsSincePreTechnician: years("yearsSincePreTechnician", input.yearsSincePreTechnician))
        try v.check()
        return facts
    }

    static func eligibility(_ occupation: Occupation, _ facts: CandidateFacts, _ req: Request) -> EligibilityResponse {
        EligibilityResponse(
            occupationCode: occupation.code,
            levels: StandardLibrary.standard(for: occupation).eligibility(for: facts).map { l in
                EligibilityResponse.Level(
                    level: l.level.rawValue, eligible: l.eligible, alreadyHeld: l.alreadyHeld, satisfiedBy: l.satisfiedBy?.id,
                    clauses: l.clauses.map { c in
                        .init(
                            id: c.clause.id, satisfied: c.satisfied,
                            shortfalls: c.shortfalls.map { .init(code: $0.key, args: $0.args, message: req.t($0.key, $0.args)) })
                    })
            })
    }

    /// A clause in words: "持有四级/中级工及以上证书，取得后从事本职业满 2 年，大专及以上学历".
    static func describe(_ c: EligibilityClause, _ req: Request) -> String {
        var parts: [String] = []
        if c.isContestRoute { return req.t("clause.contest", ["@level.\(c.level.rawValue)"]) }
        if let cert = c.certificate {
            parts.append(req.t("clause.certificate", ["@level.\(cert.rawValue)"]))
            if c.years > 0 { parts.append(req.t("clause.yearsSince", [Shortfall.years(required: c.years, actual: 0).args[0]])) }
        } else if c.preTechnicianCertificate {
            parts.append(req.t("clause.preTechnician"))
            if c.years > 0 { parts.append(req.t("clause.yearsSince", [Shortfall.years(required: c.years, actual: 0).args[0]])) }
        } else if c.years > 0 {
            parts.append(req.t("clause.years", [Shortfall.years(required: c.years, actual: 0).args[0]]))
        }
        if let e = c.education {
            parts.append(
                req.t(c.finalYearStudentsCount ? "clause.educationOrFinalYear" : "clause.education", ["@education.requirement.\(e.rawValue)"]))
        }
        if c.completedApprenticeship { parts.append(req.t("clause.apprenticeship")) }
        return parts.joined(separator: req.t("list.separator"))
    }
}
