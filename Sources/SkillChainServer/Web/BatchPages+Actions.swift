import Fluent
import SkillChainCore
import Vapor

extension BatchPages {
    static func assign(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content {
            var personId: String?
            var duty: String?
            var room: String?
        }
        let raw = try req.content.decode(Raw.self)
        return try await Page.attempt(req) {
            try await BatchService(req.application).assign(
                id, AssignmentInput(personId: raw.personId.flatMap(UUID.init(uuidString:)), duty: raw.duty, room: raw.room), actor: actor)
            return Page.redirect(.batch(id), flash: "flash.staffAssigned", req)
        } onFailure: { errors in
            try await render(req, values: ["duty": raw.duty ?? "", "room": raw.room ?? ""], errors: errors, status: .unprocessableEntity)
        }
    }

    static func transition(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(TransitionInput.self)
        return try await Page.attempt(req) {
            try await BatchService(req.application).transition(id, input, actor: actor)
            return Page.redirect(.batch(id), flash: "flash.batchMoved", req)
        } onFailure: { errors in
            try await render(req, values: ["reason": input.reason ?? ""], errors: errors, status: .unprocessableEntity)
        }
    }

    static func register(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content {
            var personId: String?
            var clauseId: String?
            var yearsInOccupation: String?
            var certificateOccupationCode: String?
            var certificateLevel: String?
            var certificateYears: String?
            var isFinalYearStudent: String?
            var department: String?
        }
        let raw = try req.content.decode(Raw.self)
        var v = Validator()
        func number(_ field: String, _ s: String?) -> Double? {
            let t = (s ?? "").trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return nil }
            guard let n = Double(t), n.isFinite else {
                v.add(field, "field.number")
                return nil
            }
            return n
        }
        let input = RegistrationInput(
            personId: raw.personId.flatMap(UUID.init(uuidString:)), clauseId: raw.clauseId,
            yearsInOccupation: number("yearsInOccupation", raw.yearsInOccupation),
            certificateOccupationCode: raw.certificateOccupationCode, certificateLevel: raw.certificateLevel,
            certificateYears: number("certificateYears", raw.certificateYears), isFinalYearStudent: raw.isFinalYearStudent == "on",
            department: raw.department)
        let values = [
            "personId": raw.personId ?? "", "clauseId": raw.clauseId ?? "", "yearsInOccupation": raw.yearsInOccupation ?? "",
            "certificateOccupationCode": raw.certificateOccupationCode ?? "", "certificateLevel": raw.certificateLevel ?? "",
            "certificateYears": raw.certificateYears ?? "", "department": raw.department ?? "",
        ].filter { !$0.value.isEmpty }
        return try await Page.attempt(req) {
            try v.check()
            let r = try await RegistrationService(req.application).register(id, input, actor: actor)
            return Page.redirect(.registration(r.id!), flash: "flash.registered", req)
        } onFailure: { errors in
            try await render(req, values: values, errors: errors, status: .unprocessableEntity)
        }
    }

    static func importRegistrations(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content { var csv: String? }
        let raw = try req.content.decode(Raw.self)
        return try await Page.attempt(req) {
            _ = try await RegistrationService(req.application).importCSV(id, raw.csv ?? "", actor: actor)
            return Page.redirect(.batch(id), flash: "flash.registrationsImported", req)
        } onFailure: { errors in
            try await render(
                req, values: ["registrationsCsv": raw.csv ?? ""], errors: remap(errors, to: "registrationsFile"), status: .unprocessableEntity)
        }
    }

    static func importTheory(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content { var csv: String? }
        let raw = try req.content.decode(Raw.self)
        return try await Page.attempt(req) {
            _ = try await RegistrationService(req.application).importTheory(id, raw.csv ?? "", actor: actor)
            return Page.redirect(.batch(id), flash: "flash.scoresImported", req)
        } onFailure: { errors in
            try await render(req, values: ["theoryCsv": raw.csv ?? ""], errors: remap(errors, to: "theoryFile"), status: .unprocessableEntity)
        }
    }

    /// Import errors are shown beside the form they came from.
    static func remap(_ errors: [String: String], to key: String) -> [String: String] {
        var out = errors
        if let e = out.removeValue(forKey: "file") { out[key] = e }
        return out
    }

    static func reviewAll(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        return try await Page.attempt(req) {
            _ = try await RegistrationService(req.application).reviewAll(id, actor: actor)
            return Page.redirect(.batch(id), flash: "flash.eligibilityReviewed", req)
        } onFailure: { errors in
            try await render(req, errors: errors, status: .unprocessableEntity)
        }
    }

    static func resolveObjection(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(ObjectionResolutionInput.self)
        guard let o = try await NoticeObjectionRecord.find(id, on: req.db) else { throw DomainError.notFound }
        return try await Page.attempt(req) {
            try await NoticeService(req.application).resolve(id, input, actor: actor)
            return Page.redirect(.batch(o.batchID), flash: "flash.objectionResolved", req)
        } onFailure: { errors in
            req.parameters.set("id", to: o.batchID.uuidString)
            return try await render(req, values: ["resolution": input.resolution ?? ""], errors: errors, status: .unprocessableEntity)
        }
    }
}
