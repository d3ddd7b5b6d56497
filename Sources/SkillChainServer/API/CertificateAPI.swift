import Fluent
import Foundation
import NIOConcurrencyHelpers
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
    static func response(_ c: CertificateRecord, body: String, _ app: Application, public isPublic: Bool = false) -> CertificateResponse {
        CertificateResponse(number: c.number, holderName: c.holderName, citizenIdMasked: c.citizenIDMasked, occupationCode: c.occupationCode,
                            occupationName: c.occupationName, workType: c.workType, level: c.level, body: body, issueDate: c.issueDate,
                            validUntil: c.validUntil, status: CertificateService.status(c).rawValue, statusCategory: c.statusCategory,
                            verifyUrl: "\(CertificateService.baseURL(app))/verify/\(c.number)")
    }

    static func bodyName(_ c: CertificateRecord, on db: any Database) async throws -> String {
        try await OrganizationRecord.find(c.organizationID, on: db)?.name ?? ""
    }

    /// The certificate if the actor may see it: the body, the region's bureau, or the holder.
    static func authorized(_ number: String, actor: Actor, on db: any Database) async throws -> CertificateRecord {
        guard let c = try await CertificateService.lookup(number, on: db) else { throw DomainError.notFound }
        if actor.role == .learner {
            guard let me = actor.personID, let p = try await PersonRecord.find(me, on: db), p.citizenIDIndex == c.citizenIDIndex else { throw DomainError.notFound }
            return c
        }
        let region = try await OrganizationRecord.find(c.organizationID, on: db)?.regionCode
        try actor.require(.viewCertificate, actor.scope(owner: c.organizationID, region: region))
        return c
    }

    static func list(_ req: Request) async throws -> APIPage<CertificateResponse> {
        let actor = try req.requireActor()
        let cursor = try CursorRequest(req)
        let q = try await CertificateService.visible(actor, on: req.db)
        let rows = try await cursor.apply(q).all()
        let page = Array(rows.prefix(cursor.limit))
        let bodies = try await OrganizationRecord.query(on: req.db).filter(\.$id ~~ Set(page.map(\.organizationID))).all()
        let name = Dictionary(uniqueKeysWithValues: bodies.map { ($0.id!, $0.name) })
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
        let c = try await CertificateService.changeStatus(req.parameters.get("number") ?? "", try req.content.decode(CertificateStatusInput.self), actor: actor, app: req.application)
        return response(c, body: try await bodyName(c, on: req.db), req.application)
    }

    static func verifyNumber(_ req: Request) async throws -> VerifyResponse {
        let number = (req.parameters.get("number") ?? "").uppercased()
        if let hit = req.application.verificationCache.get(number) { return hit }
        guard let c = try await CertificateService.lookup(number, on: req.db) else {
            return VerifyResponse(verified: false, status: VerificationStatus.unknown.rawValue, checks: [], certificate: nil)
        }
        let status = CertificateService.status(c)
        let answer = VerifyResponse(verified: status == .valid, status: status.rawValue, checks: [], certificate: response(c, body: try await bodyName(c, on: req.db), req.application))
        req.application.verificationCache.put(number, answer)
        return answer
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
        let (status, checks, record) = try await CertificateService.verifyPresented(text, app: req.application)
        let checksOut = checks.map { VerificationCheck(name: $0.name, ok: $0.ok, detail: req.t("verify.detail.\($0.detail)")) }
        return VerifyResponse(verified: status == .valid, status: status.rawValue, checks: checksOut,
                              certificate: try await record.asyncMap { response($0, body: try await bodyName($0, on: req.db), req.application) })
    }

    static func didDocument(_ req: Request) async throws -> Response {
        jsonResponse(try await CertificateService.didDocument(try req.idParameter(), app: req.application), contentType: "application/did+json")
    }

    static func statusList(_ req: Request) async throws -> Response {
        jsonResponse(try await CertificateService.statusList(req.parameters.get("list") ?? "", app: req.application),
                     contentType: "application/vc+ld+json", cacheSeconds: CertificateService.statusTTL)
    }
}

extension Optional {
    func asyncMap<T>(_ f: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let v = self else { return nil }
        return try await f(v)
    }
}

/// Answers to `GET /api/v1/verify/{number}` kept for `ttl` seconds in this instance; a status change here clears the
/// entry at once, other instances see it within `ttl` (well inside the status list's own 300-second ttl).
final class VerificationCache: Sendable {
    let ttl: TimeInterval = 30
    private let entries = NIOLockedValueBox<[String: (VerifyResponse, Date)]>([:])

    func get(_ number: String, now: Date = Date()) -> VerifyResponse? {
        entries.withLockedValue { e in
            guard let (v, at) = e[number] else { return nil }
            if now.timeIntervalSince(at) > ttl { e[number] = nil; return nil }
            return v
        }
    }

    func put(_ number: String, _ v: VerifyResponse, now: Date = Date()) {
        entries.withLockedValue { e in
            if e.count > 100_000 { e.removeAll() }
            e[number] = (v, now)
        }
    }

    func clear(_ number: String) { entries.withLockedValue { $0[number] = nil } }
}

extension Application {
    private struct VerificationCacheKey: StorageKey { typealias Value = VerificationCache }
    var verificationCache: VerificationCache {
        if let c = storage[VerificationCacheKey.self] { return c }
        let c = VerificationCache()
        storage[VerificationCacheKey.self] = c
        return c
    }
}
