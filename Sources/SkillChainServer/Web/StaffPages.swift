import Fluent
import SkillChainCore
import Vapor

/// The evaluation body's registry of assessors, proctors and supervisors.
enum StaffPages {
    struct Row: Encodable {
        let name: String
        let duty: String
        let occupation: String
        let level: String
        let department: String
        let relatives: Int
        let active: Bool
        let deactivateAction: String
        let reactivateAction: String
    }
    struct Body: Encodable {
        let rows: [Row]
        let hasRows: Bool
        let people: [ChoiceOption]
        let duties: [ChoiceOption]
        let levels: [ChoiceOption]
        let action: String
        let values: [String: String]
        let errors: [String: String]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(_ req: Request, values: [String: String] = [:], errors: [String: String] = [:], status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.requireActor()
        let staff = try await BatchStore(req.db).staffRegister(of: actor.organizationID)
        let relatives = try await BatchStore(req.db).declaredRelatives(of: staff.compactMap(\.id))
        let people = try await DirectoryStore(req.db).activePeople(of: [actor.organizationID], limit: 500)
        let name = Dictionary(uniqueKeysWithValues: people.map { ($0.id!, $0.name) })
        return try await Page.render(
            "evaluation-staff", title: req.t("staff.title"),
            Body(
                rows: staff.map { s in
                    Row(
                        name: name[s.personID] ?? "", duty: req.t("duty.\(s.duty)"),
                        occupation: s.occupationCode.isEmpty ? "—" : PositionPages.occupationLabel(s.occupationCode),
                        level: s.level.isEmpty ? "—" : req.t("level.\(s.level)"), department: s.department,
                        relatives: relatives.filter { $0.staffID == s.id }.count,
                        active: s.deactivatedAt == nil, deactivateAction: SiteURL.staffDeactivation(s.id!).path,
                        reactivateAction: SiteURL.staffReactivation(s.id!).path)
                },
                hasRows: !staff.isEmpty,
                people: people.map {
                    ChoiceOption(
                        value: $0.id!.uuidString.lowercased(), label: "\($0.name) \($0.citizenIDMasked)",
                        selected: values["personId"] == $0.id!.uuidString.lowercased())
                },
                duties: Page.options(Duty.self, prefix: "duty", selected: [values["duty"] ?? ""], req),
                levels: SkillLevel.certificated.map {
                    ChoiceOption(value: $0.rawValue, label: req.t("level.\($0.rawValue)"), selected: values["level"] == $0.rawValue)
                },
                action: SiteURL.evaluationStaff.path, values: values, errors: errors), req, status: status)
    }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        struct Raw: Content {
            var personId: String?
            var duty: String?
            var occupationCode: String?
            var level: String?
            var department: String?
            var relatives: String?
        }
        let raw = try req.content.decode(Raw.self)
        let input = StaffInput(
            personId: raw.personId.flatMap(UUID.init(uuidString:)), duty: raw.duty, occupationCode: raw.occupationCode, level: raw.level,
            department: raw.department,
            relatives: (raw.relatives ?? "").split(whereSeparator: { $0 == "\n" || $0 == "," || $0 == "，" }).map(String.init))
        // Relatives' ID numbers are never echoed back into the form.
        let values = [
            "personId": raw.personId ?? "", "duty": raw.duty ?? "", "occupationCode": raw.occupationCode ?? "", "level": raw.level ?? "",
            "department": raw.department ?? "",
        ].filter { !$0.value.isEmpty }
        return try await Page.attempt(req) {
            _ = try await BatchService(req.application).addStaff(input, actor: actor)
            return Page.redirect(.evaluationStaff, flash: "flash.staffAdded", req)
        } onFailure: { errors in
            try await render(req, values: values, errors: errors, status: .unprocessableEntity)
        }
    }

    static func deactivate(_ req: Request) async throws -> Response {
        let (_, removed) = try await StaffLifecycleService(req.application).setActive(
            try req.idParameter(), active: false, actor: try req.requireActor())
        return Page.redirect(.evaluationStaff, flash: removed > 0 ? "flash.staffDeactivatedPanels" : "flash.staffDeactivated", req)
    }

    static func reactivate(_ req: Request) async throws -> Response {
        try await StaffLifecycleService(req.application).setActive(try req.idParameter(), active: true, actor: try req.requireActor())
        return Page.redirect(.evaluationStaff, flash: "flash.staffReactivated", req)
    }
}
