/// A certificate's stored status (the `certificates.status` column) and the changes its issuer may make: a revocation is
/// final, a suspension can be lifted. Verifiers additionally see `expired` (a valid certificate past its end date).
public enum CertificateStatus: String, Sendable, Codable, CaseIterable {
    case valid, suspended, revoked

    /// What an issuer asks for on the certificate page or `POST /api/v1/certificates/{number}/status`.
    public enum Change: String, Sendable, Codable, CaseIterable {
        case revoke, suspend, reinstate
    }

    /// The status after `change`, or nil when it does not apply: nothing comes back from revoked, only a valid
    /// certificate is suspended and only a suspended one reinstated.
    public func applying(_ change: Change) -> CertificateStatus? {
        switch (change, self) {
        case (.revoke, .valid), (.revoke, .suspended): .revoked
        case (.suspend, .valid): .suspended
        case (.reinstate, .suspended): .valid
        default: nil
        }
    }

    /// What the certificate is on `today`: its stored status, except that a valid one past `validUntil` has expired.
    /// The one rule behind verification, pay and honours ("valid today").
    public func standing(validUntil: Day?, on today: Day) -> CertificateFact.Status {
        switch self {
        case .revoked: .revoked
        case .suspended: .suspended
        case .valid: validUntil.map { $0 < today } == true ? .expired : .valid
        }
    }
}

/// The two Bitstring Status Lists an issuer publishes (W3C Bitstring Status List v1.0 `statusPurpose`).
public enum StatusPurpose: String, Sendable, Codable, CaseIterable {
    case revocation, suspension

    /// The stored status whose certificates have their bit set in this list.
    public var status: CertificateStatus { self == .revocation ? .revoked : .suspended }
}

/// A registration's result once its scores are complete.
public enum RegistrationOutcome: String, Sendable, Codable, CaseIterable {
    case passed, failed
}
