import NIOPosix
import SkillChainCore
import Vapor

/// bcrypt on a thread pool of its own, so a burst of logins cannot occupy the blocking pool that
/// SQLite queries run on. Passwords are pre-hashed (see `Password.prehash`) to avoid 72-byte truncation.
final class PasswordHasher: Sendable {
    let pool: NIOThreadPool
    let cost: Int
    /// A real hash to compare against when the user does not exist, so timing does not reveal usernames.
    let dummyHash: String

    init(cost: Int, threads: Int = 1) {
        self.cost = cost
        self.dummyHash = (try? Bcrypt.hash("dummy-password", cost: cost)) ?? ""
        self.pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await pool.runIfActive { try Bcrypt.hash(Password.prehash(password), cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await pool.runIfActive { (try? Bcrypt.verify(Password.prehash(password), created: hash)) ?? false }
    }

    func shutdown() { try? pool.syncShutdownGracefully() }
}

extension Application {
    private struct HasherKey: StorageKey { typealias Value = PasswordHasher }
    var passwordHasher: PasswordHasher {
        get { storage[HasherKey.self]! }
        set { storage[HasherKey.self] = newValue }
    }
}
