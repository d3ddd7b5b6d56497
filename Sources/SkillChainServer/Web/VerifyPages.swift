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
        let nameMismatch: Bool
        /// The name is shown masked: say how to see it in full.
        let nameMasked: Bool
    }

    static func show(_ req: Request) async throws -> Response {
        let number = req.parameters.get("number") ?? (try? req.query.get(String.self, at: "number")) ?? ""
        let name = ((try? req.query.get(String.self, at: "name")) ?? "").trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty else { return try await render(req, number: "", name: "", pasted: "", result: nil) }
        let outcome = try await PublicVerificationService.lookup(number, name: name, linkSecret: req.query[String.self, at: "k"] ?? "", req: req)
        switch outcome {
        case .unknown:
            return try await render(req, number: number, name: name, pasted: "", result: Result(status: .unknown))
        case .nameMismatch:
            // With a name, the holder's name must match too: a wrong name says no more than an unknown number.
            return try await render(req, number: number, name: name, pasted: "", result: Result(status: .unknown), nameMismatch: true)
        case .found(let c, let fullName):
            let status = VerificationStatus(rawValue: c.status) ?? .unknown
            return try await render(req, number: number, name: name, pasted: "", result: Result(status: status, certificate: c, fullName: fullName))
        }
    }

    static func paste(_ req: Request) async throws -> Response {
        struct Raw: Content { var credential: String? }
        let text = (try req.content.decode(Raw.self).credential ?? "")
        let (status, checks, record) = try await CertificateService.verifyPresented(text, app: req.application)
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

    static func render(_ req: Request, number: String, name: String, pasted: String, result: Result?, nameMismatch: Bool = false) async throws
        -> Response
    {
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
            Check(name: req.t("verify.check.\($0.name)"), ok: $0.ok, detail: req.t("verify.detail.\($0.detail)"))
        }
        let body = Body(
            number: number, name: name, pasted: pasted, hasResult: result != nil,
            status: status.map { req.t("verifyStatus.\($0.rawValue)") } ?? "", statusKey: status?.rawValue ?? "",
            explanation: status.map { req.t("verifyStatus.\($0.rawValue).explained") } ?? "",
            facts: facts, hasFacts: !facts.isEmpty, checks: checks, hasChecks: !checks.isEmpty,
            action: SiteURL.verify.path, pasteAction: SiteURL.verify.path, nameMismatch: nameMismatch,
            nameMasked: result?.certificate != nil && result?.fullName == false)
        return try await Page.render("verify", title: req.t("verify.title"), body, req)
    }
}
