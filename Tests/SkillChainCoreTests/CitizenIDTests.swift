import Foundation
import SkillChainCore
import Testing

@Suite struct CitizenIDTests {
    // Vectors from ENGINEERING-NOTES B4.
    @Test(arguments: ["11010519491231002X", "440524188001010014", "34052419800101001X", "370101190102039973"])
    func accepts_standard_vectors(_ number: String) throws {
        #expect(try CitizenID(number).value == number)
    }

    @Test func rejects_wrong_check_character() {
        #expect(throws: CitizenID.Problem.checkCharacter) { try CitizenID("110105194912310021") }
    }

    @Test func normalises_lowercase_x_and_spaces() throws {
        #expect(try CitizenID(" 11010519491231002x ").value == "11010519491231002X")
    }

    @Test func rejects_wrong_length_and_characters() {
        #expect(throws: CitizenID.Problem.length) { try CitizenID("44052418800101001") }
        #expect(throws: CitizenID.Problem.length) { try CitizenID("440524800101001") }
        #expect(throws: CitizenID.Problem.characters) { try CitizenID("4405241880010100A4") }
        #expect(throws: CitizenID.Problem.characters) { try CitizenID("４４０５２４１８８００１０１００１４") }
    }

    @Test func rejects_impossible_and_future_birth_dates() {
        let feb30 = "44052419900230" + "001"
        #expect(throws: CitizenID.Problem.birthDate) { try CitizenID(feb30 + String(CitizenID.checkCharacter(for: feb30))) }
        let future = "44190020991231" + "001"
        #expect(throws: CitizenID.Problem.futureBirthDate) { try CitizenID(future + String(CitizenID.checkCharacter(for: future))) }
    }

    @Test func derives_birth_date_and_sex() throws {
        let beijing = try CitizenID("11010519491231002X")
        #expect(beijing.birthDate == "1949-12-31")
        #expect(beijing.sex == .female)  // sequence 002: even
        let shantou = try CitizenID("440524188001010014")
        #expect(shantou.birthDate == "1880-01-01")
        #expect(shantou.sex == .male)  // sequence 001: odd
    }

    @Test func masks_all_but_first_and_last_four() throws {
        let id = try CitizenID("440524188001010014")
        #expect(id.masked == "4405**********0014")
        #expect("\(id)" == "4405**********0014")  // interpolation never leaks the number
    }

    @Test func leap_day_is_a_real_date() throws {
        let first17 = "44190020000229001"
        #expect(CitizenID.completing(first17) != nil)
    }
}

@Suite struct CreditCodeTests {
    @Test func accepts_published_example() throws {
        #expect(try CreditCode("91350100M000100Y43").value == "91350100M000100Y43")
    }

    @Test func completes_and_validates_its_own_output() throws {
        let code = try #require(CreditCode.completing("91441900MA4W0A01L"))
        #expect(try CreditCode(code.value) == code)
        #expect(try CreditCode(code.value.lowercased()) == code)
    }

    @Test func rejects_each_kind_of_error() {
        #expect(throws: CreditCode.Problem.length) { try CreditCode("91350100M000100Y4") }
        #expect(throws: CreditCode.Problem.characters) { try CreditCode("91350100M000100I43") }
        #expect(throws: CreditCode.Problem.checkCharacter) { try CreditCode("91350100M000100Y44") }
    }

    @Test func every_single_character_change_is_caught() throws {
        let valid = Array("91350100M000100Y43")
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        for i in 0..<17 {
            for c in alphabet where c != valid[i] {
                var changed = valid
                changed[i] = c
                #expect(throws: CreditCode.Problem.checkCharacter) { try CreditCode(String(changed)) }
            }
        }
    }
}

@Suite struct RegionAndPhoneTests {
    @Test func knows_dongguan_and_its_province() throws {
        let catalog = RegionCatalog.shared
        #expect(catalog.regions.count == 367)
        let dongguan = try #require(catalog.region("441900"))
        #expect(dongguan.name == "东莞市")
        #expect(catalog.contains("440000", "441900"))
        #expect(!catalog.contains("110000", "441900"))
        #expect(catalog.region("441999") == nil)
    }

    @Test func normalises_and_masks_mobile_numbers() throws {
        #expect(try PhoneNumber.normalise("+86 138-0013-8000") == "13800138000")
        #expect(PhoneNumber.mask("13800138000") == "138****8000")
        #expect(throws: PhoneNumber.Problem.invalid) { try PhoneNumber.normalise("2380013800") }
        #expect(throws: PhoneNumber.Problem.invalid) { try PhoneNumber.normalise("23800138000") }
    }
}
