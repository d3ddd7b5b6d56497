import Foundation

/// One person row of a roster (花名册) file, validated.
public struct RosterRow: Sendable, Equatable {
    public let line: Int
    public let name: String
    public let citizenID: CitizenID
    public let phone: String
    public let education: Education
    public let category: PersonCategory
}

/// A problem with one cell of a roster file: line number, column and a localization key.
public struct RosterError: Sendable, Equatable, Codable {
    public let line: Int
    public let column: String
    public let code: String
    public let args: [String]

    public init(line: Int, column: String, code: String, args: [String] = []) {
        self.line = line; self.column = column; self.code = code; self.args = args
    }
}

/// Validates a roster CSV: the columns are found by their Chinese or English header, every row is checked
/// (citizen ID, phone, education, category, duplicates inside the file), and the file is accepted only whole.
public enum RosterImport {
    public enum Column: String, Sendable, CaseIterable {
        case name, citizenId, phone, education, category

        /// Headers accepted for the column (compared after trimming, case-insensitive for Latin letters).
        public var headers: [String] {
            switch self {
            case .name: ["姓名", "name"]
            case .citizenId: ["身份证号", "身份证号码", "公民身份号码", "citizenid", "citizen id"]
            case .phone: ["手机号", "手机号码", "联系电话", "phone"]
            case .education: ["学历", "文化程度", "education"]
            case .category: ["人员类别", "类别", "category"]
            }
        }
    }

    /// Names users write for each education level.
    static let educationLabels: [String: Education] = [
        "小学": .primary, "初中": .juniorSecondary, "高中": .seniorSecondary, "普通高中": .seniorSecondary,
        "中专": .technicalSchool, "中职": .technicalSchool, "技工学校": .technicalSchool, "技校": .technicalSchool,
        "高级技工学校": .seniorTechnicalSchool, "技师学院": .technicianCollege, "大专": .associate, "专科": .associate, "高职": .associate,
        "本科": .bachelor, "大学本科": .bachelor, "硕士": .master, "研究生": .master, "博士": .doctorate,
    ]
    static let categoryLabels: [String: PersonCategory] = [
        "学生": .student, "在校生": .student, "职工": .employee, "在职职工": .employee, "员工": .employee, "求职者": .jobSeeker, "待业": .jobSeeker,
    ]

    public struct Result: Sendable {
        public let rows: [RosterRow]
        public let errors: [RosterError]
        public var isAcceptable: Bool { errors.isEmpty && !rows.isEmpty }
    }

    public static let maxRows = 200_000

    /// Cells rarely carry spaces: skip Foundation's trimming (slow per call on Linux) unless an end is blank.
    static func trimmed(_ s: String) -> String {
        guard let f = s.unicodeScalars.first, let l = s.unicodeScalars.last else { return s }
        let space = CharacterSet.whitespaces
        return space.contains(f) || space.contains(l) ? s.trimmingCharacters(in: .whitespaces) : s
    }

    public static func validate(_ records: [(line: Int, fields: [String])], today: Date = Date()) -> Result {
        guard let header = records.first else { return Result(rows: [], errors: [RosterError(line: 1, column: "", code: "import.empty")]) }
        let index = CSVHeader.index(header.fields, columns: Column.allCases, names: \.headers)
        let missing = Column.allCases.filter { index[$0] == nil }
        if !missing.isEmpty {
            return Result(rows: [], errors: missing.map { RosterError(line: header.line, column: $0.rawValue, code: "import.column.missing", args: [$0.headers[0]]) })
        }
        if records.count - 1 > maxRows {
            return Result(rows: [], errors: [RosterError(line: 1, column: "", code: "import.tooManyRows", args: [String(maxRows)])])
        }
        var rows: [RosterRow] = []
        rows.reserveCapacity(records.count - 1)
        var errors: [RosterError] = []
        var seen: [String: Int] = [:]
        let todayDay = Day(today)
        for record in records.dropFirst() {
            func cell(_ c: Column) -> String {
                let i = index[c]!
                return i < record.fields.count ? trimmed(record.fields[i]) : ""
            }
            var rowErrors: [RosterError] = []
            func fail(_ c: Column, _ code: String, _ args: [String] = []) { rowErrors.append(RosterError(line: record.line, column: c.rawValue, code: code, args: args)) }
            let name = cell(.name)
            if name.isEmpty { fail(.name, "field.required") } else if name.count > 50 { fail(.name, "field.tooLong", ["50"]) }
            var id: CitizenID?
            let rawID = cell(.citizenId)
            if rawID.isEmpty { fail(.citizenId, "field.required") } else {
                do { id = try CitizenID(rawID, today: todayDay) } catch { fail(.citizenId, error.rawValue) }
            }
            if let id {
                if let first = seen[id.value] { fail(.citizenId, "import.duplicateInFile", [String(first)]) } else { seen[id.value] = record.line }
            }
            var phone = ""
            let rawPhone = cell(.phone)
            if rawPhone.isEmpty { fail(.phone, "field.required") } else {
                do { phone = try PhoneNumber.normalise(rawPhone) } catch { fail(.phone, error.rawValue) }
            }
            let eduText = cell(.education)
            let education = Education(rawValue: eduText) ?? educationLabels[eduText]
            if education == nil { fail(.education, eduText.isEmpty ? "field.required" : "field.invalidChoice") }
            let catText = cell(.category)
            let category = PersonCategory(rawValue: catText) ?? categoryLabels[catText]
            if category == nil { fail(.category, catText.isEmpty ? "field.required" : "field.invalidChoice") }
            if rowErrors.isEmpty, let id, let education, let category {
                rows.append(RosterRow(line: record.line, name: name, citizenID: id, phone: phone, education: education, category: category))
            }
            errors += rowErrors
        }
        if rows.isEmpty && errors.isEmpty { errors.append(RosterError(line: 1, column: "", code: "import.empty")) }
        return Result(rows: rows, errors: errors)
    }
}
