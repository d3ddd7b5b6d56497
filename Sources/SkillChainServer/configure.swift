import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import NIOConcurrencyHelpers
import NIOSSL
import SkillChainCore
import Vapor

/// Wires the application: configuration, database, migrations, middleware, views, routes, commands.
public func configure(_ app: Application, config: AppConfig? = nil) async throws {
    let config = try config ?? AppConfig.load(environment: app.environment)
    app.config = config
    _ = AppMetrics.bootstrapped
    _ = app.secretKeys
    _ = app.writeMutex
    _ = app.dashboardRecounter

    switch config.database {
    case .sqlite(let path):
        app.databases.use(.sqlite(.file(path), sqlLogLevel: .debug), as: .sqlite)
    case .postgres(let url):
        var pg = try SQLPostgresConfiguration(url: url)
        if !url.contains("sslmode") { pg.coreConfiguration.tls = .disable }
        app.databases.use(.postgres(configuration: pg, maxConnectionsPerEventLoop: 4, sqlLogLevel: .debug), as: .psql)
    }
    app.databases.middleware.use(RandomIDMiddleware(app: app))
    app.databases.middleware.use(ClockStampMiddleware(app: app))
    app.migrations.add(SkillChainMigrations.all)
    if case .sqlite = config.database { try await SQLiteSetup.applyPragmas(app) }

    app.passwordHasher = PasswordHasher(cost: config.bcryptCost)
    app.actorCache = ActorCache(lifetime: config.actorCacheSeconds)
    app.tileCache = TileCache()
    app.dependencies = Dependencies()
    if let smtp = config.smtp { app.dependencies.mailer = SMTPTransport(settings: smtp, group: app.eventLoopGroup) }
    _ = app.writeMutex  // made once here, not by the first two concurrent writes
    app.lifecycle.use(HasherShutdown())
    app.lifecycle.use(DashboardRecounterShutdown())
    app.localizer = try Localizer(directory: URL(fileURLWithPath: app.directory.resourcesDirectory + "Localizations"))

    app.views.use(.leaf)
    app.leaf.tags["t"] = TranslateTag()
    app.leaf.tags["url"] = SiteURLTag()
    if app.environment != .production { app.leaf.cache.isEnabled = false }

    // SIGTERM: stop accepting, let requests in flight finish within the bound, then the lifecycle handlers below.
    app.http.server.configuration.shutdownTimeout = .seconds(Int64(config.shutdownSeconds))
    app.routes.defaultMaxBodySize = ByteCount(stringLiteral: config.maxBodySize)
    app.middleware = .init()
    app.middleware.use(RequestIDMiddleware())
    app.middleware.use(SecurityHeadersMiddleware(https: config.isHTTPS))
    app.middleware.use(LocaleMiddleware())
    app.middleware.use(ProblemMiddleware())
    app.middleware.use(StaticFilesMiddleware(app))
    app.middleware.use(AuthenticationMiddleware())
    app.middleware.use(CSRFMiddleware())
    app.middleware.use(MethodNotAllowedMiddleware())

    try routes(app)

    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(UsersCommand(), as: "users")
    app.asyncCommands.use(RetentionCommand(), as: "retention")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(LogCommand(), as: "log")
    app.asyncCommands.use(VerifyQRCommand(), as: "verify-qr")
    app.asyncCommands.use(BenchLogCommand(), as: "bench-log")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.asyncCommands.use(BenchEvaluationCommand(), as: "bench-evaluation")
    app.asyncCommands.use(BenchCertificatesCommand(), as: "bench-certificates")
    app.asyncCommands.use(BenchMailCommand(), as: "bench-mail")
    app.asyncCommands.use(KeysCommand(), as: "keys")
    app.asyncCommands.use(BenchMatchingCommand(), as: "bench-matching")
    app.asyncCommands.use(SeedScaleCommand(), as: "seed-scale")
    app.asyncCommands.use(BenchDashboardCommand(), as: "bench-dashboard")
    app.asyncCommands.use(CrashSetupCommand(), as: "crash-setup")
    app.asyncCommands.use(CrashCheckCommand(), as: "crash-check")
}

/// Waits for `work` at most `seconds`; false (and the work left to its cancellation) when the bound passed first.
func finishWithin(_ seconds: Int, _ work: @escaping @Sendable () async -> Void) async -> Bool {
    let done = NIOLockedValueBox(false)
    let task = Task {
        await work()
        done.withLockedValue { $0 = true }
    }
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !done.withLockedValue({ $0 }) && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
    if !done.withLockedValue({ $0 }) { task.cancel() }
    return done.withLockedValue { $0 }
}

struct HasherShutdown: LifecycleHandler {
    func shutdown(_ app: Application) { app.passwordHasher.shutdown() }
}

/// Boots and runs the platform as the `skillchain` executable does. `serve` migrates first;
/// `serve --demo` also loads the demo chain.
public enum SkillChainMain {
    public static func run(arguments: [String] = CommandLine.arguments) async throws {
        let demo = arguments.contains("--demo")
        let args = arguments.filter { $0 != "--demo" }
        var env = try Environment.detect(arguments: args)
        if ProcessInfo.processInfo.environment["SKILLCHAIN_LOG_FORMAT"] == "json" {
            let level = try Logger.Level.detect(from: &env)
            LoggingSystem.bootstrap { label in
                var h = JSONLogHandler(label: label)
                h.logLevel = level
                return h
            }
        } else {
            try LoggingSystem.bootstrap(from: &env)
        }
        let app = try await Application.make(env)
        // The platform's files are found wherever the binary is started from.
        if let home = InstallLayout.home(
            environment: ProcessInfo.processInfo.environment, executable: InstallLayout.executable,
            workingDirectory: FileManager.default.currentDirectoryPath)
        {
            app.directory = DirectoryConfiguration(workingDirectory: home.hasSuffix("/") ? home : home + "/")
        }
        if args.dropFirst().first(where: { !$0.hasPrefix("-") }) == "version" {
            print("skillchain \(BuildInfo.version) (\(BuildInfo.commit(home: app.directory.workingDirectory)))")
            try await app.asyncShutdown()
            return
        }
        let command = args.dropFirst().first { !$0.hasPrefix("-") } ?? "serve"
        let isServe = command == "serve"
        do {
            try await configure(app)
            if command == "serve" {
                try await app.migrateDatabase()
                if demo { try await DemoData.load(app) }
                await app.dashboardRecounter.startSchedule(app)
                if case .sqlite = app.config.database, let schedule = BackupSchedule.from(environment: ProcessInfo.processInfo.environment) {
                    app.lifecycle.use(BackupScheduleShutdown(task: schedule.start(app)))
                }
                app.lifecycle.use(BackgroundTaskShutdown(task: ExpiryCheck(app: app).start()))
                app.lifecycle.use(BackgroundTaskShutdown(task: LogCheckpointer(app: app).start()))
                if let outbox = EmailOutbox(app) { app.lifecycle.use(outbox.start(every: app.config.mailEverySeconds)) }
            }
            try await app.execute()
            if command == "serve" {
                // Vapor closes the server and the databases together, in no set order: a request still running could
                // find its database gone. So the server goes first: no new connections, requests in flight finish.
                app.logger.notice("shutdown: finishing requests in flight (at most \(app.config.shutdownSeconds) s)")
                await app.server.shutdown()
            }
        } catch {
            let failure = CommandLineFailure(error, localizer: app.storage[Application.LocalizerKey.self])
            try? await app.asyncShutdown()
            throw failure
        }
        try await app.asyncShutdown()
        if isServe { app.logger.notice("shutdown: complete; background work stopped and the database closed") }
    }
}

/// What the command line prints for a failed command: the localized message (Chinese when `LANG` says so, English
/// otherwise), never a Swift value. The executable prints it and exits non-zero.
public struct CommandLineFailure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    init(_ error: any Error, localizer: Localizer?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let lang = environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LANG"] ?? ""
        let locale: AppLocale = lang.lowercased().hasPrefix("zh") ? .zhHans : .en
        func t(_ key: String, _ args: [String] = []) -> String { localizer?.string(key, locale, args) ?? key }
        switch error {
        case let failure as ValidationFailure:
            message = failure.errors.map { e in e.field.isEmpty ? t(e.code, e.args) : "\(e.field): \(t(e.code, e.args))" }.joined(separator: "; ")
        case let domain as DomainError:
            switch domain {
            case .notFound: message = t("problem.not-found.detail")
            case .forbidden: message = t("problem.forbidden.detail")
            case .conflict(let code, let args), .rule(let code, let args): message = t(code, args)
            }
        case let failure as CommandLineFailure:
            message = failure.message
        default:
            // CLIError, configuration errors and database errors say what they are in their description (never a password).
            message = String(describing: error)
        }
    }
}
