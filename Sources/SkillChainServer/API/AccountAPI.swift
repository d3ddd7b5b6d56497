import Fluent
import SkillChainCore
import Vapor

/// One's own account and the accounts an admin manages, over the API.
enum AccountAPI {
    static func changePassword(_ req: Request) async throws -> Response {
        try await AccountLifecycleService(req.application).changePassword(
            try req.content.decode(PasswordChangeInput.self), actor: try req.requireActor())
        return Response(status: .noContent)
    }

    static func sessions(_ req: Request) async throws -> APIPage<SessionResponse> {
        APIPage(items: try await AccountLifecycleService.sessions(of: try req.requireActor(), now: req.now, on: req.db), nextCursor: nil)
    }

    static func endSession(_ req: Request) async throws -> Response {
        try await AccountLifecycleService(req.application).endOwn(try req.idParameter(), actor: try req.requireActor())
        return Response(status: .noContent)
    }

    static func response(_ m: MembershipRecord, on db: any Database) async throws -> MembershipResponse {
        let user = try await UserRecord.find(m.userID, on: db)
        return MembershipResponse(
            id: m.id!, userId: m.userID, username: user?.username ?? "", organizationId: m.organizationID, role: m.role,
            active: m.deactivatedAt == nil && user?.isActive == true)
    }

    static func deactivate(_ req: Request) async throws -> MembershipResponse {
        let m = try await AccountLifecycleService(req.application).setMembershipActive(
            try req.idParameter(), active: false, actor: try req.requireActor())
        return try await response(m, on: req.db)
    }

    static func reactivate(_ req: Request) async throws -> MembershipResponse {
        let m = try await AccountLifecycleService(req.application).setMembershipActive(
            try req.idParameter(), active: true, actor: try req.requireActor())
        return try await response(m, on: req.db)
    }

    /// The whole user behind a membership (every membership of theirs must be the admin's to manage).
    static func deactivateUser(_ req: Request) async throws -> Response {
        try await AccountLifecycleService(req.application).setUserActive(
            ofMembership: try req.idParameter(), active: false, actor: try req.requireActor())
        return Response(status: .noContent)
    }

    static func reactivateUser(_ req: Request) async throws -> Response {
        try await AccountLifecycleService(req.application).setUserActive(
            ofMembership: try req.idParameter(), active: true, actor: try req.requireActor())
        return Response(status: .noContent)
    }

    static func passwordReset(_ req: Request) async throws -> Response {
        let link = try await AccountLifecycleService(req.application).createResetLink(
            ofMembership: try req.idParameter(), actor: try req.requireActor())
        let response = try ResourceAPI.created(link)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    static func personalData(_ req: Request) async throws -> Response {
        let response = try await PersonalDataPages.download(req)
        response.headers.remove(name: .contentDisposition)
        return response
    }

    struct CorrectionResponse: Content {
        let id: UUID
        let personId: UUID
        let field: String
        let status: String
        let decisionReason: String?
    }

    static func correction(_ r: CorrectionRequestRecord) -> CorrectionResponse {
        CorrectionResponse(id: r.id!, personId: r.personID, field: r.field, status: r.status, decisionReason: r.decisionReason)
    }

    static func requestCorrection(_ req: Request) async throws -> Response {
        let r = try await PersonalDataService(req.application).requestCorrection(
            try req.content.decode(CorrectionRequestInput.self), actor: try req.requireActor())
        return try ResourceAPI.created(correction(r))
    }

    static func decideCorrection(_ req: Request) async throws -> CorrectionResponse {
        correction(
            try await PersonalDataService(req.application).decide(
                try req.idParameter(), try req.content.decode(CorrectionDecisionInput.self),
                actor: try req.requireActor()))
    }
}
