import Fluent
import SkillChainCore
import Vapor

enum AuthAPI {
    /// `code`: the second factor (a TOTP code or a recovery code), required once the user has enrolled one.
    struct TokenRequest: Content {
        var username: String?
        var password: String?
        var code: String?
    }
    struct TokenResponse: Content {
        let token: String
        let expiresAt: Date
    }

    static func issue(_ req: Request) async throws -> Response {
        let body = try req.content.decode(TokenRequest.self)
        var v = Validator()
        let username = v.required("username", body.username, max: 100)
        let password = body.password ?? ""
        if password.isEmpty {
            v.add("password", "field.required")
        } else if password.count > Password.maximumLength {
            v.add("password", "password.tooLong")
        }
        try v.check()
        guard let (user, membership) = try await AccountService.authenticate(username: username, password: password, req: req) else {
            throw Abort(.unauthorized)
        }
        if user.totpEnrolledAt != nil {
            let code = body.code ?? ""
            let app = req.application
            let ok =
                code.isEmpty
                ? false : try await req.write { db in try await SecondFactorService(app).verify(userID: user.id!, code: code, on: db) }
            guard ok else {
                if !code.isEmpty { try await LoginThrottle.recordFailure(req, username: username) }
                throw SecondFactorRequired()
            }
        }
        let (token, expires) = try await AccountService(req.application).issueToken(
            user: user, membership: membership, userAgent: req.userAgentSummary, address: req.clientAddress)
        let response = Response(status: .created)
        try response.content.encode(TokenResponse(token: token, expiresAt: expires))
        return response
    }

    /// Revokes the token that authenticated this request.
    static func revoke(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let tokenID = actor.tokenID else { throw Abort(.unauthorized) }
        try await AccountService(req.application).revokeToken(tokenID, actor: actor)
        return Response(status: .noContent)
    }

    struct MeResponse: Content {
        let userId: UUID
        let username: String
        let displayName: String
        let membershipId: UUID
        let organizationId: UUID
        let role: String
    }

    static func me(_ req: Request) async throws -> MeResponse {
        let a = try req.requireActor()
        return MeResponse(
            userId: a.userID, username: a.username, displayName: a.displayName, membershipId: a.membershipID,
            organizationId: a.organizationID, role: a.role.rawValue)
    }
}
