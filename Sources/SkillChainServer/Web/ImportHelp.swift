import SkillChainCore
import Vapor

/// What an import page says about its file: each column with what to write and the values it accepts (the labels
/// the platform shows, in both languages, and the usual variants), and a template per language to download.
struct ImportHelp: Encodable {
    struct Column: Encodable {
        let label: String
        let required: Bool
        let note: String
        /// Per value, every word accepted for it (the label in the page's language first).
        let accepted: [[String]]
        let hasAccepted: Bool
    }
    struct Template: Encodable {
        let href: String
        let label: String
    }
    let columns: [Column]
    let templates: [Template]
    let byHeader: Bool

    static func make(_ format: ImportFormat, _ req: Request) -> ImportHelp {
        let words = ImportVocabulary(localizer: req.application.localizer)
        let other: AppLocale = req.locale == .en ? .zhHans : .en
        return ImportHelp(
            columns: format.columns(words).map { c in
                // Each accepted value: its label in the page's language first, then every other word for it.
                let accepted = c.choices(req.locale) ?? []
                return Column(label: req.t(c.label), required: c.required, note: req.t(c.note), accepted: accepted, hasAccepted: !accepted.isEmpty)
            },
            templates: [req.locale, other].map {
                Template(href: SiteURL.importTemplate(format.rawValue, $0).path, label: req.t("importHelp.template.\($0.rawValue)"))
            },
            byHeader: format.columnsByHeader)
    }

    /// `GET /import-templates/<format>-<locale>.csv`: the header row in that language and an example row.
    static func template(_ req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        guard file.hasSuffix(".csv") else { throw DomainError.notFound }
        let stem = String(file.dropLast(4))
        guard let locale = AppLocale.allCases.first(where: { stem.hasSuffix("-" + $0.rawValue) }),
            let format = ImportFormat(rawValue: String(stem.dropLast(locale.rawValue.count + 1)))
        else { throw DomainError.notFound }
        let words = ImportVocabulary(localizer: req.application.localizer)
        let body = format.template(words, localizer: req.application.localizer, locale: locale)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(file)\"")
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }
}
