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
        self.line = line
        self.column = column
        self.code = code
        self.args = args
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

        /// The column's label on the platform's pages (its header in a downloaded template).
        public var labelKey: String { "person.\(rawValue)" }
    }

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

    /// `vocabulary` gives the words accepted for education and category (the server passes its catalogs' labels).
    public static func validate(
        _ records: [(line: Int, fields: [String])], today: Date = Date(),
        vocabulary: ImportVocabulary = ImportVocabulary()
    ) -> Result {
        guard let header = records.first else { return Result(rows: [], errors: [RosterError(line: 1, column: "", code: "import.empty")]) }
        let index = ImportHeader.index(header.fields, columns: Column.allCases) { vocabulary.headers($0.headers, label: $0.labelKey) }
        let missing = Column.allCases.filter { index[$0] == nil }
        if !missing.isEmpty {
            return Result(
                rows: [],
                errors: missing.map { RosterError(line: header.line, column: $0.rawValue, code: "import.column.missing", args: [$0.headers[0]]) })
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
                do { id = try CitizenID(rawID, today: todayDay) } catch { fail(.citizenId, error.rawValue) }
            }
            if let id {
                if let first = seen[id.value] { fail(.citizenId, "import.duplicateInFile", [String(first)]) } else { seen[id.value] = record.line }
            }
            var phone = ""
            let rawPhone = cell(.phone)
            if rawPhone.isEmpty {
                fail(.phone, "field.required")
            } else {
                do { phone = try PhoneNumber.normalise(rawPhone) } catch { fail(.phone, error.rawValue) }
            }
            let eduText = cell(.education)
            let education = vocabulary.education.value(eduText)
            if education == nil { fail(.education, eduText.isEmpty ? "field.required" : "import.unknownValue", [eduText]) }
            let catText = cell(.category)
            let category = vocabulary.category.value(catText)
            if category == nil { fail(.category, catText.isEmpty ? "field.required" : "import.unknownValue", [catText]) }
            if rowErrors.isEmpty, let id, let education, let category {
                rows.append(RosterRow(line: record.line, name: name, citizenID: id, phone: phone, education: education, category: category))
            }
            errors += rowErrors
        }
        if rows.isEmpty && errors.isEmpty { errors.append(RosterError(line: 1, column: "", code: "import.empty")) }
        return Result(rows: rows, errors: errors)
    }
}
