import Foundation
import SkillChainCore
import Vapor

/// `/verify/offline`: checks a printed certificate's `SC1:` record in the browser, with the network off once the page
/// has been opened. A service worker keeps the page, its script and the signed trust list; the script checks the list
/// against the log key the page pins and the record with the browser's own Ed25519 (Web Crypto).
enum OfflineVerifyPages {
    struct Body: Encodable {
        let lang, title, appName, switchLangHref, switchLangLabel, home: String
        let logKey, trustList, worker, scope, assets, text: String
    }

    /// The messages the script shows, in the page's language.
    static let messageKeys = [
        "offline.valid", "offline.validRetiredKey", "offline.notSC1", "offline.encoding", "offline.structure", "offline.unknownIssuer",
        "offline.unknownKey", "offline.badSignature", "offline.noTrust", "offline.trustAge", "offline.trustBad", "offline.noCrypto",
        "offline.required", "offline.checkOnline", "offline.stopScan", "offline.scan", "offline.cameraError", "offline.ready",
        "offline.fact.holder", "offline.fact.occupation", "offline.fact.level", "offline.fact.issued", "offline.fact.issuer",
        "offline.fact.validUntil", "certificate.number", "offline.badge.valid", "offline.badge.invalid",
    ]

    static func show(_ req: Request) async throws -> Response {
        let other: AppLocale = req.locale == .en ? .zhHans : .en
        var text = Dictionary(uniqueKeysWithValues: messageKeys.map { ($0, req.t($0)) })
        for level in SkillLevel.allCases { text["level.\(level.rawValue)"] = req.t("level.\(level.rawValue)") }
        let assets = [SiteURL.verifyOffline, .trustList].map(\.path) + ["/css/app.css", "/js/verify-offline.js"]
        let body = Body(
            lang: req.locale.rawValue, title: req.t("offline.title"), appName: req.t("app.name"),
            switchLangHref: SiteURL.verifyOffline.path + "?lang=\(other.rawValue)", switchLangLabel: req.t("lang.switchTo"),
            home: SiteURL.verify.path, logKey: try await TransparencyLog.verifierKey(req.application), trustList: SiteURL.trustList.path,
            worker: SiteURL.offlineWorker.path, scope: SiteURL.verifyOffline.path, assets: try json(assets), text: try json(text))
        return try await req.leaf.render("verify-offline", ["page": body]).encodeResponse(for: req)
    }

    static func trustList(_ req: Request) async throws -> Response {
        LogPages.plain(try await CertificateService(req.application).trustList(), cache: "no-cache")
    }

    /// The service worker's script, served under `/verify/` so that it may control the offline page.
    static func worker(_ req: Request) async throws -> Response {
        let path = req.application.directory.publicDirectory + "js/offline-worker.js"
        let res = Response(status: .ok, body: .init(buffer: try await req.fileio.collectFile(at: path).get()))
        res.headers.replaceOrAdd(name: .contentType, value: "text/javascript; charset=utf-8")
        res.headers.replaceOrAdd(name: .cacheControl, value: "no-cache")
        return res
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
