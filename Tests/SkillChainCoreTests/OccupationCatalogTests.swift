import SkillChainCore
import Testing

@Suite struct OccupationCatalogTests {
    let catalog = OccupationCatalog.edition2022

    @Test func ships_the_2022_online_edition() {
        #expect(catalog.edition == "2022")
        #expect(catalog.occupations.count == 1_676)
        #expect(catalog.groups.filter { $0.level == .major }.count == 8)
        #expect(catalog.groups.filter { $0.level == .medium }.count == 79)
        #expect(catalog.groups.filter { $0.level == .minor }.count == 450)
        #expect(Set(catalog.occupations.map(\.code)).count == 1_676, "codes are unique")
    }

    @Test func flags_digital_and_green_occupations() {
        #expect(catalog.occupations.filter(\.isDigital).count == 84 + 24)
        #expect(catalog.occupations.filter(\.isGreen).count == 115 + 24)
        #expect(catalog.occupations.filter { $0.isDigital && $0.isGreen }.count == 24)
    }

    @Test func finds_welder_by_name_and_by_code() throws {
        let welder = try #require(catalog.search("焊工").first)
        #expect(welder.code == "6-18-02-04")
        #expect(welder.minorCode == "6-18-02")
        #expect(catalog.search("6-31-01").contains { $0.code == "6-31-01-03" && $0.name == "电工" })
        #expect(catalog.search("不存在的职业").isEmpty)
    }

    @Test func every_occupation_sits_in_a_known_minor_group() {
        let minors = Set(catalog.groups.filter { $0.level == .minor }.map(\.code))
        #expect(catalog.occupations.allSatisfy { minors.contains($0.minorCode) })
    }

    @Test func annotations_give_work_types_and_which_occupations_came_after_the_printed_edition() {
        let c = OccupationCatalog.edition2022
        #expect(c.occupations.filter { $0.listing == "2022" }.count == 1_639)
        #expect(c.occupations.filter { $0.listing == "added-2024" }.count == 19)
        #expect(c.occupations.filter { $0.listing == "added-2025" }.count == 17)
        #expect(c.occupations.reduce(0) { $0 + $1.workTypeCount } == 3_053)
        // The printed edition's marker counts: 97 digital, 134 green, 23 both.
        let printed = c.occupations.filter { $0.listing == "2022" }
        #expect(
            printed.filter(\.isDigital).count == 97 && printed.filter(\.isGreen).count == 134
                && printed.filter { $0.isDigital && $0.isGreen }.count == 23)
    }
}
