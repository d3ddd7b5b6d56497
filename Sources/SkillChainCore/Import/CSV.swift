import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How an uploaded text file was encoded.
public enum TextEncoding: String, Sendable, Codable {
    case utf8, utf8WithBOM, gb18030
}

public enum TextDecoding {
    public enum Problem: String, Error, Sendable { case unknownEncoding = "import.encoding.unknown" }

    /// UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise GB18030 (a superset of GBK/GB2312,
    /// what Chinese Excel writes as "CSV").
    public static func decode(_ bytes: [UInt8]) throws(Problem) -> (text: String, encoding: TextEncoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let s = String(validating: bytes.dropFirst(3), as: UTF8.self) else { throw .unknownEncoding }
            return (s, .utf8WithBOM)
        }
        if let s = String(validating: bytes, as: UTF8.self) { return (s, .utf8) }
        guard let s = gb18030(bytes) else { throw .unknownEncoding }
        return (s, .gb18030)
    }

    static func gb18030(_ input: [UInt8]) -> String? {
        let cd = iconv_open("UTF-8", "GB18030")
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var inBuf = input.map { CChar(bitPattern: $0) }
        var out = [CChar](repeating: 0, count: input.count * 2 + 16)
        var remaining = 0
        let ok: Bool = inBuf.withUnsafeMutableBufferPointer { inPtr in
            out.withUnsafeMutableBufferPointer { outPtr in
                var inP: UnsafeMutablePointer<CChar>? = inPtr.baseAddress
                var inLeft = inPtr.count
                var outP: UnsafeMutablePointer<CChar>? = outPtr.baseAddress
                var outLeft = outPtr.count
                let r = iconv(cd, &inP, &inLeft, &outP, &outLeft)
                remaining = outLeft
                return r != -1 && inLeft == 0
            }
        }
        guard ok else { return nil }
        out.removeLast(remaining)
        return String(decoding: out.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// RFC 4180 CSV: fields separated by commas, optionally quoted with `"` (a quote inside doubled), lines ended by CRLF or LF.
public enum CSV {
    public enum Problem: Error, Sendable, Equatable { case unterminatedQuote(line: Int) }

    /// Records with the line number each starts on (1-based). Blank lines are skipped.
    public static func parse(_ text: String) throws(Problem) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var fieldWasQuoted = false
        let bytes = Array(text.utf8)
        var i = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields = []
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(b)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
            } else {
                switch b {
                case UInt8(ascii: "\""):
                    if field.isEmpty && !fieldWasQuoted {
                        inQuotes = true
                        fieldWasQuoted = true
                    } else {
                        field.append(b)
                    }
                case UInt8(ascii: ","): endField()
                case UInt8(ascii: "\r"):
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                    endRecord()
                    line += 1
                    recordLine = line
                case UInt8(ascii: "\n"):
                    endRecord()
                    line += 1
                    recordLine = line
                default: field.append(b)
                }
            }
            i += 1
        }
        if inQuotes { throw .unterminatedQuote(line: recordLine) }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }

    /// One CSV line (without line end). Fields that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR
    /// at the start, unless the field is a plain number) get a leading apostrophe.
    public static func line(_ fields: [String]) -> String {
        fields.map { f in
            var v = f
            if let first = v.first, "=+-@\t\r".contains(first), Double(v) == nil { v = "'" + v }
            if v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return v
        }.joined(separator: ",")
    }
}
