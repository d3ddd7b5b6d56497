import Foundation

/// One field of a record changed by an edit, as the audit log and the record's history keep it: personal data is
/// masked on the way in (a name as 李*, a phone as 138****8000, an ID number as 4419**********0011), so the log never
/// holds more than the masked form.
public struct FieldChange: Sendable, Equatable, Codable {
    public let field: String
    public let old: String
    public let new: String
    public init(field: String, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }
}

public enum RecordHistory {
    /// How a field's value is written into the log.
    public enum Masking: Sendable { case plain, name, phone, citizenID, hidden }

    /// The fields whose value differs between `old` and `new` (both keyed by field name), in `order`, each masked.
    public static func changes(old: [String: String], new: [String: String], order: [String], masking: [String: Masking] = [:]) -> [FieldChange] {
        order.compactMap { field in
            let a = old[field] ?? ""
            let b = new[field] ?? ""
            guard a != b else { return nil }
            let mask = masking[field] ?? .plain
            return FieldChange(field: field, old: apply(mask, a), new: apply(mask, b))
        }
    }

    static func apply(_ m: Masking, _ v: String) -> String {
        guard !v.isEmpty else { return "" }
        switch m {
        case .plain: return v
        case .name: return PublicVerification.maskName(v)
        case .phone: return PhoneNumber.mask(v)
        case .citizenID: return CitizenID.mask(v)
        case .hidden: return "***"
        }
    }

    /// The changes as the audit entry's `changes` value (compact JSON, fields in order).
    public static func encode(_ changes: [FieldChange]) -> String {
        let data = (try? JSONEncoder().encode(changes)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [FieldChange] {
        (try? JSONDecoder().decode([FieldChange].self, from: Data(text.utf8))) ?? []
    }
}

/// Optimistic concurrency for edits: every editable record carries a version, served as its `ETag` (`"3"`); an edit
/// names the version it started from (`If-Match`, or the form's hidden field) and is refused when the record moved on.
public enum RecordVersion {
    public static func etag(_ version: Int) -> String { "\"\(version)\"" }

    public enum Precondition: Sendable, Equatable {
        /// No `If-Match` / version given: the edit applies to whatever is current.
        case none
        /// `If-Match: *`.
        case any
        case versions([Int])
        /// Something that is not a list of our entity tags: never matches.
        case unreadable
    }

    /// Reads an `If-Match` header value (RFC 9110 §13.1.1): `*` or a comma-separated list of entity tags; weak tags
    /// (`W/"3"`) never match, as the header requires strong comparison.
    public static func parse(ifMatch header: String?) -> Precondition {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return .none }
        if header == "*" { return .any }
        var versions: [Int] = []
        for item in header.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            if item.hasPrefix("W/") { continue }
            guard item.count >= 3, item.first == "\"", item.last == "\"", let v = Int(item.dropFirst().dropLast()) else { return .unreadable }
            versions.append(v)
        }
        return versions.isEmpty ? .unreadable : .versions(versions)
    }

    public static func satisfied(_ p: Precondition, current: Int) -> Bool {
        switch p {
        case .none, .any: true
        case .versions(let list): list.contains(current)
        case .unreadable: false
        }
    }
}
