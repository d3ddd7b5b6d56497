import Fluent
import Foundation
import SkillChainCore
import Vapor

struct PayBandInput: Content, Sendable {
    var level: String?
    var minimum: Int?
    var maximum: Int?
    var allowance: Int?
}
struct PayGridInput: Content, Sendable {
    var bands: [PayBandInput]?
    var middleManagerPay: Int?
    var seniorManagerPay: Int?
}

struct PayGridVersionResponse: Content {
    let version: Int
    let bands: [PayBand]
    let middleManagerPay: Int?
    let seniorManagerPay: Int?
    let savedAt: Date
}

struct PayGridResponse: Content {
    let organizationId: UUID
    let organizationName: String
    let bands: [PayBand]
    let middleManagerPay: Int?
    let seniorManagerPay: Int?
    let problems: [String]
}
struct PayBelowResponse: Content {
    let person: UUID?
    let name: String
    let citizenIdMasked: String
    let level: String
    let monthlyPay: Int
    let reference: Int
    let shortfall: Int
}
struct PayGrowthResponse: Content {
    let level: String
    let from: Int
    let to: Int
    let skillGrowth: Double
    let managementGrowth: Double
}
struct PayGapResponse: Content {
    let hasGrid: Bool
    let below: [PayBelowResponse]
    let growthBelowManagement: [PayGrowthResponse]
}

/// Skill-based pay (issue 6): the enterprise's grid by level (Core's `PayGrid` checks it), actual pay imported from
/// CSV (all rows or none, the roster import's rules), and the gap report against verified levels.
struct PayService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// The enterprise's saved pay grid, if any.
    static func savedGrid(of organization: UUID, on db: any Database) async throws -> PayGridRecord? {
        try await PayGridRecord.query(on: db).filter(\.$organizationID == organization).first()
    }

    static let maxPay = 10_000_000

    static func decodeBands(_ json: String) -> [PayBand] { (try? JSONDecoder().decode([PayBand].self, from: Data(json.utf8))) ?? [] }

    static func grid(_ r: PayGridRecord) -> PayGrid {
        PayGrid(bands: Self.decodeBands(r.bands), middleManagerPay: r.middleManagerPay, seniorManagerPay: r.seniorManagerPay)
    }

    func saveGrid(_ input: PayGridInput, actor: Actor) async throws -> PayGridRecord {
        try actor.require(.managePayGrid, actor.scope(owner: actor.organizationID))
        var v = Validator()
        var bands: [PayBand] = []
        for (i, b) in (input.bands ?? []).enumerated() {
            guard let level = v.oneOf("bands[\(i)].level", b.level, SkillLevel.self) else { continue }
            let field = "bands.\(level.rawValue)"
            let minimum = v.requiredCount("\(field).minimum", b.minimum, in: 1...Self.maxPay)
            let maximum = v.requiredCount("\(field).maximum", b.maximum, in: 1...Self.maxPay)
            let allowance = v.requiredCount("\(field).allowance", b.allowance, in: 0...Self.maxPay)
            bands.append(PayBand(level: level, minimum: minimum, maximum: maximum, allowance: allowance))
        }
        if (input.bands ?? []).isEmpty { v.add("bands", "field.required") }
        if let m = input.middleManagerPay, !(1...Self.maxPay).contains(m) {
            v.add("middleManagerPay", "field.outOfRange", ["1", String(Self.maxPay)])
        }
        if let m = input.seniorManagerPay, !(1...Self.maxPay).contains(m) {
            v.add("seniorManagerPay", "field.outOfRange", ["1", String(Self.maxPay)])
        }
        try v.check()
        let grid = PayGrid(bands: bands, middleManagerPay: input.middleManagerPay, seniorManagerPay: input.seniorManagerPay)
        let problems = grid.problems(app.config.payRules)
        if !problems.isEmpty {
            throw ValidationFailure(problems.map { FieldError($0.level.map { "bands.\($0.rawValue)" } ?? "bands", $0.code) })
        }
        let json = String(decoding: try JSONEncoder().encode(grid.bands), as: UTF8.self)
        let org = actor.organizationID
        return try await app.write { db in
            let r = try await PayGridRecord.query(on: db).filter(\.$organizationID == org).first() ?? PayGridRecord()
            r.organizationID = org
            r.bands = json
            r.middleManagerPay = input.middleManagerPay
            r.seniorManagerPay = input.seniorManagerPay
            try await r.save(on: db)
            // Each save is also kept as a numbered version, so the grid it replaces stays readable.
            let last =
                try await PayGridVersionRecord.query(on: db).filter(\.$organizationID == org).sort(\.$version, .descending).first()?.version ?? 0
            let kept = PayGridVersionRecord()
            kept.organizationID = org
            kept.version = last + 1
            kept.bands = json
            kept.middleManagerPay = input.middleManagerPay
            kept.seniorManagerPay = input.seniorManagerPay
            kept.savedAt = app.now
            kept.savedBy = actor.userID
            try await kept.create(on: db)
            try await AuditLog.append(
                .init(
                    action: "payGrid.saved", objectType: "organization", objectID: org.uuidString.lowercased(),
                    detail: ["version": String(kept.version)]), actor: actor, on: db, now: app.now)
            return r
        }
    }

    /// The enterprise's own grid; the bureau sees the grids of enterprises in its region (reference policy, not pay).
    static func grids(actor: Actor, on db: any Database) async throws -> [PayGridRecord] {
        let q = PayGridRecord.query(on: db)
        switch actor.role {
        case .platformAdmin: break
        case .governmentOfficer:
            let orgs = try await OrganizationRecord.query(on: db).filter(\.$regionCode =~ RegionCatalog.shared.prefix(of: actor.organizationRegion))
                .all().compactMap(\.id)
            q.filter(\.$organizationID ~~ orgs)
        default: q.filter(\.$organizationID == actor.organizationID)
        }
        return try await q.all()
    }

    /// Every saved version of the actor's own grid, newest first.
    static func versions(actor: Actor, on db: any Database) async throws -> [PayGridVersionRecord] {
        try await PayGridVersionRecord.query(on: db).filter(\.$organizationID == actor.organizationID).sort(\.$version, .descending).all()
    }

    // MARK: Actual pay

    /// A CSV of monthly pay (name, citizen ID, month `YYYY-MM`, monthly pay, post 技能/管理): every cell checked,
    /// holders in the registry, no month recorded twice; all rows or none.
    func importPay(_ bytes: [UInt8], actor: Actor, today: Day? = nil) async throws -> Int {
        let today = today ?? app.today
        try actor.require(.managePayGrid, actor.scope(owner: actor.organizationID))
        let text: String
        do { text = try TextDecoding.decode(bytes).text } catch { throw ValidationFailure([FieldError("file", error.rawValue)]) }
        let records: [(line: Int, fields: [String])]
        do { records = try CSV.parse(text) } catch { throw ValidationFailure([FieldError("file", "import.unterminatedQuote")]) }
        guard let header = records.first else { throw ValidationFailure([FieldError("file", "import.empty")]) }
        let columns: [(String, [String])] = [
            ("name", ["姓名", "name"]), ("citizenId", ["身份证号", "身份证号码", "citizenid", "citizen id"]),
            ("month", ["月份", "month"]), ("monthlyPay", ["月工资", "应发工资", "monthlypay", "monthly pay"]),
            ("post", ["岗位类别", "post"]),
        ]
        let words = ImportVocabulary(localizer: app.localizer)
        // Headers as the page and its templates name them, in either language.
        let labels = Dictionary(uniqueKeysWithValues: ImportFormat.pay.columns(words).map { ($0.key, $0.label) })
        let names = Dictionary(uniqueKeysWithValues: columns.map { ($0.0, words.headers($0.1, label: labels[$0.0])) })
        let index = ImportHeader.index(header.fields, columns: columns.map(\.0), names: { names[$0] ?? [] })
        var errors: [FieldError] = columns.filter { index[$0.0] == nil }.map { FieldError("file", "import.column.missing", [$0.1[0]]) }
        guard errors.isEmpty else { throw ValidationFailure(errors) }
        let org = actor.organizationID
        let people = try await PersonRecord.query(on: app.db).filter(\.$organizationID == org).all()
        var byIndex: [String: PersonRecord] = [:]
        for p in people where byIndex[p.citizenIDIndex] == nil { byIndex[p.citizenIDIndex] = p }
        let existing = Set(
            try await PayRecordRecord.query(on: app.db).filter(\.$organizationID == org).all().map { "\($0.citizenIDIndex)|\($0.month)|\($0.post)" })
        var seen: [String: Int] = [:]
        var rows: [[BulkValue]] = []
        let now = app.now
        for rec in records.dropFirst() where !rec.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            func cell(_ c: String) -> String {
                let i = index[c]!
                return i < rec.fields.count ? rec.fields[i].trimmingCharacters(in: .whitespaces) : ""
            }
            func fail(_ c: String, _ code: String, _ args: [String] = []) {
                errors.append(FieldError("file", "question.import.row", [String(rec.line), "@" + code] + args))
            }
            let before = errors.count
            var person: PersonRecord?
            var key = ""
            do {
                let id = try CitizenID(cell("citizenId"), today: today)
                key = app.personalData.blindIndex(id.value)
                person = byIndex[key]
                if person == nil {
                    fail("citizenId", "certificateImport.holderNotInRegistry")
                } else if person!.name != cell("name") {
                    fail("name", "certificateImport.nameMismatch", [person!.name])
                }
            } catch { fail("citizenId", cell("citizenId").isEmpty ? "field.required" : error.rawValue) }
            let month = ImportText.month(cell("month")) ?? ""
            let monthOK = !month.isEmpty && month <= String(today.description.prefix(7))
            if !monthOK { fail("month", "pay.month") }
            let pay = Int(cell("monthlyPay").replacingOccurrences(of: ",", with: ""))
            if pay == nil || !(1...Self.maxPay).contains(pay!) { fail("monthlyPay", "field.outOfRange", ["1", String(Self.maxPay)]) }
            let post = words.post.value(cell("post"))
            if post == nil { fail("post", cell("post").isEmpty ? "field.required" : "import.unknownValue", [cell("post")]) }
            guard errors.count == before, let person, let pay, let post else { continue }
            let unique = "\(key)|\(month)|\(post.rawValue)"
            if let first = seen[unique] {
                fail("month", "import.duplicateInFile", [String(first)])
                continue
            }
            seen[unique] = rec.line
            if existing.contains(unique) {
                fail("month", "pay.duplicateInDatabase")
                continue
            }
            rows.append([
                .uuid(app.random.uuid()), .uuid(org), .uuid(person.id!), .text(key), .text(month), .int(pay), .text(post.rawValue), .date(now),
            ])
        }
        if rows.isEmpty && errors.isEmpty { errors.append(FieldError("file", "import.empty")) }
        guard errors.isEmpty else { throw ValidationFailure(Array(errors.prefix(50))) }
        let ready = rows
        try await app.write { db in
            try await BulkInsert.run(
                PayRecordRecord.schema,
                columns: ["id", "organization_id", "person_id", "citizen_id_index", "month", "monthly_pay", "post", "created_at"],
                rows: ready, on: db)
            try await AuditLog.append(
                .init(
                    action: "pay.imported", objectType: "organization", objectID: org.uuidString.lowercased(),
                    detail: ["rows": String(ready.count)]), actor: actor, on: db, now: app.now)
        }
        return ready.count
    }

    /// The highest level a person holds on a certificate valid today (any body; any occupation, or one of
    /// `occupations`), by citizen-ID index.
    static func verifiedLevels(_ indexes: Set<String>, occupations: Set<String>? = nil, on db: any Database, today: Day) async throws
        -> [String: SkillLevel]
    {
        let certs = try await CertificateStore(db).validFacts(of: indexes, occupations: occupations)
        var held: [String: [CertificateFact]] = [:]
        for c in certs {
            guard let level = SkillLevel(rawValue: c.level),
                let status = CertificateFact.Status.today(stored: c.status, validUntil: c.validUntil.flatMap(Day.init), on: today)
            else { continue }
            held[c.citizenIDIndex, default: []].append(CertificateFact(occupationCode: c.occupationCode, level: level, status: status))
        }
        return held.compactMapValues(CertificateFact.highestValidLevel)
    }

    static func gaps(actor: Actor, on db: any Database, today: Day) async throws -> PayGapResponse {
        try actor.require(.managePayGrid, actor.scope(owner: actor.organizationID))
        let org = actor.organizationID
        let records = try await PayRecordRecord.query(on: db).filter(\.$organizationID == org).all()
        let levels = try await Self.verifiedLevels(Set(records.map(\.citizenIDIndex)), on: db, today: today)
        let pay = records.map {
            PayRecord(
                personKey: $0.citizenIDIndex, level: levels[$0.citizenIDIndex], month: $0.month, monthlyPay: $0.monthlyPay,
                post: PayRecord.Post(rawValue: $0.post) ?? .skill)
        }
        let growth = PayGap.growthBelowManagement(pay).map {
            PayGrowthResponse(level: $0.level.rawValue, from: $0.from, to: $0.to, skillGrowth: $0.skillGrowth, managementGrowth: $0.managementGrowth)
        }
        guard let gridRecord = try await PayGridRecord.query(on: db).filter(\.$organizationID == org).first() else {
            return PayGapResponse(hasGrid: false, below: [], growthBelowManagement: growth)
        }
        let below = PayGap.below(pay.filter { $0.post == .skill }, grid: Self.grid(gridRecord))
        let people = try await PersonRecord.query(on: db).filter(\.$organizationID == org).filter(\.$citizenIDIndex ~~ Set(below.map(\.personKey)))
            .all()
        let byIndex = Dictionary(people.map { ($0.citizenIDIndex, $0) }, uniquingKeysWith: { a, _ in a })
        return PayGapResponse(
            hasGrid: true,
            below: below.map { b in
                PayBelowResponse(
                    person: byIndex[b.personKey]?.id, name: byIndex[b.personKey]?.name ?? "",
                    citizenIdMasked: byIndex[b.personKey]?.citizenIDMasked ?? "",
                    level: b.level.rawValue, monthlyPay: b.monthlyPay, reference: b.reference, shortfall: b.shortfall)
            }, growthBelowManagement: growth)
    }
}
