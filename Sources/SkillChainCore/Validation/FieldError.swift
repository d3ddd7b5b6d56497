import Foundation

/// A problem with one input field: the field name, a localization key and its arguments.
public struct FieldError: Sendable, Equatable, Codable, Error {
    public let field: String
    public let code: String
    public let args: [String]

    public init(_ field: String, _ code: String, _ args: [String] = []) {
        self.field = field
        self.code = code
        self.args = args
    }
}

/// One or more field errors; nothing was changed.
public struct ValidationFailure: Error, Sendable, Equatable {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
}

/// Errors from domain rules. Carries no HTTP: the server maps each case to a status in one place.
public enum DomainError: Error, Sendable, Equatable {
    case notFound
    case forbidden
    case conflict(code: String, args: [String] = [])
    case rule(code: String, args: [String] = [])

    /// The record changed between reading it and writing it (someone acted first): nothing was written; reload and
    /// try again. One code for every aggregate.
    public static let changedMeanwhile = DomainError.conflict(code: "record.changedMeanwhile")
}

/// Collects field errors while checking a form or request body.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []
    public init() {}

    public mutating func add(_ field: String, _ code: String, _ args: [String] = []) {
        errors.append(FieldError(field, code, args))
    }

    /// A trimmed, non-empty string no longer than `max` characters, or an error.
    public mutating func required(_ field: String, _ value: String?, max: Int = 200) -> String {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { add(field, "field.required") } else if text.count > max { add(field, "field.tooLong", [String(max)]) }
        return text
    }

    public mutating func optional(_ field: String, _ value: String?, max: Int = 2000) -> String? {
        let text = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count > max { add(field, "field.tooLong", [String(max)]) }
        return text.isEmpty ? nil : text
    }

    public mutating func oneOf<E: RawRepresentable & CaseIterable>(_ field: String, _ value: String?, _: E.Type) -> E? where E.RawValue == String {
        let text = (value ?? "").trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            add(field, "field.required")
            return nil
        }
        guard let v = E(rawValue: text) else {
            add(field, "field.invalidChoice")
            return nil
        }
        return v
    }

    /// A GB/T 2260 code from the shipped region list.
    public mutating func regionCode(_ field: String, _ value: String?, catalog: RegionCatalog = .shared) -> String {
        let code = (value ?? "").trimmingCharacters(in: .whitespaces)
        if code.isEmpty { add(field, "field.required") } else if catalog.region(code) == nil { add(field, "region.unknown") }
        return code
    }

    /// An optional whole number within `range` (absent = `range.lowerBound`).
    public mutating func count(_ field: String, _ value: Int?, in range: ClosedRange<Int>) -> Int {
        let n = value ?? range.lowerBound
        if !range.contains(n) { add(field, "field.outOfRange", [String(range.lowerBound), String(range.upperBound)]) }
        return n
    }

    /// A whole number that must be given, within `range`.
    public mutating func requiredCount(_ field: String, _ value: Int?, in range: ClosedRange<Int>) -> Int {
        guard let value else {
            add(field, "field.required")
            return range.lowerBound
        }
        return count(field, value, in: range)
    }

    public func check() throws(ValidationFailure) {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}
