/// Institution type, the first character of a certificate number: `Y` employer (用人单位), `S` social training-evaluation organization.
// swift-format-ignore: AlwaysUseLowerCamelCase
public enum InstitutionType: String, Sendable, Codable, CaseIterable {
    case Y, S

    /// Enterprises file as employers; schools, training institutions and social organizations as `S`.
    public func allowed(for kind: OrganizationKind) -> Bool {
        switch self {
        case .Y: kind == .enterprise
        case .S: kind == .socialEvaluationOrganization || kind.isEducation || kind == .industryAssociation
        }
    }
}

/// An evaluation body's filing (备案) with the region's HR bureau:
/// draft → submitted → approved, or returned (with a reason) and resubmitted; approved ⇄ suspended; approved or
/// suspended → revoked (final).
public enum FilingStatus: String, Sendable, Codable, CaseIterable {
    case draft, submitted, approved, returned, suspended, revoked

    public enum Event: String, Sendable, Codable, CaseIterable { case submit, approve, sendBack, suspend, reinstate, revoke }

    public enum Problem: String, Error, Sendable {
        case notAllowedInState = "filing.transition.notAllowed"
        case reasonRequired = "filing.reason.required"
    }

    /// Who may cause an event: the body itself submits; the government decides.
    public static func isGovernment(_ e: Event) -> Bool { e != .submit }

    /// Events needing a written reason.
    public static func needsReason(_ e: Event) -> Bool { [.sendBack, .suspend, .revoke].contains(e) }

    public func applying(_ event: Event, reason: String? = nil) throws(Problem) -> FilingStatus {
        if Self.needsReason(event), (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw .reasonRequired }
        switch (self, event) {
        case (.draft, .submit), (.returned, .submit): return .submitted
        case (.submitted, .approve): return .approved
        case (.submitted, .sendBack): return .returned
        case (.approved, .suspend): return .suspended
        case (.suspended, .reinstate): return .approved
        case (.approved, .revoke), (.suspended, .revoke): return .revoked
        default: throw .notAllowedInState
        }
    }

    /// The body may still change its filing (scope, codes, validity).
    public var isEditable: Bool { self == .draft || self == .returned }

    /// Events possible from here, for the forms.
    public var possibleEvents: [Event] { Event.allCases.filter { (try? applying($0, reason: "x")) != nil } }
}

/// The fields of a filing that feed certificate numbers, and the rules they follow (人社鉴发〔2019〕2号).
public struct FilingIdentity: Sendable, Hashable {
    public let type: InstitutionType
    /// MOHRSS-assigned institution code 0001–9999, or 0000 when filed at province level.
    public let institutionCode: String
    /// GB/T 2260 province (first two digits of the region code).
    public let provinceCode: String
    /// Institution or site serial assigned by the province (six digits).
    public let siteSerial: String

    public init(type: InstitutionType, institutionCode: String, provinceCode: String, siteSerial: String) {
        self.type = type
        self.institutionCode = institutionCode
        self.provinceCode = provinceCode
        self.siteSerial = siteSerial
    }

    /// Field errors for the codes (field names `institutionCode`, `siteSerial`).
    public static func problems(institutionCode: String, siteSerial: String) -> [FieldError] {
        var out: [FieldError] = []
        func digits(_ s: String, _ n: Int) -> Bool { s.count == n && s.allSatisfy { $0.isASCII && $0.isNumber } }
        if !digits(institutionCode, 4) { out.append(FieldError("institutionCode", "filing.institutionCode.format")) }
        if !digits(siteSerial, 6) || siteSerial == "000000" { out.append(FieldError("siteSerial", "filing.siteSerial.format")) }
        return out
    }

    /// The first 13 characters every certificate number of this body starts with: type, code, province, serial.
    public var certificatePrefix: String { type.rawValue + institutionCode + provinceCode + siteSerial }
}

/// Whether a filed body may open evaluation batches on a day: approved, and inside its validity period.
public enum FilingRules {
    public static let maxValidityYears = 5

    public static func canOpenBatches(status: FilingStatus, validFrom: Day, validUntil: Day, on day: Day) -> Bool {
        status == .approved && validFrom <= day && day <= validUntil
    }

    /// Field errors for a validity period (at most `maxValidityYears`).
    public static func validityProblems(from: Day, until: Day) -> [FieldError] {
        if until <= from { return [FieldError("validUntil", "program.dates.order")] }
        if until > from.addingMonths(12 * maxValidityYears) {
            return [FieldError("validUntil", "filing.validity.tooLong", [String(maxValidityYears)])]
        }
        return []
    }
}
