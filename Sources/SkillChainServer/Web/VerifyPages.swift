import Fluent
import SkillChainCore
import Vapor

/// Public verification: by number (and holder name), by the QR link, or by pasting a credential (JSON or JWT).
enum VerifyPages {
    struct Check: Encodable { let name: String; let ok: Bool; let detail: String }
    struct Body: Encodable {
        let number: String; let name: String; let pasted: String
        let hasResult: Bool; let status: String; let statusKey: String; let explanation: String
        let facts: [BatchPages.Fact]; let hasFacts: Bool; let checks: [Check]; let hasChecks: Bool; let action: String; let pasteAction: String
        let nameMismatch: Bool
    }

    static func show(_ req: Request) async throws -> Response {
        let number = req.parameters.get("number") ?? (try? req.query.get(String.self, at: "number")) ?? ""
        let name = ((try? req.query.get(String.self, at: "name")) ?? "").trimmingCharacters(in: .whitespaces)
        guard !number.isEmpty else { return try await render(req, number: "", name: "", pasted: "", result: nil) }
        let c = try await CertificateService.lookup(number, on: req.db)
        // With a name, the holder's name must match too (the number alone shows the masked record).
        if let c, !name.isEmpty, c.holderName != name {
            return try await render(req, number: number, name: name, pasted: "", result: (.unknown, [], nil), nameMismatch: true)
        }
        return try await render(req, number: number, name: name, pasted: "", result: (c.map { CertificateService.status($0) } ?? .unknown, [], c))
    }

    static func paste(_ req: Request) async throws -> Response {
        struct Raw: Content { var credential: String? }
        let text = (try req.content.decode(Raw.self).credential ?? "")
        let (status, checks, record) = try await CertificateService.verifyPresented(text, app: req.application)
        return try await render(req, number: "", name: "", pasted: text, result: (status, checks, record))
    }

    static func render(_ req: Request, number: String, name: String, pasted: String,
                       result: (VerificationStatus, [VerificationCheck], CertificateRecord?)?, nameMismatch: Bool = false) async throws -> Response {
        var facts: [BatchPages.Fact] = []
        if let c = result?.2 {
            let body = try await OrganizationRecord.find(c.organizationID, on: req.db)?.name ?? ""
            facts = [.init(label: req.t("person.name"), value: c.holderName), .init(label: req.t("person.citizenId"), value: c.citizenIDMasked),
                     .init(label: req.t("occupations.name"), value: "\(c.occupationName)（\(c.occupationCode)）"),
                     .init(label: req.t("certificate.workType"), value: c.workType), .init(label: req.t("batch.level"), value: req.t("level.\(c.level)")),
                     .init(label: req.t("batch.body"), value: body), .init(label: req.t("certificate.issueDate"), value: c.issueDate),
                     .init(label: req.t("certificate.number"), value: c.number)]
            if let category = c.statusCategory { facts.append(.init(label: req.t("certificate.statusCategory"), value: req.t("certificateReason.\(category)"))) }
        }
        let status = result?.0
        let body = Body(number: number, name: name, pasted: pasted, hasResult: result != nil,
                        status: status.map { req.t("verifyStatus.\($0.rawValue)") } ?? "", statusKey: status?.rawValue ?? "",
                        explanation: status.map { req.t("verifyStatus.\($0.rawValue).explained") } ?? "",
                        facts: facts, hasFacts: !facts.isEmpty, checks: (result?.1 ?? []).map { Check(name: req.t("verify.check.\($0.name)"), ok: $0.ok, detail: req.t("verify.detail.\($0.detail)")) },
                        hasChecks: !(result?.1.isEmpty ?? true), action: "/verify", pasteAction: "/verify", nameMismatch: nameMismatch)
        return try await Page.render("verify", title: req.t("verify.title"), body, req)
    }
}
