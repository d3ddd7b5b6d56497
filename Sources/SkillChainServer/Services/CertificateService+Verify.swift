import Crypto
import Fluent
import Foundation
import SkillChainCore
import Vapor

extension CertificateService {
    // MARK: Verification

    static func lookup(_ number: String, on db: any Database) async throws -> CertificateRecord? {
        guard let n = try? CertificateNumber(number) else { return nil }
        return try await CertificateStore(db).find(number: n.value)
    }

    static func status(_ c: CertificateRecord, today: Day) -> VerificationStatus {
        let standing = CertificateStatus(rawValue: c.status)?.standing(validUntil: c.validUntil.flatMap(Day.init), on: today)
        return standing.flatMap { VerificationStatus(rawValue: $0.rawValue) } ?? .unknown
    }

    /// Verifies a presented credential (Data Integrity JSON or VC-JWT): issuer key resolved from this platform's DID
    /// documents, signature, status and dates — each check reported.
    func verifyPresented(_ text: String) async throws -> (VerificationStatus, [VerificationCheck], CertificateRecord?) {
        let result = try await checkPresented(text)
        AppMetrics.verified("presented-\(result.0.rawValue)")
        return result
    }

    private func checkPresented(_ text: String) async throws -> (VerificationStatus, [VerificationCheck], CertificateRecord?) {
        var checks: [VerificationCheck] = []
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        var credential: JSONValue?
        var isJWT = false
        if trimmed.hasPrefix("{") {
            do { credential = try JSONValue.parse(trimmed) } catch {
                checks.append(.init(name: "format", ok: false, detail: "json.invalid"))
                return (.tampered, checks, nil)
            }
        } else {
            isJWT = true
            guard let (_, payload) = try? VCJWT.decode(trimmed) else {
                checks.append(.init(name: "format", ok: false, detail: "jwt.format"))
                return (.tampered, checks, nil)
            }
            credential = payload
        }
        checks.append(.init(name: "format", ok: true, detail: isJWT ? "vc+jwt" : "eddsa-jcs-2022"))
        guard let credential else { return (.tampered, checks, nil) }
        // Issuer key: the verification method must be a key of the issuer's DID document on this platform.
        let issuerID = credential["issuer"]?["id"]?.string ?? credential["issuer"]?.string ?? ""
        let method = isJWT ? (try? VCJWT.decode(trimmed))?.header["kid"]?.string : credential["proof"]?["verificationMethod"]?.string
        var key: Curve25519.Signing.PublicKey?
        if let method, method.hasPrefix(issuerID + "#"), let org = organization(ofDID: issuerID),
            let multibase = method.split(separator: "#").last.map(String.init),
            try await app.dependencies.signingKeys.history(org, on: app.db).contains(where: { $0.publicMultibase == multibase })
        {
            key = Multikey.decode(multibase)
        }
        checks.append(.init(name: "issuerKey", ok: key != nil, detail: key != nil ? "issuerKey.resolved" : "issuerKey.unresolved"))
        guard let key else { return (.tampered, checks, nil) }
        do {
            if isJWT { _ = try VCJWT.verify(trimmed, key: key) } else { try EddsaJcs2022.verify(credential, key: key) }
            checks.append(.init(name: "signature", ok: true, detail: "signature.ok"))
        } catch let e as EddsaJcs2022.Failure {
            checks.append(.init(name: "signature", ok: false, detail: e.rawValue))
            return (.tampered, checks, nil)
        } catch let e as VCJWT.Failure {
            checks.append(.init(name: "signature", ok: false, detail: e.rawValue))
            return (.tampered, checks, nil)
        }
        let number = credential["id"]?.string?.split(separator: "/").dropLast().last.map(String.init) ?? ""
        let record = try await Self.lookup(number, on: app.db)
        // The record the credential names must be this issuer's, about the same person, occupation and level.
        if let record, let stored = try? JSONValue.parse(record.credential) {
            let binding = CredentialBinding.compare(presented: credential, stored: stored)
            let issuerOK = binding.issuerMatches && organization(ofDID: issuerID) == record.organizationID
            checks.append(.init(name: "issuer", ok: issuerOK, detail: issuerOK ? "issuer.ok" : "issuer.mismatch"))
            checks.append(.init(name: "subject", ok: binding.subjectMatches, detail: binding.subjectMatches ? "subject.ok" : "subject.mismatch"))
            if !issuerOK || !binding.subjectMatches { return (.tampered, checks, nil) }
        }
        let status: VerificationStatus = record.map { Self.status($0, today: app.today) } ?? .unknown
        checks.append(.init(name: "status", ok: status == .valid, detail: "status.\(status.rawValue)"))
        if let record { checks.append(try await loggedCheck(record.number)) }
        let now = app.now
        let from = credential["validFrom"]?.string.flatMap { ISO8601DateFormatter().date(from: $0) }
        let until = credential["validUntil"]?.string.flatMap { ISO8601DateFormatter().date(from: $0) }
        let datesOK = (from.map { $0 <= now } ?? false) && (until.map { now <= $0 } ?? true)
        checks.append(.init(name: "dates", ok: datesOK, detail: datesOK ? "dates.ok" : "dates.outside"))
        return (datesOK ? status : (status == .valid ? .expired : status), checks, record)
    }

    /// The organization of one of this platform's `did:web` identifiers.
    func organization(ofDID did: String) -> UUID? {
        let prefix = didPrefix()
        guard did.hasPrefix(prefix) else { return nil }
        return UUID(uuidString: String(did.dropFirst(prefix.count)))
    }
}

extension CertificateService {
    /// In the public transparency log (issue 19), with the index of the certificate's newest entry; certificates from
    /// before the log began are not, which the check says without changing the verdict.
    func loggedCheck(_ number: String) async throws -> VerificationCheck {
        let index = try await TransparencyLogStore(app.db).latestIndex(number: number)
        return .init(name: "logged", ok: index != nil, detail: index.map { "logged.ok|\($0)" } ?? "logged.missing")
    }
}
