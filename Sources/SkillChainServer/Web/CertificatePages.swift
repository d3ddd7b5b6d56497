import Fluent
import SkillChainCore
import Vapor

/// Certificates for the body (list, revoke, suspend, reinstate), the holder (downloads) and the printer.
enum CertificatePages {
    struct Row: Encodable {
        let number: String
        let holder: String
        let maskedID: String
        let occupation: String
        let level: String
        let issued: String
        let status: String
        let statusKey: String
        let verifyHref: String
        let printHref: String
        let jsonHref: String
        let jwtHref: String
        let logProofHref: String
        let statusAction: String
        let canManage: Bool
        let canReinstate: Bool
        let canRevokeOrSuspend: Bool
    }
    struct Body: Encodable {
        let rows: [Row]
        let hasRows: Bool
        let categories: [ChoiceOption]
        let errors: [String: String]
        let isHolder: Bool
        let canAdminister: Bool
    }

    static func list(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, errors: [String: String] = [:], status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.requireActor()
        let certs = try await CertificateStore(req.db).visible(to: actor).sort(\.$createdAt, .descending).limit(500).all()
        return try await Page.render(
            "certificates", title: req.t("certificates.title"),
            Body(
                rows: certs.map { c in
                    let manage = actor.can(.manageCertificates, actor.scope(owner: c.organizationID))
                    return Row(
                        number: c.number, holder: c.holderName, maskedID: c.citizenIDMasked, occupation: "\(c.occupationName)（\(c.occupationCode)）",
                        level: req.t("level.\(c.level)"), issued: c.issueDate,
                        status: req.t("verifyStatus.\(CertificateService.status(c, today: req.today).rawValue)"),
                        statusKey: CertificateService.status(c, today: req.today).rawValue,
                        verifyHref: SiteURL.verifyNumber(c.number, key: PublicVerificationService(req.application).linkSecret(c.number)).path,
                        printHref: SiteURL.certificatePrint(c.number).path,
                        jsonHref: SiteURL.certificateJSON(c.number).path, jwtHref: SiteURL.certificateJWT(c.number).path,
                        logProofHref: SiteURL.api(.certificateLogProof(c.number)).path,
                        statusAction: SiteURL.certificateStatus(c.number).path, canManage: manage,
                        canReinstate: manage && CertificateStatus(rawValue: c.status)?.applying(.reinstate) != nil,
                        canRevokeOrSuspend: manage && CertificateStatus(rawValue: c.status)?.applying(.revoke) != nil)
                },
                hasRows: !certs.isEmpty, categories: Page.options(StatusCategory.self, prefix: "certificateReason", selected: [], req),
                errors: errors,
                isHolder: actor.role == .learner, canAdminister: actor.can(.manageCertificates, actor.scope(owner: actor.organizationID))), req,
            status: status)
    }

    static func changeStatus(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.content.decode(CertificateStatusInput.self)
        return try await Page.attempt(req) {
            _ = try await CertificateService(req.application).changeStatus(req.parameters.get("number") ?? "", input, actor: actor)
            return req.redirect(to: SiteURL.certificates.path, redirectType: .normal)
        } onFailure: { errors in
            try await render(req, errors: errors, status: .unprocessableEntity)
        }
    }

    static func download(_ req: Request, jwt: Bool) async throws -> Response {
        let c = try await CertificateAPI.authorized(req.parameters.get("number") ?? "", actor: try req.requireActor(), on: req.db)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: jwt ? "application/vc+jwt" : "application/vc+ld+json")
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(c.number).\(jwt ? "jwt" : "json")\"")
        return Response(status: .ok, headers: headers, body: .init(string: jwt ? try CertificateService.jwt(c) : c.credential))
    }

    static func json(_ req: Request) async throws -> Response { try await download(req, jwt: false) }
    static func jwt(_ req: Request) async throws -> Response { try await download(req, jwt: true) }

    struct PrintBody: Encodable {
        let lang: String
        let number: String
        let holder: String
        let maskedID: String
        let occupation: String
        let occupationCode: String
        let workType: String
        let levelZh: String
        let levelEn: String
        let body: String
        let issued: String
        let qr: String
        /// The second QR: the signed `SC1:` record, checked without the network.
        let offlineQR: String
        let verifyURL: String
        /// Where the offline record is checked: `<base>/verify/offline`.
        let offlineURL: String
        let statusKey: String
        let status: String
        let isValid: Bool
    }

    /// The A4 certificate: every mandatory field (ID number masked), the national query addresses and a QR code of the
    /// verification address, drawn by our encoder as inline SVG.
    static func print(_ req: Request) async throws -> Response {
        let c = try await CertificateAPI.authorized(req.parameters.get("number") ?? "", actor: try req.requireActor(), on: req.db)
        let verifyURL = PublicVerificationService(req.application).verifyURL(c.number)
        let qr = try QRCode(text: verifyURL, correction: .medium).svg(scale: 4, title: verifyURL)
        let body = try await OrganizationRecord.find(c.organizationID, on: req.db)?.name ?? ""
        let record = try await CertificateService(req.application).compactRecord(c)
        let offlineQR = try QRCode(text: record, correction: .medium).svg(scale: 3, title: String(record.prefix(12)) + "…")
        let status = CertificateService.status(c, today: req.today)
        let view = PrintBody(
            lang: req.locale == .en ? "en" : "zh-Hans", number: c.number, holder: c.holderName, maskedID: c.citizenIDMasked,
            occupation: c.occupationName, occupationCode: c.occupationCode, workType: c.workType,
            levelZh: req.application.localizer.string("level.\(c.level)", .zhHans),
            levelEn: req.application.localizer.string("level.\(c.level)", .en),
            body: body, issued: c.issueDate, qr: qr, offlineQR: offlineQR, verifyURL: verifyURL,
            offlineURL: CertificateService(req.application).baseURL() + SiteURL.verifyOffline.path, statusKey: status.rawValue,
            status: req.t("verifyStatus.\(status.rawValue)"), isValid: status == .valid)
        return try await req.leaf.render("certificate-print", view).encodeResponse(for: req)
    }

    /// The certificate data of a batch for the HR bureau, in the fields of the national data confirmation form (full ID
    /// numbers: the body and the region's bureau only; the export is audited).
    static func batchExport(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let d = try await BatchService.authorized(id, .viewBatch, actor: actor, on: req.db)
        let scope = d.scope(for: actor)
        guard actor.can(.manageBatch, scope) || actor.can(.decideBatchPlan, scope) else { throw DomainError.forbidden }
        let certs = try await CertificateStore(req.db).ofBatch(id)
        let people = try await PersonRecord.byID(certs.map(\.personID), on: req.db)
        var csv = CSVWriter(
            header: [
                "name", "idType", "idNumber", "sex", "occupationCode", "occupationName", "workType", "levelCode", "level",
                "certificateNumber", "issueDate", "body", "bodyCode", "status",
            ].map { req.t("certificateExport.\($0)") })
        for c in certs {
            let p = people[c.personID]
            csv.append([
                c.holderName, req.t("report.idType.resident"), p.flatMap { try? req.application.personalData.open($0.citizenIDSealed) } ?? "",
                p.map { req.t("sex.\($0.sex)") } ?? "", c.occupationCode, c.occupationName, c.workType,
                SkillLevel(rawValue: c.level)?.certificateCode.map(String.init) ?? "", req.t("level.\(c.level)"), c.number, c.issueDate,
                d.organization.name, d.identity.certificatePrefix, req.t("verifyStatus.\(CertificateService.status(c, today: req.today).rawValue)"),
            ])
        }
        let count = certs.count
        try await req.application.write { db in
            try await AuditLog.append(
                .init(action: "certificate.exported", objectType: "batch", objectID: id.uuidString.lowercased(), detail: ["rows": String(count)]),
                actor: actor, on: db, now: req.now)
        }
        return csv.response(filename: "certificates-\(d.batch.practicalDay).csv")
    }
}
