import Fluent
import SkillChainCore
import Vapor

/// Public verification: by number (and holder name), by the QR link, or by pasting a credential (JSON or JWT).
enum VerifyPages {
    struct Check: Encodable {
        let name: String
        let ok: Bool
        let detail: String
    }
    struct Body: Encodable {
        let number: String
        let name: String
        let pasted: String
        let hasResult: Bool
        let status: String
        let statusKey: String
        let explanation: String
        let facts: [BatchPages.Fact]
        let hasFacts: Bool
        let checks: [Check]
        let hasChecks: Bool
        let action: String
        let pasteAction: String
        /// The name is shown masked: say how to see it in full.
        let nameMasked: Bool
        let numberError: String?
        let credentialError: String?
    }

    /// What the page says when the answer is not the certificate's own status: each names exactly what failed.
    enum Finding: String {
        /// The number is on the platform, but the name typed is not its holder's.
        case nameMismatch
        /// What was pasted is not a credential at all (neither credential JSON nor a JWT).
        case notACredential
    }

    static func show(_ req: Request) async throws -> Response {
        let number = req.parameters.get("number") ?? (try? req.query.get(String.self, at: "number")) ?? ""
        let name = ((try? req.query.get(String.self, at: "name")) ?? "").trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty else {
            // The form sent without a number: say so beside the field rather than show the empty page again.
            let sentEmpty = req.url.query?.split(separator: "&").contains { $0.hasPrefix("number=") } == true
            return try await render(req, number: "", name: name, pasted: "", result: nil, numberError: sentEmpty ? "verify.numberRequired" : nil)
        }
        let outcome = try await PublicVerificationService.lookup(number, name: name, linkSecret: req.query[String.self, at: "k"] ?? "", req: req)
        switch outcome {
        case .unknown:
            return try await render(req, number: number, name: name, pasted: "", result: Result(status: .unknown))
        case .nameMismatch:
            // The number exists but the name is not its holder's: say that, and nothing of the holder.
            return try await render(req, number: number, name: name, pasted: "", result: Result(status: .unknown), finding: .nameMismatch)
        case .found(let c, let fullName):
            let status = VerificationStatus(rawValue: c.status) ?? .unknown
            let logged = try await CertificateService(req.application).loggedCheck(c.number)
            let result = Result(status: status, checks: [logged], certificate: c, fullName: fullName)
            return try await render(req, number: number, name: name, pasted: "", result: result)
        }
    }

    static func paste(_ req: Request) async throws -> Response {
        struct Raw: Content { var credential: String? }
        let text = (try req.content.decode(Raw.self).credential ?? "")
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return try await render(req, number: "", name: "", pasted: "", result: nil, credentialError: "verify.credentialRequired")
        }
        let (status, checks, record) = try await CertificateService(req.application).verifyPresented(text)
        if checks.first(where: { $0.name == "format" })?.ok == false {
            return try await render(req, number: "", name: "", pasted: text, result: Result(status: status), finding: .notACredential)
        }
        // A pasted credential already names its holder, so the record is shown in full.
        let certificate = try await record.asyncMap {
            CertificateAPI.response($0, body: try await CertificateAPI.bodyName($0, on: req.db), req.application)
        }
        return try await render(
            req, number: "", name: "", pasted: text,
            result: Result(status: status, checks: checks, certificate: certificate, fullName: true))
    }

    struct Result {
        var status: VerificationStatus
        var checks: [VerificationCheck] = []
        var certificate: CertificateResponse?
        var fullName = false
    }

    static func render(
        _ req: Request, number: String, name: String, pasted: String, result: Result?, finding: Finding? = nil,
        numberError: String? = nil, credentialError: String? = nil
    ) async throws -> Response {
        var facts: [BatchPages.Fact] = []
        if let c = result?.certificate {
            facts = [.init(label: req.t("person.name"), value: c.holderName)]
            if result?.fullName == true { facts.append(.init(label: req.t("person.citizenId"), value: c.citizenIdMasked)) }
            facts += [
                .init(label: req.t("occupations.name"), value: "\(c.occupationName)（\(c.occupationCode)）"),
                .init(label: req.t("certificate.workType"), value: c.workType), .init(label: req.t("batch.level"), value: req.t("level.\(c.level)")),
                .init(label: req.t("batch.body"), value: c.body), .init(label: req.t("certificate.issueDate"), value: c.issueDate),
            ]
            if let until = c.validUntil { facts.append(.init(label: req.t("certificate.validUntil"), value: until)) }
            facts.append(.init(label: req.t("certificate.number"), value: c.number))
            if let category = c.statusCategory {
                facts.append(.init(label: req.t("certificate.statusCategory"), value: req.t("certificateReason.\(category)")))
            }
        }
        let status = result?.status
        let checks = (result?.checks ?? []).map {
            Check(name: req.t("verify.check.\($0.name)"), ok: $0.ok, detail: VerificationCheck.text($0.detail, req))
        }
        let body = Body(
            number: number, name: name, pasted: pasted, hasResult: result != nil,
            status: finding.map { req.t("verify.finding.\($0.rawValue)") } ?? status.map { req.t("verifyStatus.\($0.rawValue)") } ?? "",
            statusKey: finding.map { _ in "returned" } ?? status?.rawValue ?? "",
            explanation: finding.map { req.t("verify.finding.\($0.rawValue).explained", [name]) }
                ?? status.map { req.t("verifyStatus.\($0.rawValue).explained") } ?? "",
            facts: facts, hasFacts: !facts.isEmpty, checks: checks, hasChecks: !checks.isEmpty,
            action: SiteURL.verify.path, pasteAction: SiteURL.verify.path,
            nameMasked: result?.certificate != nil && result?.fullName == false,
            numberError: numberError.map { req.t($0) }, credentialError: credentialError.map { req.t($0) })
        return try await Page.render("verify", title: req.t("verify.title"), body, req)
    }
}
