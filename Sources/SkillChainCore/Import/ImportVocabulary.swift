import Foundation

/// How imports compare what a file says with the words they accept: ends trimmed, Latin letters lowercased,
/// full-width letters, digits and marks made half-width, spaces dropped and `／` `、` `|` read as `/`.
/// So `Level 4 / Intermediate worker`, `四级／中级工` and `level4` compare as written in the platform.
public enum ImportText {
    public static func key(_ raw: String) -> String {
        var out = ""
        out.reserveCapacity(raw.count)
        for scalar in raw.unicodeScalars {
            var s = scalar
            // Full-width ASCII (U+FF01…U+FF5E) → ASCII; the ideographic space is a space.
            if (0xFF01...0xFF5E).contains(s.value), let half = Unicode.Scalar(s.value - 0xFEE0) { s = half }
            if s.value == 0x3000 || CharacterSet.whitespacesAndNewlines.contains(s) || s == "_" { continue }
            if s == "、" || s == "|" { s = "/" }
            out.unicodeScalars.append(s)
        }
        return out.lowercased()
    }
}

/// The words accepted for each value of a coded column: its code, the labels the platform shows for it in each
/// language, and the variants people write. A cell naming one value in several words joined by `/`
/// (`技工学校/中专`, `四级/中级工`) is that value.
public struct ImportChoices<Value: Hashable & Sendable>: Sendable {
    public struct Entry: Sendable {
        public let value: Value
        /// The code first, then the labels and variants, as listed on import pages.
        public let words: [String]
    }
    public let entries: [Entry]
    private let lookup: [String: Value]
    /// What the platform's pages show for each value, per language.
    private let shown: [Value: [AppLocale: String]]

    public init(_ entries: [(Value, [String])], shown: [Value: [AppLocale: String]] = [:]) {
        self.entries = entries.map { Entry(value: $0.0, words: Self.unique($0.1)) }
        self.shown = shown
        var lookup: [String: Value] = [:]
        for (value, words) in entries {
            for w in words where lookup[ImportText.key(w)] == nil { lookup[ImportText.key(w)] = value }
        }
        self.lookup = lookup
    }

    static func unique(_ words: [String]) -> [String] {
        var seen: Set<String> = []
        return words.filter { !$0.isEmpty && seen.insert(ImportText.key($0)).inserted }
    }

    public func value(_ written: String) -> Value? {
        let k = ImportText.key(written)
        guard !k.isEmpty else { return nil }
        if let v = lookup[k] { return v }
        let parts = k.split(separator: "/").map(String.init).filter { !$0.isEmpty }
        guard parts.count > 1 else { return nil }
        let values = parts.map { lookup[$0] }
        guard let first = values.first ?? nil, values.allSatisfy({ $0 == first }) else { return nil }
        return first
    }

    /// The words listed for a value: the code and what the platform shows.
    public func words(for value: Value) -> [String] { entries.first { $0.value == value }?.words ?? [] }

    /// The value as the platform's pages show it in a language (its code when no label is known).
    public func label(_ value: Value, _ locale: AppLocale) -> String { shown[value]?[locale] ?? words(for: value).first ?? "" }

    /// Every accepted word for each value, the label in `locale` first.
    public func listed(_ locale: AppLocale) -> [[String]] {
        entries.map { e in
            let mine = label(e.value, locale)
            return [mine] + e.words.filter { ImportText.key($0) != ImportText.key(mine) }
        }
    }
}

/// Every coded column's accepted words, built from the platform's own labels in both languages (the catalogs)
/// and the variants people write in rosters and spreadsheets.
public struct ImportVocabulary: Sendable {
    public let education: ImportChoices<Education>
    public let category: ImportChoices<PersonCategory>
    public let level: ImportChoices<SkillLevel>
    public let post: ImportChoices<PayRecord.Post>
    public let questionKind: ImportChoices<QuestionKind>
    public let area: ImportChoices<String>
    /// Column headers: each column's own names plus its label on the platform's pages in both languages.
    let localizer: Localizer?

    /// `localizer` nil: codes and variants only (Core tests); the server passes its catalogs.
    public init(localizer: Localizer? = nil) {
        self.localizer = localizer
        func labels(_ key: String) -> [String] { AppLocale.allCases.compactMap { localizer?.catalogs[$0]?[key] } }
        func shown<E: Hashable>(_ values: [E], _ key: (E) -> String) -> [E: [AppLocale: String]] {
            Dictionary(
                uniqueKeysWithValues: values.map { v in
                    (v, Dictionary(uniqueKeysWithValues: AppLocale.allCases.compactMap { l in localizer?.catalogs[l]?[key(v)].map { (l, $0) } }))
                })
        }
        func choices<E: RawRepresentable & CaseIterable & Hashable & Sendable>(
            _: E.Type, prefix: String, variants: [E: [String]] = [:]
        ) -> ImportChoices<E> where E.RawValue == String {
            ImportChoices(
                E.allCases.map { ($0, [$0.rawValue] + labels("\(prefix).\($0.rawValue)") + (variants[$0] ?? [])) },
                shown: shown(Array(E.allCases)) { "\(prefix).\($0.rawValue)" })
        }
        education = choices(Education.self, prefix: "education", variants: Self.educationVariants)
        category = choices(PersonCategory.self, prefix: "category", variants: Self.categoryVariants)
        level = ImportChoices(
            SkillLevel.certificated.map { l in
                let n = l.certificateCode.map { ["\($0)", "\($0)级", "level \($0)"] } ?? []
                return (l, [l.rawValue] + labels("level.\(l.rawValue)") + n + (Self.levelVariants[l] ?? []))
            }, shown: shown(SkillLevel.certificated) { "level.\($0.rawValue)" })
        post = choices(PayRecord.Post.self, prefix: "payPost", variants: Self.postVariants)
        questionKind = choices(QuestionKind.self, prefix: "questionKind", variants: Self.kindVariants)
        let areas = ["basicRequirements", "relatedKnowledge", "skillRequirements"]
        area = ImportChoices(areas.map { ($0, [$0] + labels("standard.area.\($0)")) }, shown: shown(areas) { "standard.area.\($0)" })
    }

    static let educationVariants: [Education: [String]] = [
        .primary: ["小学"], .juniorSecondary: ["初中"], .seniorSecondary: ["高中", "普通高中"],
        .technicalSchool: ["中专", "中职", "技工学校", "技校", "中等专业学校", "中等职业学校"],
        .seniorTechnicalSchool: ["高级技工学校", "高技"], .technicianCollege: ["技师学院"],
        .associate: ["大专", "专科", "高职", "高职高专"], .bachelor: ["本科", "大学本科", "学士"], .master: ["硕士", "研究生", "硕士研究生"],
        .doctorate: ["博士", "博士研究生"],
    ]
    static let categoryVariants: [PersonCategory: [String]] = [
        .student: ["学生", "在校生", "在校学生"], .employee: ["职工", "在职职工", "员工", "在职"], .jobSeeker: ["求职者", "待业", "失业人员", "求职人员"],
    ]
    static let levelVariants: [SkillLevel: [String]] = [
        .level5: ["五级", "初级工", "初级"], .level4: ["四级", "中级工", "中级"], .level3: ["三级", "高级工"],
        .level2: ["二级", "技师"], .level1: ["一级", "高级技师"],
    ]
    static let postVariants: [PayRecord.Post: [String]] = [
        .skill: ["技能", "技能岗", "技能岗位", "skilled"], .management: ["管理", "管理岗", "管理岗位", "manager"],
    ]
    static let kindVariants: [QuestionKind: [String]] = [
        .single: ["单选", "单选题", "single choice"], .multiple: ["多选", "多选题", "multiple choice"],
        .trueFalse: ["判断", "判断题", "是非题", "true/false", "truefalse", "true or false"],
    ]

    /// The names accepted for a column: the given ones and the column's label on the platform's pages.
    public func headers(_ names: [String], label key: String?) -> [String] {
        names + (key.map { k in AppLocale.allCases.compactMap { localizer?.catalogs[$0]?[k] } } ?? [])
    }
}

/// Finds columns by header, compared as `ImportText.key` (so `Citizen ID`, `citizen id` and `CitizenID` are one).
public enum ImportHeader {
    public static func index<C: Hashable>(_ header: [String], columns: [C], names: (C) -> [String]) -> [C: Int] {
        var index: [C: Int] = [:]
        let keys = Dictionary(uniqueKeysWithValues: columns.map { c in (c, Set(names(c).map(ImportText.key))) })
        for (i, h) in header.enumerated() {
            let key = ImportText.key(h)
            if let c = columns.first(where: { keys[$0]!.contains(key) }), index[c] == nil { index[c] = i }
        }
        return index
    }

    /// Whether a first record is a header row: its first cell is one of the first column's names.
    public static func isHeader(_ record: [String], firstColumn names: [String]) -> Bool {
        guard let first = record.first else { return false }
        return Set(names.map(ImportText.key)).contains(ImportText.key(first))
    }
}
