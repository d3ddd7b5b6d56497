import Crypto
import Fluent
import Foundation
import SkillChainCore
import Vapor

extension CertificateService {
    func changeStatus(_ number: String, _ input: CertificateStatusInput, actor: Actor) async throws -> CertificateRecord {
        guard let c = try await CertificateStore(app.db).find(number: number) else {
            throw DomainError.notFound
        }
        try actor.require(.manageCertificates, actor.scope(owner: c.organizationID))
        var v = Validator()
        let action = (input.action ?? "").trimmingCharacters(in: .whitespaces)
        let change = CertificateStatus.Change(rawValue: action)
        if change == nil { v.add("action", action.isEmpty ? "field.required" : "field.invalidChoice") }
        // A category given with a reinstatement is still checked (and then not used).
        let given =
            change == .reinstate && (input.category ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            ? nil : v.oneOf("category", input.category, StatusCategory.self)
        let category = change == .reinstate ? nil : given
        let reason = v.optional("reason", input.reason, max: 1000)
        if change != .reinstate && reason == nil { v.add("reason", "certificate.reason.required") }
        try v.check()
        guard let change, let next = CertificateStatus(rawValue: c.status)?.applying(change) else {
            throw DomainError.rule(code: "certificate.status.notAllowed")
        }
        let sealed = try reason.map { try app.personalData.seal($0) }
        let changed = try await app.write { db in
            guard
                let row = try await CertificateStore(db).changeStatus(
                    c.id!, from: c.status, to: next, category: category?.rawValue, reasonSealed: sealed)
            else {
                throw DomainError.changedMeanwhile
            }
            try await AuditLog.append(
                .init(
                    action: "certificate.\(action)", objectType: "certificate", objectID: row.number,
                    detail: ["status": next.rawValue, "category": category?.rawValue ?? ""]), actor: actor, on: db, now: app.now)
            if next == .revoked { try await Self.flagSubsidies(row, actor: actor, on: db, now: app.now) }
            try await TransparencyLog.append([TransparencyLog.statusEntry(row, from: c.status, to: next, app: app, at: app.now)], on: db)
            try await NotificationService(app).notify(try await NotificationService.certificateDrafts(row, now: next, on: db), on: db)
            return row
        }
        // After the commit, so a concurrent lookup cannot cache the old status again.
        app.verificationCache.clear(changed.number)
        AppMetrics.certificateStatusChanged(action)
        return changed
    }

    /// Subsidy claims whose settlement counted a certificate in this occupation for this person are flagged (and
    /// audited) when the certificate is revoked, so the HR bureau can claw back.
    static func flagSubsidies(_ c: CertificateRecord, actor: Actor, on db: any Database, now: Date) async throws {
        let people = try await PersonRecord.query(on: db).filter(\.$citizenIDIndex == c.citizenIDIndex).all().compactMap(\.id)
        let enrollments = try await EnrollmentRecord.query(on: db).filter(\.$personID ~~ people).all()
        let programs = try await ProgramRecord.query(on: db).filter(\.$id ~~ Set(enrollments.map(\.programID))).filter(
            \.$occupationCode == c.occupationCode
        ).all()
        let relevant = Set(enrollments.filter { e in programs.contains { $0.id == e.programID } }.compactMap(\.id))
        guard !relevant.isEmpty else { return }
        let claims = try await SubsidyClaimRecord.query(on: db).filter(\.$enrollmentID ~~ relevant)
            .filter(\.$outcome ~~ [TrainingOutcome.intermediateCertificate.rawValue, TrainingOutcome.advancedCertificate.rawValue]).all()
        for claim in claims {
            claim.revokedCertificate = c.number
            try await claim.update(on: db)
            try await AuditLog.append(
                .init(
                    action: "subsidy.certificateRevoked", objectType: "subsidyClaim", objectID: claim.id!.uuidString.lowercased(),
                    detail: ["certificate": c.number]), actor: actor, on: db, now: now)
        }
    }

    /// The signed Bitstring Status List credential of a body for `purpose`.
    func statusList(_ listID: String) async throws -> JSONValue {
        let parts = listID.split(separator: "-")
        guard parts.count == 6, let org = UUID(uuidString: parts.prefix(5).joined(separator: "-")),
            let purpose = StatusPurpose(rawValue: String(parts[5]))
        else {
            throw DomainError.notFound
        }
        guard try await OrganizationRecord.find(org, on: app.db) != nil else { throw DomainError.notFound }
        var list = BitstringStatusList()
        for index in try await CertificateStore(app.db).flaggedIndexes(org, purpose) { list[index] = true }
        let url = statusListURL(org, purpose: purpose.rawValue)
        let (key, privateKey) = try await app.write { db in try await activeKey(org, on: db) }
        let now = ISO8601DateFormatter().string(from: app.now)
        let doc: JSONValue = .object([
            "@context": .array([.string("https://www.w3.org/ns/credentials/v2")]),
            "id": .string(url), "type": .array([.string("VerifiableCredential"), .string("BitstringStatusListCredential")]),
            "issuer": .string(did(org)), "validFrom": .string(now),
            "credentialSubject": .object([
                "id": .string(url + "#list"), "type": .string("BitstringStatusList"), "statusPurpose": .string(purpose.rawValue),
                "encodedList": .string(list.encodedList), "ttl": .number(Double(Self.statusTTL * 1000)),
            ]),
        ])
        return try EddsaJcs2022.sign(doc, verificationMethod: "\(did(org))#\(key.publicMultibase)", created: now, key: privateKey)
    }

    /// Seconds a status list may be cached (its `ttl`, and `Cache-Control: max-age`).
    static let statusTTL = 300
}
