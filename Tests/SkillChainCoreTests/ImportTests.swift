import Foundation
import SkillChainCore
import Testing

@Suite struct CSVTests {
    @Test func quoted_fields_commas_newlines_and_crlf() throws {
        let records = try CSV.parse("a,\"b,c\",\"he said \"\"hi\"\"\"\r\n\r\nx,\"multi\nline\",z\n")
        #expect(records.map(\.fields) == [["a", "b,c", "he said \"hi\""], ["x", "multi\nline", "z"]])
        #expect(records.map(\.line) == [1, 3])
        #expect(throws: CSV.Problem.unterminatedQuote(line: 1)) { try CSV.parse("a,\"open\n") }
    }

    @Test func writing_quotes_and_defuses_formulas() {
        #expect(CSV.line(["张三", "a,b", "say \"x\""]) == "张三,\"a,b\",\"say \"\"x\"\"\"")
        #expect(CSV.line(["=HYPERLINK(\"x\")", "-5", "+86 138", "@SUM"]) == "\"'=HYPERLINK(\"\"x\"\")\",-5,'+86 138,'@SUM")
    }

    @Test func decodes_utf8_with_and_without_bom_and_gb18030() throws {
        let utf8 = Array("姓名,焊工".utf8)
        #expect(try TextDecoding.decode(utf8) == ("姓名,焊工", .utf8))
        #expect(try TextDecoding.decode([0xEF, 0xBB, 0xBF] + utf8) == ("姓名,焊工", .utf8WithBOM))
        // 张三,焊工 in GBK/GB18030, as Excel on a Chinese Windows saves it.
        #expect(try TextDecoding.decode([0xD5, 0xC5, 0xC8, 0xFD, 0x2C, 0xBA, 0xB8, 0xB9, 0xA4]) == ("张三,焊工", .gb18030))
        #expect(throws: TextDecoding.Problem.unknownEncoding) { try TextDecoding.decode([0xD5, 0xC5, 0xFF]) }
    }
}

@Suite struct RosterImportTests {
    static let id1 = "440524188001010014"
    static let id2 = CitizenID.completing("44190019900101002")!.value

    func records(_ text: String) throws -> [(line: Int, fields: [String])] { try CSV.parse(text) }

    @Test func accepts_chinese_headers_and_labels() throws {
        let result = RosterImport.validate(
            try records("姓名,身份证号,手机号,学历,人员类别\n张三,\(Self.id1),138 0013 8000,大专,在职职工\n李四,\(Self.id2),+8613900139000,technicalSchool,student\n"))
        #expect(result.errors.isEmpty)
        #expect(result.rows.map(\.name) == ["张三", "李四"])
        #expect(result.rows.map(\.phone) == ["13800138000", "13900139000"])
        #expect(result.rows.map(\.education) == [.associate, .technicalSchool])
        #expect(result.isAcceptable)
    }

    @Test func reports_every_bad_cell_with_its_line() throws {
        let bad =
            "name,citizenId,phone,education,category\n,440524188001010015,123,博士后,\n张三,\(Self.id1),13800138000,本科,学生\n王五,\(Self.id1),13800138001,本科,学生\n"
        let result = RosterImport.validate(try records(bad))
        #expect(!result.isAcceptable)
        #expect(result.errors.filter { $0.line == 2 }.map(\.column) == ["name", "citizenId", "phone", "education", "category"])
        #expect(result.errors.first { $0.line == 2 && $0.column == "citizenId" }?.code == "citizenId.checkCharacter")
        #expect(result.errors.filter { $0.line == 4 } == [RosterError(line: 4, column: "citizenId", code: "import.duplicateInFile", args: ["3"])])
    }

    @Test func missing_columns_and_empty_files() throws {
        let result = RosterImport.validate(try records("姓名,手机号\n张三,13800138000\n"))
        #expect(result.errors.map(\.column) == ["citizenId", "education", "category"])
        #expect(RosterImport.validate([]).errors.map(\.code) == ["import.empty"])
        #expect(RosterImport.validate(try records("姓名,身份证号,手机号,学历,类别\n")).errors.map(\.code) == ["import.empty"])
    }
}

@Suite struct HexTests {
    @Test func hex_is_lower_case_two_digits_per_byte() {
        #expect(Data([0x00, 0x0f, 0xab, 0xff]).hexString == "000fabff")
        #expect(Tokens.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
