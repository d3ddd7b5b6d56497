import Fluent
import SkillChainCore
import Vapor

/// The working-day calendar: holidays and makeup working days, kept by the platform administrator.
enum CalendarPages {
    struct Row: Encodable {
        let day: String
        let kind: String
        let name: String
        let removeAction: String
    }
    struct Body: Encodable {
        let rows: [Row]
        let hasRows: Bool
        let action: String
        let values: [String: String]
        let errors: [String: String]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let days = try await CalendarService.days(on: req.db)
        return try await Page.render(
            "calendar", title: req.t("calendar.title"),
            Body(
                rows: days.map {
                    Row(day: $0.day, kind: req.t("calendar.kind.\($0.kind)"), name: $0.name, removeAction: SiteURL.calendarDayRemoval($0.id!).path)
                },
                hasRows: !days.isEmpty, action: SiteURL.calendar.path, values: values, errors: errors), req, status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.content.decode(CalendarDayInput.self)
        return try await Page.attempt(req) {
            try await CalendarService(req.application).add(input, actor: actor)
            return Page.redirect(.calendar, flash: "flash.calendarSaved", req)
        } onFailure: { errors in
            try await render(
                req, values: ["day": input.day ?? "", "kind": input.kind ?? "", "name": input.name ?? ""].filter { !$0.value.isEmpty },
                errors: errors, status: .unprocessableEntity)
        }
    }

    static func remove(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        try await CalendarService(req.application).remove(try req.idParameter(), actor: actor)
        return Page.redirect(.calendar, flash: "flash.calendarSaved", req)
    }
}
