import Fluent
import Foundation
import SkillChainCore
import Vapor

/// Thrown by the token endpoint when the password was right but the second factor is missing or wrong: 401.
struct SecondFactorRequired: Error {}

/// The optional second factor: a TOTP secret (sealed with the platform secret) confirmed by a first code, and ten
/// single-use recovery codes (only their digests, sealed). Every change is audited.
struct SecondFactorService {
    let app: Application

    init(_ app: Application) { self.app = app }

    /// Starts or restarts enrolment with a new secret; the user is not enrolled until a code confirms it.
    func start(actor: Actor) async throws -> SkillChainCore.TOTP {
        let totp = SkillChainCore.TOTP.generate(using: app.random)
        let sealed = try app.personalData.seal(totp.base32)
        try await app.write { db in
            guard let u = try await UserRecord.find(actor.userID, on: db) else { throw DomainError.notFound }
            if u.totpEnrolledAt != nil { throw DomainError.conflict(code: "secondFactor.alreadyEnrolled") }
            u.totpSecretSealed = sealed
            try await u.update(on: db)
        }
        return totp
    }

    /// The secret waiting for confirmation, to show the enrolment page again.
    func pending(actor: Actor) async throws -> SkillChainCore.TOTP? {
        guard let u = try await UserRecord.find(actor.userID, on: app.db), u.totpEnrolledAt == nil, let sealed = u.totpSecretSealed else {
            return nil
        }
        return SkillChainCore.TOTP(base32: try app.personalData.open(sealed))
    }

    /// Confirms enrolment with a code from the authenticator; returns the recovery codes, shown once.
    func confirm(code: String, actor: Actor) async throws -> [String] {
        let codes = RecoveryCodes.generate(using: app.random)
        let sealedCodes = try app.personalData.seal(String(decoding: try JSONEncoder().encode(codes.map(RecoveryCodes.digest)), as: UTF8.self))
        try await app.write { db in
            guard let u = try await UserRecord.find(actor.userID, on: db) else { throw DomainError.notFound }
            if u.totpEnrolledAt != nil { throw DomainError.conflict(code: "secondFactor.alreadyEnrolled") }
            guard let sealed = u.totpSecretSealed, let totp = SkillChainCore.TOTP(base32: try app.personalData.open(sealed)) else {
                throw DomainError.rule(code: "secondFactor.notStarted")
            }
            guard let step = totp.match(code, at: app.now) else { throw ValidationFailure([FieldError("code", "secondFactor.codeWrong")]) }
            u.totpEnrolledAt = app.now
            u.totpLastStep = step
            u.recoveryCodesSealed = sealedCodes
            try await u.update(on: db)
            try await AuditLog.append(
                .init(action: "account.secondFactorEnrolled", objectType: "user", objectID: actor.userID.uuidString.lowercased()),
                actor: actor, on: db, now: app.now)
        }
        return codes
    }

    /// Switches the second factor off: needs the password and a current code; refused for roles that require it.
    func disable(password: String, code: String, actor: Actor) async throws {
        let roles = try await MembershipRecord.query(on: app.db).filter(\.$userID == actor.userID).filter(\.$deactivatedAt == nil).all()
            .compactMap { Role(rawValue: $0.role) }
        guard app.config.secondFactor.mayDisable(roles: roles) else { throw DomainError.rule(code: "secondFactor.required") }
        guard let user = try await UserRecord.find(actor.userID, on: app.db), user.totpEnrolledAt != nil else {
            throw DomainError.rule(code: "secondFactor.notStarted")
        }
        guard try await app.passwordHasher.verify(password, hash: user.passwordHash) else {
            throw ValidationFailure([FieldError("currentPassword", "password.currentWrong")])
        }
        try await app.write { db in
            guard try await verify(userID: actor.userID, code: code, on: db) else {
                throw ValidationFailure([FieldError("code", "secondFactor.codeWrong")])
            }
            try await UserRecord.query(on: db).filter(\.$id == actor.userID).set(\.$totpEnrolledAt, to: nil).set(\.$totpSecretSealed, to: nil)
                .set(\.$recoveryCodesSealed, to: nil).set(\.$totpLastStep, to: nil).update()
            try await AuditLog.append(
                .init(action: "account.secondFactorRemoved", objectType: "user", objectID: actor.userID.uuidString.lowercased()),
                actor: actor, on: db, now: app.now)
        }
    }

    /// Checks a code (or a recovery code) inside the caller's transaction and spends it. A code is good once.
    func verify(userID: UUID, code: String, on db: any Database) async throws -> Bool {
        guard let u = try await UserRecord.find(userID, on: db), let sealed = u.totpSecretSealed, u.totpEnrolledAt != nil,
            let totp = SkillChainCore.TOTP(base32: try app.personalData.open(sealed))
        else { return false }
        if let step = totp.match(code, at: app.now, after: u.totpLastStep) {
            u.totpLastStep = step
            try await u.update(on: db)
            return true
        }
        guard let sealedCodes = u.recoveryCodesSealed,
            let digests = try? JSONDecoder().decode([String].self, from: Data(try app.personalData.open(sealedCodes).utf8)),
            let rest = RecoveryCodes.use(code, from: digests)
        else { return false }
        u.recoveryCodesSealed = try app.personalData.seal(String(decoding: try JSONEncoder().encode(rest), as: UTF8.self))
        try await u.update(on: db)
        try await AuditLog.append(
            .init(
                action: "account.recoveryCodeUsed", objectType: "user", objectID: userID.uuidString.lowercased(),
                detail: ["left": String(rest.count)]), actor: nil, on: db, now: app.now)
        return true
    }

    enum SignInStep: Equatable {
        case noPendingSession, wrongCode
        case signedIn(cookie: String)
    }

    /// Finishes a sign-in waiting for its second factor: a right code turns the pending session into a full one under a
    /// new cookie value; a wrong one counts as a failed sign-in.
    static func completeSignIn(pendingCookie: String, code: String, req: Request) async throws -> SignInStep {
        let hash = Tokens.digest(pendingCookie)
        guard let session = try await BrowserSessionRecord.query(on: req.db).filter(\.$tokenHash == hash).first(), session.secondFactorPending,
            session.expiresAt > req.now, let user = try await UserRecord.find(session.userID, on: req.db)
        else { return .noPendingSession }
        let username = user.username
        try await LoginThrottle.check(req, username: username)
        let token = req.application.random.token()
        let app = req.application
        let sessionID = session.id!
        let ok = try await req.write { db in
            guard try await SecondFactorService(app).verify(userID: user.id!, code: code, on: db) else { return false }
            try await BrowserSessionRecord.query(on: db).filter(\.$id == sessionID).set(\.$tokenHash, to: Tokens.digest(token))
                .set(\.$secondFactorPending, to: false).set(\.$lastSeenAt, to: req.now).update()
            try await AuditLog.append(
                .init(action: "auth.secondFactor", objectType: "user", objectID: user.id!.uuidString.lowercased()),
                actor: nil, on: db, now: app.now)
            return true
        }
        if !ok {
            try await LoginThrottle.recordFailure(req, username: username)
            return .wrongCode
        }
        try await LoginThrottle.recordSuccess(req, username: username)
        return .signedIn(cookie: token)
    }
}
