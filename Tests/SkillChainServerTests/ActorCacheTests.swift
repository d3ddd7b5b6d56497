import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// The per-instance memory of resolved sessions and tokens: fast, and never in the way of a revocation.
@Suite struct ActorCacheTests {
    private func me(_ app: Application, _ token: String) async throws -> HTTPStatus {
        var status = HTTPStatus.ok
        try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]) { status = $0.status }
        return status
    }

    @Test func a_deactivation_made_through_this_instance_refuses_the_next_request_even_with_a_long_cache() async throws {
        try await withTestApp(adjust: { $0.actorCacheSeconds = 30 }) { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "hr", org: org, role: .enterpriseAdmin)
            let master = try await Fixture.user(app, "master", org: org, role: .master)
            let token = try await Fixture.token(app, "master")
            #expect(try await me(app, token) == .ok)
            #expect(app.actorCache.count >= 1, "the resolved token is remembered")
            let hr = try await APIClient(app, "hr")
            #expect(try await hr.call(.POST, "/api/v1/memberships/\(master.id!.uuidString.lowercased())/deactivation").0 == .ok)
            #expect(try await me(app, token) == .unauthorized)
        }
    }

    @Test func a_change_made_elsewhere_holds_once_the_few_seconds_are_over() async throws {
        try await withTestApp(adjust: { $0.actorCacheSeconds = 1 }) { app in
            // The cache's age is read from the application's clock: no sleeping, no dependence on the machine's load.
            let clock = ManualClock(Date())
            app.dependencies.clock = clock
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "api", org: org, role: .enterpriseAdmin)
            let token = try await Fixture.token(app, "api")
            #expect(try await me(app, token) == .ok)
            // Another instance (or the command line) revokes the token: this instance does not hear of it.
            try await APITokenRecord.query(on: app.db).filter(\.$tokenHash == Tokens.digest(token)).set(\.$revokedAt, to: Date()).update()
            #expect(try await me(app, token) == .ok, "served from memory without reading the token again")
            clock.advance(seconds: 1.1)
            #expect(try await me(app, token) == .unauthorized)
        }
    }

    @Test func with_the_cache_off_every_request_reads_the_credential() async throws {
        try await withTestApp(adjust: { $0.actorCacheSeconds = 0 }) { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "api", org: org, role: .enterpriseAdmin)
            let token = try await Fixture.token(app, "api")
            #expect(try await me(app, token) == .ok)
            try await APITokenRecord.query(on: app.db).filter(\.$tokenHash == Tokens.digest(token)).set(\.$revokedAt, to: Date()).update()
            #expect(try await me(app, token) == .unauthorized)
            #expect(app.actorCache.count == 0)
        }
    }

    @Test func a_load_that_began_before_a_clear_is_not_kept() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            try await Fixture.user(app, "api", org: org, role: .enterpriseAdmin)
            let token = try await Fixture.token(app, "api")
            #expect(try await me(app, token) == .ok)
            let cache = ActorCache(lifetime: 5)
            let t = Date()
            let found = try #require(
                try await ActorLoader.load(
                    .token, digest: Tokens.digest(token), secondFactor: .init(), now: Date(),
                    on: app.db))
            let generation = cache.generation
            cache.clear()  // a write finished while the load was under way
            cache.store(
                "k", .init(actor: found.actor, storedAt: t, credentialExpiresAt: found.expiresAt, touchedAt: t),
                loadedAt: generation)
            #expect(cache.lookup("k", now: t, touchEvery: 300) == nil)
            cache.store(
                "k", .init(actor: found.actor, storedAt: t, credentialExpiresAt: found.expiresAt, touchedAt: t),
                loadedAt: cache.generation)
            #expect(cache.lookup("k", now: t, touchEvery: 300)?.username == "api")
            #expect(cache.lookup("k", now: t.addingTimeInterval(6), touchEvery: 300) == nil, "stale after its lifetime")
        }
    }
}
