import Fluent
import SkillChainCore
import Vapor

/// An RFC 9457 problem document with a stable `code` and localized `title`/`detail`.
struct Problem: Content {
    struct FieldProblem: Content {
        let field: String
        let code: String
        let message: String
    }

    var type: String
    var title: String
    var status: Int
    var detail: String
    var code: String
    var errors: [FieldProblem]?
    /// The request's id (`X-Request-Id`), to quote when reporting the problem.
    var requestId: String?
}

/// The one place where errors become HTTP answers: `application/problem+json` under `/api`,
/// a friendly localized page elsewhere. Internal error text never reaches a user.
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            let (status, code, fields, headers) = Self.classify(error, req)
            if status == .internalServerError {
                req.logger.error("unhandled error", metadata: ["type": .string(String(reflecting: type(of: error)))])
            }
            let problem = Problem(
                type: "urn:skillchain:problem:\(code)",
                title: req.t("problem.\(code).title"),
                status: Int(status.code),
                detail: fields.isEmpty ? req.t("problem.\(code).detail") : fields.map { req.t($0.code, $0.args) }.joined(separator: "；"),
                code: code,
                errors: fields.isEmpty ? nil : fields.map { .init(field: $0.field, code: $0.code, message: req.t($0.code, $0.args)) },
                requestId: req.requestID)
            let response: Response
            if req.isAPI || req.headers.accept.mediaTypes.contains(where: { $0.subType == "problem+json" }) {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                response = Response(
                    status: status, headers: ["Content-Type": "application/problem+json; charset=utf-8"],
                    body: .init(data: try encoder.encode(problem)))
            } else {
                response = try await ErrorPage.render(problem, req)
            }
            for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
            return response
        }
    }

    /// Names the field a body could not be read at, so the message says what to fix.
    static func fieldErrors(_ error: DecodingError) -> [FieldError] {
        func name(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c):
            return c.codingPath.isEmpty
                ? [FieldError("", "body.malformed")] : [FieldError(name(c.codingPath), "field.wrongType", [name(c.codingPath)])]
        case .keyNotFound(let key, let c):
            return [FieldError(name(c.codingPath + [key]), "field.required")]
        case .dataCorrupted(let c):
            return c.codingPath.isEmpty
                ? [FieldError("", "body.malformed")] : [FieldError(name(c.codingPath), "field.wrongType", [name(c.codingPath)])]
        @unknown default:
            return [FieldError("", "body.malformed")]
        }
    }

    static func classify(_ error: any Error, _ req: Request) -> (HTTPStatus, String, [FieldError], HTTPHeaders) {
        switch error {
        case let failure as ValidationFailure:
            return (.unprocessableEntity, "validation", failure.errors, [:])
        case let domain as DomainError:
            switch domain {
            case .notFound: return (.notFound, "not-found", [], [:])
            case .forbidden: return (.forbidden, "forbidden", [], [:])
            case .conflict(let code, let args): return (.conflict, "conflict", [FieldError("", code, args)], [:])
            case .rule(let code, let args): return (.unprocessableEntity, "rule", [FieldError("", code, args)], [:])
            }
        case let stale as StaleRecord:
            return (.preconditionFailed, "precondition-failed", [FieldError("", "edit.stale")], ["ETag": RecordVersion.etag(stale.current)])
        case is SecondFactorRequired:
            return (.unauthorized, "second-factor", [], ["WWW-Authenticate": "Bearer"])
        case let throttled as LoginThrottled:
            return (.tooManyRequests, "too-many-requests", [], ["Retry-After": String(throttled.retryAfter)])
        case let decoding as DecodingError:
            return (.badRequest, "malformed-body", fieldErrors(decoding), [:])
        case let abort as any AbortError:
            let code: String =
                switch abort.status {
                case .badRequest: "malformed-body"
                case .unauthorized: "unauthorized"
                case .forbidden: abort.reason.hasPrefix("csrf") ? "csrf" : "forbidden"
                case .notFound: "not-found"
                case .methodNotAllowed: "method-not-allowed"
                case .payloadTooLarge: "payload-too-large"
                case .unsupportedMediaType: "unsupported-media-type"
                case .tooManyRequests: "too-many-requests"
                case .conflict: "conflict"
                case .unprocessableEntity: "malformed-body"
                default: abort.status.code >= 500 ? "internal" : "malformed-body"
                }
            var headers = abort.headers
            if abort.status == .unauthorized && req.isAPI { headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer") }
            return (abort.status, code, [], headers)
        case let db as any DatabaseError where db.isConstraintFailure:
            return (.conflict, "conflict", [FieldError("", "conflict.duplicate")], [:])
        default:
            return (.internalServerError, "internal", [], [:])
        }
    }
}
