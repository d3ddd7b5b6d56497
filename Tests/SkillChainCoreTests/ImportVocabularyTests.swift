import Foundation
import SkillChainCore
import Testing

/// Imports accept the platform's own words (issue 15): the labels its pages show in both languages, the usual variants,
/// several words for one value joined by a slash, full-width characters and English headers.
@Suite struct ImportVocabularyTests {
    /// The labels as the catalogs have them (a few, so that the test does not need the server's files).
    static let localizer = Localizer(catalogs: [
        .zhHans: [
            "education.technicalSchool": "技工学校/中专", "category.employee": "在职职工", "level.level4": "四级/中级工",
            "standard.area.relatedKnowledge": "相关知识要求", "questionKind.trueFalse": "判断题", "payPost.skill": "技能岗位",
            "person.citizenId": "公民身份号码", "person.education": "学历",
        ],
        .en: [
            "education.technicalSchool": "Technical school", "category.employee": "Employee", "level.level4": "Level 4 / Intermediate worker",
            "standard.area.relatedKnowledge": "Related knowledge", "questionKind.trueFalse": "True or false", "payPost.skill": "Skilled post",
            "person.citizenId": "Citizen ID number", "person.education": "Education",
        ],
    ])

    @Test func coded_cells_accept_the_labels_the_platform_shows_in_both_languages_and_their_variants() {
        let v = ImportVocabulary(localizer: Self.localizer)
        for written in ["技工学校/中专", "技工学校／中专", "中专", "技校", "Technical school", "technical school", "technicalSchool", " 中专 "] {
            #expect(v.education.value(written) == .technicalSchool, "\(written)")
        }
        #expect(v.education.value("中专/本科") == nil)  // two different levels: not a value
        #expect(v.education.value("幼儿园") == nil && v.education.value("") == nil)
        #expect(v.category.value("在职职工") == .employee && v.category.value("EMPLOYEE") == .employee && v.category.value("职工") == .employee)
        for written in ["四级/中级工", "Level 4 / Intermediate worker", "level4", "4", "四级", "中级工", "Level 4", "４"] {
            #expect(v.level.value(written) == .level4, "\(written)")
        }
        #expect(v.area.value("相关知识要求") == "relatedKnowledge" && v.area.value("Related knowledge") == "relatedKnowledge")
        #expect(v.questionKind.value("判断题") == .trueFalse && v.questionKind.value("True or false") == .trueFalse)
        #expect(v.post.value("技能岗位") == .skill && v.post.value("Skilled post") == .skill && v.post.value("管理") == .management)
    }

    @Test func a_roster_in_the_platforms_own_words_imports_with_chinese_or_english_headers() throws {
        let v = ImportVocabulary(localizer: Self.localizer)
        let id = "11010519491231002X"
        let zh = try CSV.parse("姓名,公民身份号码,手机号码,学历,人员类别\n张伟,\(id),13800138000,技工学校/中专,在职职工\n")
        let zhResult = RosterImport.validate(zh, vocabulary: v)
        #expect(zhResult.errors.isEmpty && zhResult.rows.first?.education == .technicalSchool && zhResult.rows.first?.category == .employee)
        let en = try CSV.parse("Name,Citizen ID number,Phone,Education,Category\nZhang Wei,\(id),13800138000,Technical school,Employee\n")
        let enResult = RosterImport.validate(en, vocabulary: v)
        #expect(enResult.errors.isEmpty && enResult.rows.first?.education == .technicalSchool)
        // A word no column accepts is named in the error, not "choose one of the listed options".
        let bad = RosterImport.validate(try CSV.parse("Name,Citizen ID,Phone,Education,Category\n张伟,\(id),13800138000,幼儿园,职工\n"), vocabulary: v)
        #expect(bad.errors.map(\.code) == ["import.unknownValue"] && bad.errors.first?.args == ["幼儿园"])
    }

    @Test func templates_carry_the_headers_and_an_example_in_each_language_that_import_as_they_are() throws {
        let v = ImportVocabulary(localizer: Self.localizer)
        let en = ImportFormat.roster.template(v, localizer: Self.localizer, locale: .en)
        #expect(en.hasPrefix("\u{FEFF}") && en.contains("Citizen ID number") && en.contains("Technical school") && !en.contains("中专"))
        let zh = ImportFormat.roster.template(v, localizer: Self.localizer, locale: .zhHans)
        #expect(zh.contains("公民身份号码") && zh.contains("技工学校/中专"))
        for text in [en, zh] {
            let records = try CSV.parse(String(text.dropFirst()))
            #expect(RosterImport.validate(records, vocabulary: v).errors.isEmpty)
        }
        // Every format lists its coded columns' accepted words, and its header row is recognised as one.
        for format in ImportFormat.allCases {
            let columns = format.columns(v)
            #expect(!columns.isEmpty && columns.allSatisfy { $0.choices(.en).map { !$0.isEmpty } ?? true })
            let header = try CSV.parse(String(format.template(v, localizer: Self.localizer, locale: .en).dropFirst()))[0].fields
            if !format.columnsByHeader { #expect(format.isHeader(header, v), "\(format)") }
        }
    }

    @Test func months_are_read_as_people_write_them() {
        for written in ["2026-05", "2026-5", "2026/05", "2026.5", "202605", "2026年5月", "２０２６－０５"] {
            #expect(ImportText.month(written) == "2026-05", "\(written)")
        }
        for bad in ["2026-13", "26-05", "May 2026", "", "2026"] { #expect(ImportText.month(bad) == nil, "\(bad)") }
    }
}
