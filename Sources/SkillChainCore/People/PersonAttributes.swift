/// What a person is to the chain right now.
public enum PersonCategory: String, Sendable, Codable, CaseIterable { case student, employee, jobSeeker }

/// Highest completed education, in the order eligibility rules compare them.
public enum Education: String, Sendable, Codable, CaseIterable {
    case primary, juniorSecondary, seniorSecondary, technicalSchool, seniorTechnicalSchool
    case technicianCollege, associate, bachelor, master, doctorate
}

/// A mainland mobile number: 11 digits starting with 1 (an optional +86 or 86 prefix is dropped).
public enum PhoneNumber {
    public enum Problem: String, Error, Sendable { case invalid = "phone.invalid" }

    public static func normalise(_ raw: String) throws(Problem) -> String {
        var digits = raw.filter { !" -".contains($0) }
        if digits.hasPrefix("+86") { digits.removeFirst(3) } else if digits.count == 13, digits.hasPrefix("86") { digits.removeFirst(2) }
        guard digits.count == 11, digits.first == "1", digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .invalid }
        return digits
    }

    public static func mask(_ phone: String) -> String {
        guard phone.count == 11 else { return String(repeating: "*", count: phone.count) }
        return phone.prefix(3) + "****" + phone.suffix(4)
    }
}
