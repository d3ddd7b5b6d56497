import Fluent
import SkillChainCore
import Vapor

/// Roster (花名册) import: a CSV in UTF-8 or GB18030 becomes people of the acting organization, all rows or none.
enum ImportPages {
    struct ErrorRow: Encodable {
        let line: Int
        let column: String
        let message: String
    }
    struct Body: Encodable {
        let action: String
        let help: [ImportHelp]
        let imported: Int?
        let encoding: String?
        let errors: [ErrorRow]
        let hasErrors: Bool
        let moreErrors: Int
        let reportHref: String?
        let peopleHref: String
    }

    /// Largest roster file accepted (100,000 rows are about 8 MB).
    static let maxUpload: ByteCount = "32mb"

    static func render(_ req: Request, outcome: RosterImportService.Outcome? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let shown = (outcome?.errors ?? []).prefix(200)
        return try await Page.render(
            "people-import", title: req.t("import.title"),
            Body(
                action: SiteURL.peopleImport.path,
                help: [ImportHelp.make(.roster, req)],
                imported: outcome.flatMap { $0.imported > 0 ? $0.imported : nil },
                encoding: outcome?.encoding.map { req.t("import.encoding.\($0.rawValue)") },
                errors: shown.map { message($0, req) }, hasErrors: !shown.isEmpty, moreErrors: max(0, (outcome?.errors.count ?? 0) - shown.count),
                reportHref: outcome?.reportID.map { SiteURL.peopleImportReport($0.uuidString.lowercased()).path },
                peopleHref: SiteURL.people.path), req, status: status)
    }

    static func message(_ e: RosterError, _ req: Request) -> ErrorRow {
        ErrorRow(line: e.line, column: e.column.isEmpty ? "" : req.t("import.column.\(e.column)"), message: req.t(e.code, e.args))
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    /// The uploaded file: a multipart form field `file`, or the raw body for `text/csv`.
    static func uploadedBytes(_ req: Request) throws -> [UInt8] {
        if req.headers.contentType?.type == "multipart" {
            struct Upload: Content { var file: File? }
            guard let file = try req.content.decode(Upload.self).file, file.data.readableBytes > 0 else {
                throw ValidationFailure([FieldError("file", "import.file.required")])
            }
            return Array(file.data.readableBytesView)
        }
        guard let body = req.body.data, body.readableBytes > 0 else { throw ValidationFailure([FieldError("file", "import.file.required")]) }
        return Array(body.readableBytesView)
    }

    static func submit(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let bytes: [UInt8]
        do { bytes = try uploadedBytes(req) } catch let f as ValidationFailure {
            return try await render(
                req,
                outcome: .init(
                    imported: 0, errors: f.errors.map { RosterError(line: 0, column: "", code: $0.code) },
                    reportID: nil, encoding: nil), status: .unprocessableEntity)
        }
        let outcome = try await RosterImportService(req.application).run(bytes, organizationID: actor.organizationID, actor: actor)
        return try await render(req, outcome: outcome, status: outcome.errors.isEmpty ? .ok : .unprocessableEntity)
    }

    /// The rejected rows as CSV (line, column, problem) in the user's language.
    static func report(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let errors = try await RosterImportService.report(try req.idParameter(), actor: actor, on: req.db)
        var csv = CSVWriter(header: [req.t("import.report.line"), req.t("import.report.column"), req.t("import.report.problem")])
        for e in errors {
            let m = message(e, req)
            csv.append([String(m.line), m.column, m.message])
        }
        return csv.response(filename: "roster-errors.csv")
    }

    // MARK: API

    struct ImportResponse: Content {
        let imported: Int
        let encoding: String
    }

}
