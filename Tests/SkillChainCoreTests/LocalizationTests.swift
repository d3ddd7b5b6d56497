import Foundation
import SkillChainCore
import Testing

@Suite struct LocalizationTests {
    @Test func negotiates_accept_language() {
        #expect(AppLocale.negotiate(acceptLanguage: nil) == .zhHans)
        #expect(AppLocale.negotiate(acceptLanguage: "en-US,en;q=0.9") == .en)
        #expect(AppLocale.negotiate(acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.8") == .zhHans)
        #expect(AppLocale.negotiate(acceptLanguage: "fr-FR, en;q=0.5") == .en)
        #expect(AppLocale.negotiate(acceptLanguage: "en;q=0.2, zh-TW;q=0.8") == .zhHans)
        #expect(AppLocale.negotiate(acceptLanguage: "de") == .zhHans)
    }

    @Test func substitutes_arguments_and_falls_back_to_chinese() {
        let l = Localizer(catalogs: [.zhHans: ["a": "第 {0} 页，共 {1} 页", "only": "仅中文"], .en: ["a": "Page {0} of {1}"]])
        #expect(l.string("a", .en, ["2", "5"]) == "Page 2 of 5")
        #expect(l.string("a", .zhHans, ["2", "5"]) == "第 2 页，共 5 页")
        #expect(l.string("only", .en) == "仅中文")
        #expect(l.missingKeys() == [.en: ["only"]])
    }

    @Test func a_message_argument_takes_the_arguments_after_it() {
        let l = Localizer(catalogs: [.zhHans: ["row": "第 {0} 行：{1}", "bad": "“{0}”不可接受", "area": "基本要求", "small": "{0}只有 {1} 题，需 {2} 题"]])
        #expect(l.string("row", .zhHans, ["3", "@bad", "车间"]) == "第 3 行：“车间”不可接受")
        #expect(l.string("small", .zhHans, ["@area", "5", "3"]) == "基本要求只有 5 题，需 3 题")
    }

    @Test func password_prehash_keeps_every_character_of_long_passphrases() {
        let a = String(repeating: "技", count: 64)
        let b = String(repeating: "技", count: 63) + "能"
        #expect(Array(a.utf8).count > 72)
        #expect(Password.prehash(a) != Password.prehash(b))
        #expect(Password.prehash(a).utf8.count == 44)
        #expect(Password.problem("short") == "password.tooShort")
        #expect(Password.problem(a) == nil)
    }

    @Test func personal_data_cipher_round_trips_and_hides_plaintext() throws {
        let cipher = PersonalDataCipher(keys: SecretKeys(secret: "test-secret"))
        let sealed = try cipher.seal("440524188001010014")
        #expect(!sealed.contains("440524188001010014"))
        #expect(try cipher.open(sealed) == "440524188001010014")
        #expect(try cipher.seal("440524188001010014") != sealed)  // fresh nonce
        #expect(cipher.blindIndex("440524188001010014") == cipher.blindIndex("440524188001010014"))
        let other = PersonalDataCipher(keys: SecretKeys(secret: "other"))
        #expect(other.blindIndex("440524188001010014") != cipher.blindIndex("440524188001010014"))
        #expect(throws: PersonalDataCipher.Problem.undecryptable) { try other.open(sealed) }
    }
}

@Suite struct LocalizedArgumentTests {
    @Test func arguments_written_as_keys_are_translated() {
        let l = Localizer(catalogs: [
            .zhHans: ["need": "需持有{0}证书", "level.level3": "三级/高级工"],
            .en: ["need": "Needs a {0} certificate", "level.level3": "Level 3"],
        ])
        #expect(l.string("need", .zhHans, ["@level.level3"]) == "需持有三级/高级工证书")
        #expect(l.string("need", .en, ["@level.level3"]) == "Needs a Level 3 certificate")
        #expect(l.string("need", .en, ["plain"]) == "Needs a plain certificate")
    }
}
