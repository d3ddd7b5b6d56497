import Foundation
import SkillChainCore
import Vapor

/// `skillchain verify-qr <SC1:…> --key <log verifier key> (--url https://… [--save FILE] | --trust-list FILE)`: checks
/// a printed certificate's offline record as `/verify/offline` does. The trust list comes from the platform (and may be
/// saved for later use without the network) or from a saved file; either way it must be signed by the pinned log key.
/// Exits non-zero when the record or the list does not check.
struct VerifyQRCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "record", help: "the SC1: text read from the QR code, or - to read it from standard input") var record: String
        @Option(name: "key", help: "the log's verifier key (name+id+key), as `skillchain log key` prints it") var key: String?
        @Option(name: "url", help: "the platform's address, to fetch the trust list") var url: String?
        @Option(name: "trust-list", help: "a trust list saved before (no network needed)") var trustList: String?
        @Option(name: "save", help: "where to save the fetched trust list") var save: String?
    }
    var help: String { "Checks a printed certificate's offline record (SC1:…) against the signed trust list." }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let key = signature.key, signature.url != nil || signature.trustList != nil else {
            throw CLIError(message: "verify-qr needs --key and one of --url or --trust-list")
        }
        let note: String
        if let file = signature.trustList {
            note = try String(contentsOfFile: file, encoding: .utf8)
        } else {
            let base = signature.url!.hasSuffix("/") ? String(signature.url!.dropLast()) : signature.url!
            let res = try await context.application.client.get(URI(string: base + SiteURL.trustList.path))
            guard res.status == .ok, var body = res.body else { throw CLIError(message: "no trust list at \(base): \(res.status)") }
            note = body.readString(length: body.readableBytes) ?? ""
            if let save = signature.save { try note.write(toFile: save, atomically: true, encoding: .utf8) }
        }
        let localizer = context.application.localizer
        let list: TrustList
        do { list = try TrustList.open(note, verifierKey: key) } catch {
            throw CLIError(message: localizer.string(error == .unsigned ? "offline.trustBad" : "trust.malformed", .en))
        }
        let text = signature.record == "-" ? (readLine(strippingNewline: true) ?? "") : signature.record
        do {
            let v = try CompactCertificate.verify(text, trust: list)
            let c = v.claims
            context.console.print(localizer.string(v.key.retired == nil ? "offline.valid" : "offline.validRetiredKey", .en, [v.issuerName]))
            let level = localizer.string("level.\(c.level)", .en)
            for (label, value) in [
                ("number", c.number), ("holder", c.holder), ("occupation", "\(c.occupation) (\(c.occupationCode))"), ("level", level),
                ("issued", c.issued), ("issuer", c.issuer), ("valid until", c.validUntil ?? "-"), ("trust list signed", list.issued),
            ] {
                context.console.print("\(label): \(value)")
            }
            context.console.print(localizer.string("offline.statusNeedsNetwork", .en))
        } catch {
            throw CLIError(message: localizer.string(error.rawValue, .en))
        }
    }
}
