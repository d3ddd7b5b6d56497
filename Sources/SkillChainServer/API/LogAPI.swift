import SkillChainCore
import Vapor

/// The transparency log's proofs for API clients (public, like verification).
enum LogAPI {
    /// `GET /api/v1/certificates/{number}/log-proof`: the C2SP tlog-proof of the certificate's newest event.
    static func proof(_ req: Request) async throws -> Response {
        guard let number = req.parameters.get("number") else { throw DomainError.notFound }
        return LogPages.plain(try await TransparencyLog.proof(number: number, app: req.application).text, cache: "no-cache")
    }
}
