import Fluent
import SkillChainCore
import Vapor

/// One learner in one program: mentors, hours against the plan, the training agreement, the progress log and subsidy claims.
enum EnrollmentPages {
    struct HoursRow: Encodable {
        let label: String
        let done: Int
        let planned: Int
        let percent: Int
    }
    struct LogRow: Encodable {
        let day: String
        let category: String
        let hours: Int
        let attendance: String
        let assessment: String
        let score: String
    }
    struct ClaimRow: Encodable {
        let href: String
        let year: Int
        let status: String
        let statusKey: String
        let advance: Int
    }
    struct Body: Encodable {
        let name: String
        let citizenID: String
        let programName: String
        let programHref: String
        let status: String
        let statusKey: String
        let statusReason: String?
        let contract: String?
        let master: String
        let teacher: String
        let hours: [HoursRow]
        let totalHours: Int
        let log: [LogRow]
        let hasLog: Bool
        let hasClaims: Bool
        let agreement: ProgramPages.AgreementView?
        let canLog: Bool
        let logAction: String
        let categories: [ChoiceOption]
        let attendances: [ChoiceOption]
        let today: String
        let canManage: Bool
        let canEnroll: Bool
        let canComplete: Bool
        let canTerminate: Bool
        let decisionAction: String
        let isApprenticeship: Bool
        let masters: [ChoiceOption]
        let teachers: [ChoiceOption]
        let mentorsAction: String
        let claims: [ClaimRow]
        let canClaim: Bool
        let claimAction: String
        let enrollmentID: String
        let maxAdvance: Int
        let years: [Int]
        let values: [String: String]
        let errors: [String: String]
    }

    static func show(_ req: Request) async throws -> Response { try await render(req) }

    static func render(
        _ req: Request, id: UUID? = nil, values: [String: String] = [:], errors: [String: String] = [:],
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.requireActor()
        let id = try id ?? req.idParameter()
        let (d, en) = try await EnrollmentService.enrollmentDetail(id, .viewProgram, actor: actor, on: req.db)
        guard d.visibleEnrollments(for: actor).contains(where: { $0.record.id == id }) else { throw DomainError.notFound }
        let scope = d.scope(for: actor)
        let isLead = (d.program.leadOrganizationID == actor.organizationID && actor.role == .enterpriseAdmin) || actor.role == .platformAdmin
        let isMentor = en.master?.membershipID == actor.membershipID || en.teacher?.membershipID == actor.membershipID
        let plan = d.hoursPlan
        let entries = try await ProgramStore(req.db).progress(id).sort(\.$day, .descending).sort(\.$createdAt, .descending).limit(200).all()
        let claims =
            actor.can(.listSubsidyClaims, actor.scope(owner: d.program.leadOrganizationID, region: d.program.regionCode))
            ? try await ProgramStore(req.db).subsidyClaims(id) : []
        let rules = req.application.config.subsidyRules
        let canManage = isLead && actor.can(.manageEnrollments, scope) && en.status.isActive
        let years: [Int] = {
            guard let s = Day(d.program.startDate), let e = Day(d.program.endDate) else { return [1] }
            return ProgramRules.years(start: s, end: e)
        }()
        let body = Body(
            name: en.person.name, citizenID: en.person.citizenIDMasked, programName: d.program.name, programHref: SiteURL.program(d.program.id!).path,
            status: req.t("enrollmentStatus.\(en.record.status)"), statusKey: en.record.status, statusReason: en.record.statusReason,
            contract: en.record.contractStart.map { req.t("programs.dates", [$0, en.record.contractEnd ?? ""]) },
            master: en.master?.name ?? "—", teacher: en.teacher?.name ?? "—",
            hours: HourCategory.allCases.map { c in
                let done = en.hours[c] ?? 0
                let planned = plan.hours(c)
                return HoursRow(
                    label: req.t("hourCategory.\(c.rawValue)"), done: done, planned: planned,
                    percent: planned == 0 ? 0 : min(100, done * 100 / planned))
            },
            totalHours: en.totalHours,
            log: entries.map {
                LogRow(
                    day: $0.day, category: req.t("hourCategory.\($0.category)"), hours: $0.hours,
                    attendance: req.t("attendance.\($0.attendance)"), assessment: $0.assessment ?? "", score: $0.score.map(String.init) ?? "")
            },
            hasLog: !entries.isEmpty, hasClaims: !claims.isEmpty,
            agreement: en.agreement.map {
                ProgramPages.agreementView($0, title: req.t("agreementKind.training"), party: en.person.name, d: d, actor: actor, req)
            },
            canLog: (isMentor || isLead) && actor.can(.logProgress, scope) && d.status == .inTraining && en.status == .enrolled,
            logAction: SiteURL.enrollmentProgress(id).path,
            categories: Page.options(
                HourCategory.self, prefix: "hourCategory", selected: [values["category"] ?? HourCategory.operationalSkills.rawValue], req),
            attendances: Page.options(Attendance.self, prefix: "attendance", selected: [values["attendance"] ?? Attendance.present.rawValue], req),
            today: req.today.description,
            canManage: canManage, canEnroll: canManage && en.status == .applied,
            canComplete: canManage && en.status == .enrolled && d.status == .inTraining,
            canTerminate: canManage, decisionAction: SiteURL.enrollmentDecision(id).path, isApprenticeship: d.kind.isApprenticeship,
            masters: canManage
                ? try await ProgramPages.mentorOptions(
                    role: .master, organizations: [d.program.leadOrganizationID],
                    selected: en.master?.membershipID.uuidString.lowercased(), req) : [],
            teachers: canManage
                ? try await ProgramPages.mentorOptions(
                    role: .teacher, organizations: d.partners.compactMap(\.id),
                    selected: en.teacher?.membershipID.uuidString.lowercased(), req) : [],
            mentorsAction: SiteURL.enrollmentMentors(id).path,
            claims: claims.map {
                ClaimRow(
                    href: SiteURL.subsidyClaim($0.id!).path, year: $0.yearIndex, status: req.t("subsidyStatus.\($0.status)"),
                    statusKey: $0.status, advance: $0.advanceRequested)
            },
            canClaim: isLead && actor.can(.createSubsidyClaim, scope) && d.kind.isEmployerLed && (d.status == .inTraining || d.status == .completed)
                && (en.status == .enrolled || en.status == .completed) && claims.count < years.count,
            claimAction: SiteURL.subsidyClaims.path, enrollmentID: id.uuidString.lowercased(),
            maxAdvance: rules.maxAdvance(for: d.targetLevel), years: years.filter { y in !claims.contains { $0.yearIndex == y } },
            values: values, errors: errors)
        return try await Page.render("enrollment", title: "\(en.person.name) · \(d.program.name)", body, req, status: status)
    }

    static func logProgress(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content {
            var day: String?
            var category: String?
            var hours: String?
            var attendance: String?
            var assessment: String?
            var score: String?
        }
        let raw = try req.content.decode(Raw.self)
        let input = ProgressInput(
            day: raw.day, category: raw.category, hours: FormDecoding.int(raw.hours), attendance: raw.attendance,
            assessment: raw.assessment, score: (raw.score ?? "").isEmpty ? nil : FormDecoding.int(raw.score))
        return try await Page.attempt(req) {
            _ = try await EnrollmentService(req.application).logProgress(id, input, actor: actor)
            return Page.redirect(.enrollment(id), flash: "flash.progressLogged", req)
        } onFailure: { errors in
            try await render(
                req,
                values: [
                    "day": raw.day ?? "", "category": raw.category ?? "", "hours": raw.hours ?? "", "attendance": raw.attendance ?? "",
                    "assessment": raw.assessment ?? "", "score": raw.score ?? "",
                ], errors: errors, status: .unprocessableEntity)
        }
    }

    static func decide(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let input = try req.content.decode(EnrollmentDecisionInput.self)
        return try await Page.attempt(req) {
            try await EnrollmentService(req.application).decide(id, input, actor: actor)
            return Page.redirect(.enrollment(id), flash: "flash.enrollment.\(input.action ?? "")", req)
        } onFailure: { errors in
            try await render(
                req, values: ["reason": input.reason ?? "", "contractStart": input.contractStart ?? "", "contractEnd": input.contractEnd ?? ""],
                errors: errors, status: .unprocessableEntity)
        }
    }

    static func assignMentors(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        struct Raw: Content {
            var masterMembershipId: String?
            var teacherMembershipId: String?
        }
        let raw = try req.content.decode(Raw.self)
        let input = MentorInput(
            masterMembershipId: raw.masterMembershipId.flatMap(UUID.init(uuidString:)),
            teacherMembershipId: raw.teacherMembershipId.flatMap(UUID.init(uuidString:)))
        return try await Page.attempt(req) {
            try await EnrollmentService(req.application).assignMentors(id, input, actor: actor)
            return Page.redirect(.enrollment(id), flash: "flash.mentorsAssigned", req)
        } onFailure: { errors in
            try await render(req, errors: errors, status: .unprocessableEntity)
        }
    }
}
