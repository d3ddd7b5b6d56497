import Foundation

/// One column of an import file as its page explains it and its template writes it.
public struct ImportColumn: Sendable {
    /// Stable name of the column (the error report's column).
    public let key: String
    /// Catalog key of the column's header: the template's header in each language, also accepted on import.
    public let label: String
    /// Catalog key saying what to write in it.
    public let note: String
    public let required: Bool
    /// For a coded column, the words accepted for each value, per language of the page listing them (the value's label
    /// in that language first); nil for free text, numbers and dates.
    let listed: [AppLocale: [[String]]]?
    /// The accepted words for each value as a page in `locale` lists them.
    public func choices(_ locale: AppLocale) -> [[String]]? { listed.map { $0[locale] ?? [] } }
    /// The example row's cell, per language.
    public let example: [AppLocale: String]
}

/// The imports and their columns, in file order, from Core's rules and the vocabulary's accepted words. Each import
/// page lists these columns and offers a template per language (header and an example row) built from them.
public enum ImportFormat: String, Sendable, CaseIterable {
    case roster, registrations, scores, questions, pay, certificates

    /// Whether the import finds columns by header (any order) rather than by position.
    public var columnsByHeader: Bool { [.roster, .pay, .certificates].contains(self) }

    public func columns(_ v: ImportVocabulary) -> [ImportColumn] {
        func col(_ key: String, _ label: String, required: Bool = true, choices: [AppLocale: [[String]]]? = nil, _ zh: String, _ en: String)
            -> ImportColumn
        {
            ImportColumn(
                key: key, label: label, note: "importColumn.\(rawValue).\(key)", required: required, listed: choices,
                example: [.zhHans: zh, .en: en])
        }
        func words<V>(_ c: ImportChoices<V>) -> [AppLocale: [[String]]] { [.zhHans: c.listed(.zhHans), .en: c.listed(.en)] }
        func label<V>(_ c: ImportChoices<V>, _ value: V, _ locale: AppLocale) -> String { c.label(value, locale) }
        let id = "11010519491231002X"
        switch self {
        case .roster:
            return [
                col("name", "person.name", "张伟", "Zhang Wei"), col("citizenId", "person.citizenId", id, id),
                col("phone", "person.phone", "13800138000", "13800138000"),
                col(
                    "education", "person.education", choices: words(v.education),
                    label(v.education, .technicalSchool, .zhHans), label(v.education, .technicalSchool, .en)),
                col(
                    "category", "person.category", choices: words(v.category),
                    label(v.category, .employee, .zhHans), label(v.category, .employee, .en)),
            ]
        case .registrations:
            return [
                col("citizenId", "person.citizenId", id, id), col("clauseId", "importColumn.registrations.clauseId.label", "A-4-1", "A-4-1"),
                col("yearsInOccupation", "importColumn.registrations.yearsInOccupation.label", required: false, "3", "3"),
                col(
                    "certificateOccupationCode", "importColumn.registrations.certificateOccupationCode.label", required: false,
                    "6-25-04-07", "6-25-04-07"),
                col(
                    "certificateLevel", "importColumn.registrations.certificateLevel.label", required: false, choices: words(v.level),
                    label(v.level, .level5, .zhHans), label(v.level, .level5, .en)),
                col("certificateYears", "importColumn.registrations.certificateYears.label", required: false, "2", "2"),
                col("department", "importColumn.registrations.department.label", required: false, "装配车间", "Assembly shop"),
            ]
        case .scores:
            return [col("citizenId", "person.citizenId", id, id), col("score", "importColumn.scores.score.label", "86.5", "86.5")]
        case .questions:
            let options = ["A", "B", "C", "D", "E", "F"].enumerated().map { i, letter in
                ImportColumn(
                    key: letter, label: "importColumn.questions.option.\(letter)", note: "importColumn.questions.option",
                    required: false, listed: nil,
                    example: i == 0
                        ? [.zhHans: "36 V", .en: "36 V"]
                        : i == 1
                            ? [.zhHans: "220 V", .en: "220 V"]
                            : i == 2 ? [.zhHans: "380 V", .en: "380 V"] : [.zhHans: "", .en: ""])
            }
            return [
                col(
                    "kind", "importColumn.questions.kind.label", choices: words(v.questionKind),
                    label(v.questionKind, .single, .zhHans), label(v.questionKind, .single, .en)),
                col(
                    "area", "importColumn.questions.area.label", choices: words(v.area),
                    label(v.area, "relatedKnowledge", .zhHans), label(v.area, "relatedKnowledge", .en)),
                col("tags", "importColumn.questions.tags.label", required: false, "安全;用电", "safety;electricity"),
                col("stem", "importColumn.questions.stem.label", "我国规定的安全电压上限是多少？", "What is the safety voltage limit in China?"),
            ] + options + [col("answer", "importColumn.questions.answer.label", "A", "A")]
        case .pay:
            return [
                col("name", "person.name", "张伟", "Zhang Wei"), col("citizenId", "person.citizenId", id, id),
                col("month", "importColumn.pay.month.label", "2026-05", "2026-05"),
                col("monthlyPay", "importColumn.pay.monthlyPay.label", "6800", "6800"),
                col("post", "importColumn.pay.post.label", choices: words(v.post), label(v.post, .skill, .zhHans), label(v.post, .skill, .en)),
            ]
        case .certificates:
            return [
                col("name", "person.name", "张伟", "Zhang Wei"), col("citizenId", "person.citizenId", id, id),
                col("occupationCode", "occupations.code", "6-25-04-07", "6-25-04-07"),
                col("workType", "certificate.workType", required: false, "", ""),
                col("level", "batch.level", choices: words(v.level), label(v.level, .level4, .zhHans), label(v.level, .level4, .en)),
                col("issueDate", "certificate.issueDate", "2019-06-30", "2019-06-30"),
                col("number", "certificate.number", "1944190301400012", "1944190301400012"),
            ]
        }
    }

    /// The template file in a language: the header row and the example row, as CSV with a byte order mark so that
    /// Excel opens it as UTF-8.
    public func template(_ v: ImportVocabulary, localizer: Localizer, locale: AppLocale) -> String {
        let columns = columns(v)
        let header = columns.map { c in localizer.catalogs[locale]?[c.label] ?? c.key }
        let example = columns.map { $0.example[locale] ?? "" }
        return "\u{FEFF}" + CSV.line(header) + "\r\n" + CSV.line(example) + "\r\n"
    }

    /// Whether the first record is the header row of a positional import: its first cell names the first column
    /// (a code or its header in either language).
    public func isHeader(_ record: [String], _ v: ImportVocabulary, extra: [String] = []) -> Bool {
        guard let first = columns(v).first else { return false }
        let known = first.key == "citizenId" ? RosterImport.Column.citizenId.headers : []
        return ImportHeader.isHeader(record, firstColumn: v.headers([first.key] + known + extra, label: first.label))
    }
}

extension ImportText {
    /// A month as `YYYY-MM` from `2026-05`, `2026-5`, `2026/05`, `2026.05`, `202605` or `2026年5月`; nil otherwise.
    public static func month(_ raw: String) -> String? {
        let t = key(raw).replacingOccurrences(of: "年", with: "-").replacingOccurrences(of: "月", with: "")
            .replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ".", with: "-")
        let parts: [Substring]
        if !t.contains("-"), t.count == 6, t.allSatisfy(\.isASCII) {
            parts = [t.prefix(4), t.suffix(2)]
        } else {
            parts = t.split(separator: "-", omittingEmptySubsequences: false)
        }
        guard parts.count == 2, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m), (1900...9999).contains(y)
        else { return nil }
        return String(format: "%04d-%02d", y, m)
    }
}
