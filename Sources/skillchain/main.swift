import Foundation
import SkillChainServer

do {
    try await SkillChainMain.run()
} catch {
    // Operator-facing: the localized message (a database error names the host it could not reach, never a password).
    FileHandle.standardError.write(Data("skillchain: \(error)\n".utf8))
    exit(1)
}
