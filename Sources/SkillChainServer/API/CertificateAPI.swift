import Fluent
import Foundation
import SkillChainCore
import Vapor

struct CertificateResponse: Content {
    let number: String
    let holderName: String
    let citizenIdMasked: String
    let occupationCode: String
    let occupationName: String
    let workType: String
    let level: String
    let body: String
    let issueDate: String
    let validUntil: String?
    let status: String
    let statusCategory: String?
    let verifyUrl: String
}

struct VerifyResponse: Content {
    let verified: Bool
    let status: String
    let checks: [VerificationCheck]
    let certificate: CertificateResponse?
}

struct VerifyInput: Content, Sendable {
    /// A credential as JSON (object) or a VC-JWT (string).
    var credential: String?
}

/// Answers `text` with a JSON body rendered exactly as given (canonical JSON of signed documents).
func jsonResponse(_ v: JSONValue, contentType: String = "application/json", cacheSeconds: Int? = nil) -> Response {
    var headers = HTTPHeaders()
    headers.replaceOrAdd(name: .contentType, value: contentType)
    if let s = cacheSeconds { headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=\(s)") }
    return Response(status: .ok, headers: headers, body: .init(string: CanonicalJSON.string(v)))
}

enum CertificateAPI {
    /// `verifyURL` defaults to the printed certificate's address (with its link secret): the body and the holder may share it.
    static func response(_ c: CertificateRecord, body: String, _ app: Application, verifyURL: String? = nil) -> CertificateResponse {
        CertificateResponse(
            number: c.number, holderName: c.holderName, citizenIdMasked: c.citizenIDMasked, occupationCode: c.occupationCode,
            occupationName: c.occupationName, workType: c.workType, level: c.level, body: body, issueDate: c.issueDate,
            validUntil: c.validUntil, status: CertificateService.status(c, today: app.today).rawValue,
            statusCategory: c.statusCategory,
            verifyUrl: verifyURL ?? PublicVerificationService(app).verifyURL(c.number))
    }

    static func bodyName(_ c: CertificateRecord, on db: any Database) async throws -> String {
        try await OrganizationRecord.find(c.organizationID, on: db)?.name ?? ""
    }

    /// The certificate if the actor may see it: the body, the region's bureau, or the holder.
    static func authorized(_ number: String, actor: Actor, on db: any Database) async throws -> CertificateRecord {
        guard let c = try await CertificateService.lookup(number, on: db) else { throw DomainError.notFound }
        if actor.role == .learner {
            guard let me = actor.personID, let p = try await PersonRecord.find(me, on: db), p.citizenIDIndex == c.citizenIDIndex else {
                throw DomainError.notFound
            }
            return c
        }
        let region = try await OrganizationRecord.find(c.organizationID, on: db)?.regionCode
        try actor.require(.viewCertificate, actor.scope(owner: c.organizationID, region: region))
        return c
    }

    static func list(_ req: Request) async throws -> APIPage<CertificateResponse> {
        let actor = try req.requireActor()
        let cursor = try CursorRequest(req)
        let q = try await CertificateStore(req.db).visible(to: actor)
        let rows = try await cursor.apply(q).all()
        let page = Array(rows.prefix(cursor.limit))
        let name = try await OrganizationRecord.names(page.map(\.organizationID), \.name, on: req.db)
        let items = page.map { response($0, body: name[$0.organizationID] ?? "", req.application) }
        return APIPage(items: items, nextCursor: rows.count > cursor.limit ? rows[cursor.limit - 1].id?.uuidString.lowercased() : nil)
    }

    static func credential(_ req: Request) async throws -> Response {
        let c = try await authorized(req.parameters.get("number") ?? "", actor: try req.requireActor(), on: req.db)
        guard let v = try? JSONValue.parse(c.credential) else { throw Abort(.internalServerError) }
        return jsonResponse(v, contentType: "application/vc+ld+json")
    }

    static func credentialJWT(_ req: Request) async throws -> Response {
        let c = try await authorized(req.parameters.get("number") ?? "", actor: try req.requireActor(), on: req.db)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "application/vc+jwt")
        return Response(status: .ok, headers: headers, body: .init(string: try CertificateService.jwt(c)))
    }

    static func changeStatus(_ req: Request) async throws -> CertificateResponse {
        let actor = try req.requireActor()
        let c = try await CertificateService(req.application).changeStatus(
            req.parameters.get("number") ?? "", try req.content.decode(CertificateStatusInput.self), actor: actor)
        return response(c, body: try await bodyName(c, on: req.db), req.application)
    }

    /// By number alone the name is masked; `?name=` checks the holder's name (no match answers `unknown` with a failed
    /// `holderName` check); `?k=` is the printed certificate's link secret and shows the full name.
    static func verifyNumber(_ req: Request) async throws -> VerifyResponse {
        let name = req.query[String.self, at: "name"] ?? ""
        let secret = req.query[String.self, at: "k"] ?? ""
        var v = Validator()
        _ = v.optional("name", name, max: 50)
        _ = v.optional("k", secret, max: 64)
        try v.check()
        let outcome = try await PublicVerificationService.lookup(req.parameters.get("number") ?? "", name: name, linkSecret: secret, req: req)
        switch outcome {
        case .unknown:
            return VerifyResponse(verified: false, status: VerificationStatus.unknown.rawValue, checks: [], certificate: nil)
        case .nameMismatch:
            return VerifyResponse(
                verified: false, status: VerificationStatus.unknown.rawValue,
                checks: [VerificationCheck(name: "holderName", ok: false, detail: req.t("verify.detail.holderName.mismatch"))],
                certificate: nil)
        case .found(let c, let fullName):
            var checks = fullName ? [VerificationCheck(name: "holderName", ok: true, detail: req.t("verify.detail.holderName.ok"))] : []
            let logged = try await CertificateService(req.application).loggedCheck(c.number)
            checks.append(.init(name: logged.name, ok: logged.ok, detail: VerificationCheck.text(logged.detail, req)))
            return VerifyResponse(verified: c.status == VerificationStatus.valid.rawValue, status: c.status, checks: checks, certificate: c)
        }
    }

    static func verifyPresented(_ req: Request) async throws -> VerifyResponse {
        // The body is the credential itself (a JSON object) or `{"credential": "<JWT>"}` / `{"credential": {…}}`.
        guard let body = try? JSONValue.parse(req.body.string ?? ""), case .object(let members) = body else {
            throw ValidationFailure([FieldError("credential", "field.required")])
        }
        var text = CanonicalJSON.string(body)
        if let inner = members["credential"] {
            switch inner {
            case .string(let s): text = s
            case .object: text = CanonicalJSON.string(inner)
            default: throw ValidationFailure([FieldError("credential", "field.invalidChoice")])
            }
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationFailure([FieldError("credential", "field.required")]) }
        let (status, checks, record) = try await CertificateService(req.application).verifyPresented(text)
        let checksOut = checks.map { VerificationCheck(name: $0.name, ok: $0.ok, detail: VerificationCheck.text($0.detail, req)) }
        return VerifyResponse(
            verified: status == .valid, status: status.rawValue, checks: checksOut,
            certificate: try await record.asyncMap { response($0, body: try await bodyName($0, on: req.db), req.application) })
    }

    static func didDocument(_ req: Request) async throws -> Response {
        jsonResponse(try await CertificateService(req.application).didDocument(try req.idParameter()), contentType: "application/did+json")
    }

    static func statusList(_ req: Request) async throws -> Response {
        jsonResponse(
            try await CertificateService(req.application).statusList(req.parameters.get("list") ?? ""),
            contentType: "application/vc+ld+json", cacheSeconds: CertificateService.statusTTL)
    }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let v = self else { return nil }
        return try await f(v)
    }
}
