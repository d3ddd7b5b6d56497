import Fluent
import SkillChainCore
import Vapor

/// The body's certificate administration: importing existing certificates, and its signing keys (rotation).
enum CertificateAdminPages {
    // MARK: Import

    struct ImportBody: Encodable {
        let help: [ImportHelp]
        let imported: Int?
        let errors: [ImportPages.ErrorRow]
        let hasErrors: Bool
        let moreErrors: Int
        let text: String
    }

    static func renderImport(_ req: Request, outcome: CertificateImportService.Outcome? = nil, text: String = "", status: HTTPStatus = .ok)
        async throws -> Response
    {
        let shown = (outcome?.errors ?? []).prefix(200)
        return try await Page.render(
            "certificate-import", title: req.t("certificateImport.title"),
            ImportBody(
                help: [ImportHelp.make(.certificates, req)],
                imported: outcome.flatMap { $0.imported > 0 ? $0.imported : nil },
                errors: shown.map { ImportPages.message($0, req) }, hasErrors: !shown.isEmpty,
                moreErrors: max(0, (outcome?.errors.count ?? 0) - shown.count),
                text: text), req, status: status)
    }

    static func showImport(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try actor.require(.manageCertificates, actor.scope(owner: actor.organizationID))
        return try await renderImport(req)
    }

    /// A CSV file (`file`) or pasted text (`text`).
    static func submitImport(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Form: Content {
            var file: File?
            var text: String?
        }
        let form = try req.content.decode(Form.self)
        var bytes: [UInt8] = []
        if let file = form.file, file.data.readableBytes > 0 {
            bytes = Array(file.data.readableBytesView)
        } else if let text = form.text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            bytes = Array(text.utf8)
        }
        guard !bytes.isEmpty else {
            return try await renderImport(
                req, outcome: .init(imported: 0, errors: [RosterError(line: 0, column: "", code: "import.file.required")]),
                status: .unprocessableEntity)
        }
        let outcome = try await CertificateImportService(req.application).run(bytes, actor: actor)
        return try await renderImport(
            req, outcome: outcome, text: outcome.errors.isEmpty ? "" : (form.text ?? ""),
            status: outcome.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    // MARK: Keys

    struct KeyRow: Encodable {
        let key: String
        let created: String
        let retired: String?
        let active: Bool
    }
    struct KeysBody: Encodable {
        let did: String
        let documentHref: String
        let keys: [KeyRow]
        let hasKeys: Bool
        let rotated: Bool
    }

    static func keys(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try actor.require(.manageCertificates, actor.scope(owner: actor.organizationID))
        let org = actor.organizationID
        let rows = try await req.application.dependencies.signingKeys.history(org, on: req.db).reversed()
        let stamp = { (d: Date?) in d.map { Day($0).description } ?? "" }
        return try await Page.render(
            "keys", title: req.t("keys.title"),
            KeysBody(
                did: CertificateService(req.application).did(org), documentHref: SiteURL.didDocument(org).path,
                keys: rows.map {
                    KeyRow(
                        key: $0.publicMultibase, created: stamp($0.createdAt), retired: $0.retiredAt.map { stamp($0) }, active: $0.retiredAt == nil)
                },
                hasKeys: !rows.isEmpty, rotated: req.query[String.self, at: "rotated"] != nil), req)
    }

    static func rotate(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try actor.require(.manageCertificates, actor.scope(owner: actor.organizationID))
        _ = try await CertificateService(req.application).rotate(actor.organizationID, actor: actor)
        return req.redirect(to: SiteURL.certificatesKeysRotated.path, redirectType: .normal)
    }
}
