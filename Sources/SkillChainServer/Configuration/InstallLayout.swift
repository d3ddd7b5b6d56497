import Foundation

/// Where the platform's own files are — views, catalogs, the OpenAPI document (`Resources/`) and public files
/// (`Public/`) — so that the binary starts from any working directory:
/// 1. `SKILLCHAIN_HOME`, when set;
/// 2. `share/skillchain` beside the binary's `bin/` folder (the release archive's layout);
/// 3. the working directory, when it is a checkout;
/// 4. a checkout above the binary (`.build/debug/skillchain` run from elsewhere).
public enum InstallLayout {
    static func hasFiles(_ dir: String) -> Bool {
        FileManager.default.fileExists(atPath: URL(fileURLWithPath: dir).appendingPathComponent("Resources/Localizations/zh-Hans.json").path)
    }

    public static func home(environment: [String: String], executable: String, workingDirectory: String) -> String? {
        if let h = environment["SKILLCHAIN_HOME"], !h.isEmpty { return h }
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        let share = binary.deletingLastPathComponent().appendingPathComponent("share/skillchain").path
        if hasFiles(share) { return share }
        if hasFiles(workingDirectory) { return workingDirectory }
        var dir = binary
        for _ in 0..<4 {
            if hasFiles(dir.path) { return dir.path }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// The running binary's path (`/proc/self/exe` on Linux, else the first argument).
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first ?? ""
    }
}

/// The release and the commit it was built from: the release archive records both in `BUILD` beside its files;
/// a checkout reads the commit from `.git`.
public enum BuildInfo {
    public static let version = "0.15.0"

    public static func commit(home: String) -> String {
        let root = URL(fileURLWithPath: home)
        if let build = try? String(contentsOf: root.appendingPathComponent("BUILD"), encoding: .utf8),
            let line = build.split(separator: "\n").first(where: { $0.hasPrefix("commit=") })
        {
            return String(line.dropFirst("commit=".count))
        }
        let git = root.appendingPathComponent(".git")
        guard
            let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        else { return "unknown" }
        guard head.hasPrefix("ref: ") else { return String(head.prefix(12)) }
        let ref = String(head.dropFirst(5))
        if let sha = try? String(contentsOf: git.appendingPathComponent(ref), encoding: .utf8) {
            return String(sha.trimmingCharacters(in: .whitespacesAndNewlines).prefix(12))
        }
        let packed = (try? String(contentsOf: git.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
        let line = packed.split(separator: "\n").first { $0.hasSuffix(" " + ref) }
        return line.map { String($0.prefix(12)) } ?? "unknown"
    }
}
