import Crypto
import Fluent
import SkillChainCore
import Vapor

/// `skillchain migrate`: applies every pending numbered migration (no prompt).
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Applies pending database migrations." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.migrateDatabase()
        context.console.print("Migrations applied.")
    }
}

/// `skillchain demo`: loads the demo chain into the configured database.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Loads the demo ecological chain (idempotent)." }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await context.application.migrateDatabase()
        try await DemoData.load(context.application)
    }
}

/// `skillchain users create --username … --org … --role …`
struct UsersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create") var action: String
        @Option(name: "username", help: "login name (lowercase letters, digits, . _ -)") var username: String?
        @Option(name: "org", help: "organization id, credit code or exact name") var org: String?
        @Option(name: "role", help: "role, e.g. enterpriseAdmin") var role: String?
        @Option(name: "name", help: "display name") var name: String?
    }
    var help: String { "Creates a user (password from SKILLCHAIN_NEW_PASSWORD, or a random one printed once) with a membership." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard signature.action == "create" else { throw CLIError(message: "unknown action \(signature.action); use: users create") }
        guard let username = signature.username, let orgRef = signature.org, let role = signature.role else {
            throw CLIError(message: "--username, --org and --role are required; roles: " + Role.allCases.map(\.rawValue).joined(separator: ", "))
        }
        try await app.migrateDatabase()
        let org = try await OrganizationRecord.matching(orgRef, on: app.db)
        let generated = Environment.get("SKILLCHAIN_NEW_PASSWORD") == nil
        let password = Environment.get("SKILLCHAIN_NEW_PASSWORD") ?? app.random.token(bytes: 12)
        do {
            try await AccountService(app).addMembership(
                .init(
                    username: username, displayName: signature.name, password: password,
                    organizationId: org.id, role: role), actor: nil)
        } catch let failure as ValidationFailure {
            throw CLIError(message: failure.errors.map { "\($0.field): \(app.localizer.string($0.code, .en, $0.args))" }.joined(separator: "; "))
        }
        context.console.print("Created \(role) membership for \(username) in \(org.name).")
        if generated { context.console.print("Initial password (shown once): \(password)") }
    }
}

struct CLIError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

extension OrganizationRecord {
    /// The organization a command's `--org` names: its id, credit code or exact name.
    static func matching(_ ref: String, on db: any Database) async throws -> OrganizationRecord {
        let org = try await OrganizationRecord.query(on: db).group(.or) { g in
            if let id = UUID(uuidString: ref) { g.filter(\.$id == id) }
            g.filter(\.$creditCode == ref.uppercased()).filter(\.$name == ref)
        }.first()
        guard let org else { throw CLIError(message: "no organization matches --org \(ref)") }
        return org
    }
}

/// `skillchain audit verify`: walks the hash chain; exits non-zero naming the first broken entry.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify") var action: String
    }
    var help: String { "Verifies the audit log hash chain." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else { throw CLIError(message: "unknown action \(signature.action); use: audit verify") }
        let result = try await AuditLog.verify(on: context.application.db)
        guard result.isIntact else {
            throw CLIError(message: "Audit log broken at entry \(result.firstBroken ?? 0) (\(result.failure?.rawValue ?? "")).")
        }
        // The heads the transparency log recorded must still be in the chain: a cut-off tail is caught here.
        let missing = try await LogCheckpointer.missingAuditHeads(on: context.application.db)
        guard missing.isEmpty else {
            throw CLIError(
                message: "Audit log lost entries the transparency log recorded: sequence \(missing.map(String.init).joined(separator: ", ")).")
        }
        context.console.print("Audit log intact: \(result.checked) entries verified.")
    }
}

/// `skillchain keys rotate --org ORG`: a new Ed25519 signing key for an evaluation body; the old public keys stay in
/// its DID document so certificates signed with them keep verifying.
struct KeysCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "rotate") var action: String
        @Option(name: "org", help: "organization id, credit code or exact name") var org: String?
    }
    var help: String { "Rotates an evaluation body's credential signing key." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard signature.action == "rotate" else { throw CLIError(message: "unknown action \(signature.action); use: keys rotate --org …") }
        guard let orgRef = signature.org else { throw CLIError(message: "--org is required") }
        try await app.migrateDatabase()
        let org = try await OrganizationRecord.matching(orgRef, on: app.db)
        let key = try await CertificateService(app).rotate(org.id!, actor: nil)
        context.console.print("New signing key for \(org.name): \(key)")
        context.console.print("DID: \(CertificateService(app).did(org.id!)) — earlier keys stay published.")
    }
}
