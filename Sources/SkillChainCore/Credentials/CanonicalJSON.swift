import Foundation

/// A JSON value as RFC 8785 (JSON Canonicalization Scheme) sees it: numbers are IEEE 754 doubles, object member
/// order does not matter, duplicate names are an error.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    public var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    public var object: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
    public var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// The value with one member of an object removed (or unchanged if it is not an object).
    public func removing(_ key: String) -> JSONValue {
        guard case .object(var o) = self else { return self }
        o.removeValue(forKey: key)
        return .object(o)
    }

    public func setting(_ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var o) = self else { return self }
        o[key] = value
        return .object(o)
    }
}

public enum JSONParseError: Error, Sendable, Equatable {
    case invalid(offset: Int)
    case duplicateKey(String)
    case numberOutOfRange(offset: Int)
}

extension JSONValue {
    /// Parses RFC 8259 JSON (UTF-8). Rejects duplicate object names (RFC 8785 §3.1) and numbers beyond IEEE 754 range.
    public static func parse(_ data: Data) throws(JSONParseError) -> JSONValue {
        var p = Parser(bytes: Array(data))
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == p.bytes.count else { throw .invalid(offset: p.i) }
        return v
    }

    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue { try parse(Data(text.utf8)) }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 } }

        mutating func expect(_ word: String) throws(JSONParseError) {
            for b in word.utf8 {
                guard i < bytes.count, bytes[i] == b else { throw .invalid(offset: i) }
                i += 1
            }
        }

        mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth < 512, i < bytes.count else { throw .invalid(offset: i) }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                skipSpace()
                var o: [String: JSONValue] = [:]
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object(o)
                }
                while true {
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw .invalid(offset: i) }
                    let k = try string()
                    skipSpace()
                    try expect(":")
                    skipSpace()
                    if o[k] != nil { throw .duplicateKey(k) }
                    o[k] = try value(depth: depth + 1)
                    skipSpace()
                    guard i < bytes.count else { throw .invalid(offset: i) }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    if bytes[i] == UInt8(ascii: "}") {
                        i += 1
                        return .object(o)
                    }
                    throw .invalid(offset: i)
                }
            case UInt8(ascii: "["):
                i += 1
                skipSpace()
                var a: [JSONValue] = []
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array(a)
                }
                while true {
                    skipSpace()
                    a.append(try value(depth: depth + 1))
                    skipSpace()
                    guard i < bytes.count else { throw .invalid(offset: i) }
                    if bytes[i] == UInt8(ascii: ",") {
                        i += 1
                        continue
                    }
                    if bytes[i] == UInt8(ascii: "]") {
                        i += 1
                        return .array(a)
                    }
                    throw .invalid(offset: i)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"):
                try expect("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null")
                return .null
            default: return .number(try number())
            }
        }

        mutating func number() throws(JSONParseError) -> Double {
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            func digits() -> Int {
                let s = i
                while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
                return i - s
            }
            guard i < bytes.count else { throw .invalid(offset: i) }
            if bytes[i] == UInt8(ascii: "0") { i += 1 } else if digits() == 0 { throw .invalid(offset: i) }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                if digits() == 0 { throw .invalid(offset: i) }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                if digits() == 0 { throw .invalid(offset: i) }
            }
            guard let d = Double(String(decoding: bytes[start..<i], as: UTF8.self)), d.isFinite else { throw .numberOutOfRange(offset: start) }
            return d
        }

        mutating func hex4() throws(JSONParseError) -> UInt16 {
            guard i + 4 <= bytes.count, let v = UInt16(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
                throw .invalid(offset: i)
            }
            i += 4
            return v
        }

        mutating func string() throws(JSONParseError) -> String {
            i += 1  // opening quote
            var units: [UInt16] = []
            var raw: [UInt8] = []
            func flush() {
                if !raw.isEmpty {
                    units.append(contentsOf: String(decoding: raw, as: UTF8.self).utf16)
                    raw.removeAll()
                }
            }
            while true {
                guard i < bytes.count else { throw .invalid(offset: i) }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") {
                    i += 1
                    break
                }
                if b < 0x20 { throw .invalid(offset: i) }
                if b == UInt8(ascii: "\\") {
                    flush()
                    i += 1
                    guard i < bytes.count else { throw .invalid(offset: i) }
                    let e = bytes[i]
                    i += 1
                    switch e {
                    case UInt8(ascii: "\""): units.append(0x22)
                    case UInt8(ascii: "\\"): units.append(0x5C)
                    case UInt8(ascii: "/"): units.append(0x2F)
                    case UInt8(ascii: "b"): units.append(0x08)
                    case UInt8(ascii: "f"): units.append(0x0C)
                    case UInt8(ascii: "n"): units.append(0x0A)
                    case UInt8(ascii: "r"): units.append(0x0D)
                    case UInt8(ascii: "t"): units.append(0x09)
                    case UInt8(ascii: "u"): units.append(try hex4())
                    default: throw .invalid(offset: i - 1)
                    }
                } else {
                    raw.append(b)
                    i += 1
                }
            }
            flush()
            return String(decoding: units, as: UTF16.self)
        }
    }
}

/// RFC 8785 canonical serialization: members sorted by their names' UTF-16 code units, no whitespace, strings with
/// the minimal escapes, numbers as ECMAScript's `Number.prototype.toString` writes them.
public enum CanonicalJSON {
    public static func data(_ v: JSONValue) -> Data { Data(bytes(v)) }

    public static func string(_ v: JSONValue) -> String { String(decoding: bytes(v), as: UTF8.self) }

    /// The canonical form as UTF-8 bytes (written byte by byte: appending to a `String` scalar by scalar is slow).
    public static func bytes(_ v: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(v, to: &out)
        return out
    }

    static func write(_ v: JSONValue, to out: inout [UInt8]) {
        switch v {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let d): out.append(contentsOf: number(d).utf8)
        case .string(let s): quote(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (n, e) in a.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                write(e, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (n, k) in o.keys.sorted(by: { $0.utf16.lexicographicallyPrecedes($1.utf16) }).enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                quote(k, to: &out)
                out.append(UInt8(ascii: ":"))
                write(o[k]!, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Only `"`, `\\` and control characters are escaped (the short forms where JSON has them); everything else,
    /// non-ASCII included, is copied as UTF-8.
    static func quote(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""):
                out.append(UInt8(ascii: "\\"))
                out.append(b)
            case UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(b)
            case 0x08:
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "b"))
            case 0x0C:
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "f"))
            case 0x0A:
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "n"))
            case 0x0D:
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "r"))
            case 0x09:
                out.append(UInt8(ascii: "\\"))
                out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xF)])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// ECMAScript Number::toString for finite doubles (RFC 8785 §3.2.2.3), from the shortest round-trip digits.
    public static func number(_ d: Double) -> String {
        if d == 0 { return "0" }  // also -0
        if d < 0 { return "-" + number(-d) }
        // Shortest digits and exponent from Swift's round-trip description ("1.2345e-07", "123.0", "1e+21").
        let (digits, exponent) = shortest(d)  // value = 0.digits × 10^exponent
        let k = digits.count
        let n = exponent
        if k <= n && n <= 21 { return digits + String(repeating: "0", count: n - k) }
        if 0 < n && n <= 21 { return String(digits.prefix(n)) + "." + String(digits.dropFirst(n)) }
        if -6 < n && n <= 0 { return "0." + String(repeating: "0", count: -n) + digits }
        let e = n - 1
        let mantissa = k == 1 ? digits : String(digits.prefix(1)) + "." + String(digits.dropFirst())
        return mantissa + "e" + (e >= 0 ? "+" : "-") + String(abs(e))
    }

    /// The shortest decimal digits (no leading or trailing zeros) and the exponent n with value = 0.d1d2… × 10^n.
    static func shortest(_ d: Double) -> (String, Int) {
        let text = "\(d)"  // Swift prints the shortest representation that round-trips
        var mantissa = text
        var exp = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = String(text[..<e])
            exp = Int(text[text.index(after: e)...])!
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = intPart + fracPart
        var n = intPart.count + exp
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            n -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, n)
    }
}
