import Foundation

/// An e-mail address a notification may be sent to: one ASCII mailbox `local@domain` (what every SMTP server takes
/// without the SMTPUTF8 extension), never anything that could
/// add a header or a second recipient (no spaces, no control characters, no `<>,;"`), at most 254 characters
/// (RFC 5321's path limit). The domain is kept in lower case; the local part as typed.
public enum EmailAddress {
    public enum Problem: String, Error, Sendable { case invalid = "email.invalid" }

    public static func normalise(_ raw: String) throws(Problem) -> String {
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard value.utf8.count <= 254, let at = value.lastIndex(of: "@") else { throw .invalid }
        let local = value[..<at]
        let domain = value[value.index(after: at)...].lowercased()
        let forbidden = Set(" \t\r\n<>,;:\"()[]\\@")
        guard !local.isEmpty, local.utf8.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
            local.allSatisfy({ $0.isASCII && !forbidden.contains($0) && !$0.isControl })
        else { throw .invalid }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2,
            labels.allSatisfy({ label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0 == "-" || $0.isLetter || $0.isNumber) }
            })
        else { throw .invalid }
        return local + "@" + domain
    }

    /// What a screen shows of an address: its first character and its domain (`z***@example.cn`).
    public static func mask(_ address: String) -> String {
        guard let at = address.lastIndex(of: "@"), at > address.startIndex else { return "***" }
        return String(address[address.startIndex]) + "***" + address[at...]
    }
}

extension Character {
    fileprivate var isControl: Bool { unicodeScalars.contains { $0.properties.generalCategory == .control } }
}
