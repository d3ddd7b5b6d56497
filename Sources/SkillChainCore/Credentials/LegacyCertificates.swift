import Foundation

/// A certificate a body issued before it used the platform (on paper or in another system), as imported.
public struct LegacyCertificateRow: Sendable, Equatable {
    public let line: Int
    public let name: String
    public let citizenID: CitizenID
    public let occupationCode: String
    /// The work type (工种) or `--`.
    public let workType: String
    public let level: SkillLevel
    public let issued: Day
    public let number: CertificateNumber
}

/// Checks a CSV of existing certificates: every cell, all rows or none (errors reported per line and column, like the
/// roster import). National numbers must agree with the level and year written beside them; 16-digit qualification
/// numbers and 13-digit Shanghai numbers (padded with `000`) are accepted as they are.
public enum LegacyCertificateImport {
    public enum Column: String, Sendable, CaseIterable {
        case name, citizenId, occupationCode, workType, level, issueDate, number

        public var headers: [String] {
            switch self {
            case .name: ["姓名", "name"]
            case .citizenId: ["身份证号", "身份证号码", "公民身份号码", "证件号码", "citizenid", "citizen id"]
            case .occupationCode: ["职业编码", "职业代码", "occupationcode", "occupation code"]
            case .workType: ["工种", "工种名称", "worktype", "work type"]
            case .level: ["等级", "技能等级", "职业技能等级", "level"]
            case .issueDate: ["发证日期", "发证时间", "issuedate", "issue date"]
            case .number: ["证书编号", "证书号码", "number", "certificate number"]
            }
        }

        /// The column's label on the platform's pages (its header in a downloaded template).
        public var labelKey: String {
            switch self {
            case .name: "person.name"
            case .citizenId: "person.citizenId"
            case .occupationCode: "occupations.code"
            case .workType: "certificate.workType"
            case .level: "batch.level"
            case .issueDate: "certificate.issueDate"
            case .number: "certificate.number"
            }
        }

        /// The work type may be left out (`--` is printed).
        public var isRequired: Bool { self != .workType }
    }

    public static let maxRows = 50_000
    /// The vocational qualification certificate system began in 1994 (《劳动法》).
    public static let earliest = Day(year: 1994, month: 1, day: 1)

    public struct Result: Sendable {
        public let rows: [LegacyCertificateRow]
        public let errors: [RosterError]
        public var isAcceptable: Bool { errors.isEmpty && !rows.isEmpty }
    }

    /// `knownOccupation` answers whether a code is in the catalogue.
    public static func validate(
        _ records: [(line: Int, fields: [String])], knownOccupation: (String) -> Bool, today: Day,
        vocabulary: ImportVocabulary = ImportVocabulary()
    ) -> Result {
        guard let header = records.first else { return Result(rows: [], errors: [RosterError(line: 1, column: "", code: "import.empty")]) }
        let index = ImportHeader.index(header.fields, columns: Column.allCases) { vocabulary.headers($0.headers, label: $0.labelKey) }
        let missing = Column.allCases.filter { $0.isRequired && index[$0] == nil }
        if !missing.isEmpty {
            return Result(
                rows: [],
                errors: missing.map { RosterError(line: header.line, column: $0.rawValue, code: "import.column.missing", args: [$0.headers[0]]) })
        }
        if records.count - 1 > maxRows {
            return Result(rows: [], errors: [RosterError(line: 1, column: "", code: "import.tooManyRows", args: [String(maxRows)])])
        }
        var rows: [LegacyCertificateRow] = []
        var errors: [RosterError] = []
        var seenNumbers: [String: Int] = [:]
        for record in records.dropFirst() where !record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            func cell(_ c: Column) -> String {
                guard let i = index[c], i < record.fields.count else { return "" }
                return record.fields[i].trimmingCharacters(in: .whitespaces)
            }
            var rowErrors: [RosterError] = []
            func fail(_ c: Column, _ code: String, _ args: [String] = []) {
                rowErrors.append(RosterError(line: record.line, column: c.rawValue, code: code, args: args))
            }
            let name = cell(.name)
            if name.isEmpty { fail(.name, "field.required") } else if name.count > 50 { fail(.name, "field.tooLong", ["50"]) }
            var id: CitizenID?
            let rawID = cell(.citizenId)
            if rawID.isEmpty {
                fail(.citizenId, "field.required")
            } else {
                do { id = try CitizenID(rawID, today: today) } catch { fail(.citizenId, error.rawValue) }
            }
            let code = cell(.occupationCode)
            if code.isEmpty {
                fail(.occupationCode, "field.required")
            } else if !knownOccupation(code) {
                fail(.occupationCode, "occupation.unknown", [code])
            }
            var workType = cell(.workType)
            if workType.isEmpty { workType = "--" } else if workType.count > 50 { fail(.workType, "field.tooLong", ["50"]) }
            let levelText = cell(.level)
            let level = vocabulary.level.value(levelText) ?? SkillLevel(written: levelText)
            if level == nil { fail(.level, levelText.isEmpty ? "field.required" : "import.unknownValue", [levelText]) }
            let dateText = cell(.issueDate).replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".", with: "-")
            let issued = Day(dateText)
            if dateText.isEmpty {
                fail(.issueDate, "field.required")
            } else if let issued {
                if issued > today {
                    fail(.issueDate, "certificateImport.issueDate.future")
                } else if issued < earliest {
                    fail(.issueDate, "certificateImport.issueDate.tooEarly", [earliest.description])
                }
            } else {
                fail(.issueDate, "field.date")
            }
            var number: CertificateNumber?
            let rawNumber = cell(.number)
            if rawNumber.isEmpty {
                fail(.number, "field.required")
            } else {
                do { number = try CertificateNumber(rawNumber) } catch { fail(.number, error.rawValue) }
            }
            if let number {
                if let first = seenNumbers[number.value] {
                    fail(.number, "import.duplicateInFile", [String(first)])
                } else {
                    seenNumbers[number.value] = record.line
                }
                if number.format == .national {
                    if let level, let l = number.level, l != level { fail(.number, "certificateNumber.levelMismatch") }
                    if let issued, let y = number.year, y != issued.year { fail(.number, "certificateNumber.yearMismatch") }
                }
            }
            if rowErrors.isEmpty, let id, let level, let issued, let number {
                rows.append(
                    LegacyCertificateRow(
                        line: record.line, name: name, citizenID: id, occupationCode: code, workType: workType,
                        level: level, issued: issued, number: number))
            }
            errors += rowErrors
        }
        if rows.isEmpty && errors.isEmpty { errors.append(RosterError(line: 1, column: "", code: "import.empty")) }
        return Result(rows: rows, errors: errors)
    }
}
