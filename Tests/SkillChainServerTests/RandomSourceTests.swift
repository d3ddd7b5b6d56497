import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Tokens and links come from the application's random source: a test that installs a seeded one gets the same tokens
/// from the same requests, and nothing falls back to a generator read directly.
@Suite struct RandomSourceTests {
    struct Issued: Equatable {
        let token: String
        let resetLink: String
    }

    /// Signs in over the API and has the enterprise admin make a password-reset link for a master.
    func issue(seed: UInt64) async throws -> Issued {
        var issued: Issued?
        try await withTestApp { app in
            app.dependencies.random = SeededRandomSource(seed: seed)
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "hr", org: org, role: .enterpriseAdmin)
            let master = try await Fixture.user(app, "master", org: org, role: .master)
            let token = try await Fixture.token(app, "hr")
            let (status, link) = try await APIClient(app: app, token: token).call(.POST, "/api/v1/memberships/\(master.id!)/password-reset")
            #expect(status == .created)
            issued = Issued(token: token, resetLink: link.string("url"))
        }
        return try #require(issued)
    }

    @Test func the_same_seed_and_the_same_requests_give_the_same_token_and_reset_link() async throws {
        let first = try await issue(seed: 7)
        let again = try await issue(seed: 7)
        let other = try await issue(seed: 8)
        #expect(first == again)
        #expect(first.token != other.token)
        #expect(first.resetLink != other.resetLink)
        #expect(first.token.count >= 43, "32 bytes of entropy, base64url")
    }

    @Test func rows_created_through_fluent_take_their_ids_from_the_application_random_source() async throws {
        func ids(seed: UInt64) async throws -> [UUID] {
            var out: [UUID] = []
            try await withTestApp { app in
                app.dependencies.random = SeededRandomSource(seed: seed)
                let org = try await Fixture.org(app)
                let user = try await Fixture.user(app, "hr", org: org, role: .enterpriseAdmin)
                out = [try #require(org.id), try #require(user.id)]
            }
            return out
        }
        let first = try await ids(seed: 11)
        #expect(first == (try await ids(seed: 11)))
        #expect(first != (try await ids(seed: 12)))
        #expect(Set(first).count == 2 && !first.contains(.nothing))
    }
}
