import Fluent
import Foundation
import SkillChainCore
import Vapor

struct AgreementResponse: Content {
    let id: UUID
    let kind: String
    let counterpartyOrganizationId: UUID?
    let enrollmentId: UUID?
    let terms: String
    let status: String
    let penHolder: String?
    let returnReason: String?

    init(_ a: AgreementRecord) {
        id = a.id!
        kind = a.kind
        counterpartyOrganizationId = a.counterpartyOrganizationID
        enrollmentId = a.enrollmentID
        terms = a.terms
        status = a.status
        penHolder = AgreementStatus(rawValue: a.status)?.penHolder?.rawValue
        returnReason = a.returnReason
    }
}

struct MentorResponse: Content {
    let membershipId: UUID
    let name: String
    init(_ m: ProgramDetail.MentorRef) {
        membershipId = m.membershipID
        name = m.name
    }
}

struct EnrollmentResponse: Content {
    let id: UUID
    let programId: UUID
    let personId: UUID
    let personName: String
    let citizenId: String
    let status: String
    let statusReason: String?
    let contractStart: String?
    let contractEnd: String?
    let master: MentorResponse?
    let teacher: MentorResponse?
    let hours: [String: Int]
    let totalHours: Int
    let trainingAgreement: AgreementResponse?

    init(_ e: ProgramDetail.Enrollment) {
        id = e.record.id!
        programId = e.record.programID
        personId = e.person.id!
        personName = e.person.name
        citizenId = e.person.citizenIDMasked
        status = e.record.status
        statusReason = e.record.statusReason
        contractStart = e.record.contractStart
        contractEnd = e.record.contractEnd
        master = e.master.map(MentorResponse.init)
        teacher = e.teacher.map(MentorResponse.init)
        hours = Dictionary(uniqueKeysWithValues: HourCategory.allCases.map { ($0.rawValue, e.hours[$0] ?? 0) })
        totalHours = e.totalHours
        trainingAgreement = e.agreement.map(AgreementResponse.init)
    }
}

struct ProgramResponse: Content {
    struct Partner: Content {
        let organizationId: UUID
        let name: String
        let kind: String
    }
    let id: UUID
    let kind: String
    let name: String
    let leadOrganizationId: UUID
    let leadOrganizationName: String
    let regionCode: String
    let occupationEdition: String
    let occupationCode: String
    let targetLevel: String
    let startDate: String
    let endDate: String
    let capacity: Int
    let hoursPlan: [String: Int]
    let subsidyPerYear: Int
    let status: String
    let statusReason: String?
    let partners: [Partner]
    let positionIds: [UUID]
    let cooperationAgreements: [AgreementResponse]
    let enrolled: Int
    let startBlockers: [String]
    let version: Int

    init(_ d: ProgramDetail, for actor: Actor) {
        let p = d.program
        id = p.id!
        kind = p.kind
        name = p.name
        leadOrganizationId = p.leadOrganizationID
        leadOrganizationName = d.lead.name
        regionCode = p.regionCode
        occupationEdition = p.occupationEdition
        occupationCode = p.occupationCode
        targetLevel = p.targetLevel
        startDate = p.startDate
        endDate = p.endDate
        capacity = p.capacity
        hoursPlan = [
            HourCategory.generalQualities.rawValue: p.hoursGeneral, HourCategory.professionalBasics.rawValue: p.hoursBasics,
            HourCategory.operationalSkills.rawValue: p.hoursOperational,
        ]
        subsidyPerYear = p.subsidyPerYear
        status = p.status
        statusReason = p.statusReason
        partners = d.partners.map { Partner(organizationId: $0.id!, name: $0.name, kind: $0.kind) }
        positionIds = d.positions.compactMap(\.id)
        cooperationAgreements = d.cooperationAgreements(visibleTo: actor).map(AgreementResponse.init)
        enrolled = d.enrollments.filter { $0.status == .enrolled }.count
        startBlockers = d.status == .planning ? d.startBlockers() : []
        version = p.version
    }
}

struct ProgressEntryResponse: Content {
    let id: UUID
    let enrollmentId: UUID
    let day: String
    let category: String
    let hours: Int
    let attendance: String
    let assessment: String?
    let score: Int?

    init(_ r: ProgressEntryRecord) {
        id = r.id!
        enrollmentId = r.enrollmentID
        day = r.day
        category = r.category
        hours = r.hours
        attendance = r.attendance
        assessment = r.assessment
        score = r.score
    }
}

extension ProgramDetail {
    /// The enrollments an actor may see: mentors their own apprentices, learners themselves, everyone else all.
    func visibleEnrollments(for actor: Actor) -> [Enrollment] {
        switch actor.role {
        case .master, .teacher: enrollments.filter { $0.master?.membershipID == actor.membershipID || $0.teacher?.membershipID == actor.membershipID }
        case .learner: enrollments.filter { $0.person.id == actor.personID }
        default: enrollments
        }
    }
}

enum TrainingAPI {
    // MARK: positions

    static func listPositions(_ req: Request) async throws -> APIPage<PositionResponse> {
        _ = try req.requireActor()
        let cursor = try CursorRequest(req)
        let filter = try positionFilter(req)
        let rows = try await cursor.apply(PositionService.query(filter, on: req.db)).all()
        return cursor.page(rows, PositionResponse.init)
    }

    static func positionFilter(_ req: Request) throws -> PositionService.Filter {
        var v = Validator()
        var f = PositionService.Filter(
            q: req.query[String.self, at: "q"], occupation: req.query[String.self, at: "occupation"],
            level: try enumFilter(req, "level", SkillLevel.self), region: req.query[String.self, at: "region"],
            status: try enumFilter(req, "status", PositionStatus.self))
        if (f.q ?? "").count > 100 { v.add("q", "field.tooLong", ["100"]) }
        if (f.occupation ?? "").count > 20 { v.add("occupation", "field.tooLong", ["20"]) }
        if let r = f.region, RegionCatalog.shared.region(r) == nil { v.add("region", "region.unknown") }
        if let org = req.query[String.self, at: "organization"] {
            if let id = UUID(uuidString: org) { f.organization = id } else { v.add("organization", "field.invalidChoice") }
        }
        if let fl = req.query[String.self, at: "frontLine"] {
            switch fl {
            case "true": f.frontLine = true
            case "false": f.frontLine = false
            default: v.add("frontLine", "field.invalidChoice")
            }
        }
        try v.check()
        return f
    }

    static func getPosition(_ req: Request) async throws -> Response {
        _ = try req.requireActor()
        guard let p = try await PositionRecord.find(try req.idParameter(), on: req.db) else { throw DomainError.notFound }
        return try ResourceAPI.versioned(PositionResponse(p), version: p.version)
    }

    /// A partial correction; `If-Match` with the `ETag` refuses a stale edit with 412.
    static func patchPosition(_ req: Request) async throws -> Response {
        let p = try await PositionEditService(req.application).update(
            try req.idParameter(), try req.content.decode(PositionInput.self),
            expected: RecordVersion.parse(ifMatch: req.headers.first(name: .ifMatch)),
            actor: try req.requireActor())
        return try ResourceAPI.versioned(PositionResponse(p), version: p.version)
    }

    static func createPosition(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return try ResourceAPI.created(
            PositionResponse(try await PositionService(req.application).create(try req.content.decode(PositionInput.self), actor: actor)))
    }

    static func setPositionStatus(_ req: Request) async throws -> PositionResponse {
        let actor = try req.requireActor()
        return PositionResponse(
            try await PositionService(req.application).setStatus(
                try req.idParameter(), try req.content.decode(PositionStatusInput.self), actor: actor))
    }

    // MARK: programs

    static func listPrograms(_ req: Request) async throws -> APIPage<ProgramResponse> {
        let actor = try req.requireActor()
        let cursor = try CursorRequest(req)
        let ids = try await ProgramService.visibleIDs(actor: actor, on: req.db)
        let q = ProgramStore(req.db).list(
            ids: ids, kind: try enumFilter(req, "kind", ProgramKind.self), status: try enumFilter(req, "status", ProgramStatus.self))
        let rows = try await cursor.apply(q).all()
        var items: [ProgramResponse] = []
        for r in rows.prefix(cursor.limit) { items.append(ProgramResponse(try await ProgramService.load(r.id!, on: req.db), for: actor)) }
        return APIPage(items: items, nextCursor: rows.count > cursor.limit ? items.last?.id.uuidString.lowercased() : nil)
    }

    static func getProgram(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let d = try await ProgramService.authorized(try req.idParameter(), .viewProgram, actor: actor, on: req.db)
        return try ResourceAPI.versioned(ProgramResponse(d, for: actor), version: d.program.version)
    }

    /// A partial correction: every field while planning; after the start only end date, capacity and hours, with a reason.
    static func patchProgram(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await ProgramEditService(req.application).update(
            id, try req.content.decode(ProgramPatch.self), expected: RecordVersion.parse(ifMatch: req.headers.first(name: .ifMatch)),
            actor: actor)
        let d = try await ProgramService.load(id, on: req.db)
        return try ResourceAPI.versioned(ProgramResponse(d, for: actor), version: d.program.version)
    }

    static func createProgram(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let p = try await ProgramService(req.application).create(try req.content.decode(ProgramInput.self), actor: actor)
        return try ResourceAPI.created(ProgramResponse(try await ProgramService.load(p.id!, on: req.db), for: actor))
    }

    static func addPartner(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await ProgramService(req.application).addPartner(id, try req.content.decode(ProgramService.PartnerInput.self), actor: actor)
        return try ResourceAPI.created(ProgramResponse(try await ProgramService.load(id, on: req.db), for: actor))
    }

    static func changeProgramStatus(_ req: Request) async throws -> ProgramResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await ProgramService(req.application).changeStatus(id, try req.content.decode(ProgramStatusInput.self), actor: actor)
        return ProgramResponse(try await ProgramService.load(id, on: req.db), for: actor)
    }

    // MARK: enrollments

    static func listEnrollments(_ req: Request) async throws -> APIPage<EnrollmentResponse> {
        let actor = try req.requireActor()
        let d = try await ProgramService.authorized(try req.idParameter(), .viewProgram, actor: actor, on: req.db)
        let cursor = try CursorRequest(req)
        let visible = d.visibleEnrollments(for: actor).sorted { $0.record.id! < $1.record.id! }.filter {
            cursor.after == nil || $0.record.id! > cursor.after!
        }
        let page = Array(visible.prefix(cursor.limit))
        return APIPage(
            items: page.map(EnrollmentResponse.init), nextCursor: visible.count > cursor.limit ? page.last?.record.id?.uuidString.lowercased() : nil)
    }

    static func enroll(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let e = try await EnrollmentService(req.application).enroll(id, try req.content.decode(EnrollmentInput.self), actor: actor)
        let d = try await ProgramService.load(id, on: req.db)
        return try ResourceAPI.created(EnrollmentResponse(d.enrollments.first { $0.record.id == e.id }!))
    }

    static func enrollmentResponse(_ id: UUID, _ req: Request) async throws -> EnrollmentResponse {
        let (_, en) = try await EnrollmentService.enrollmentDetail(id, .viewProgram, actor: try req.requireActor(), on: req.db)
        return EnrollmentResponse(en)
    }

    static func decideEnrollment(_ req: Request) async throws -> EnrollmentResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await EnrollmentService(req.application).decide(id, try req.content.decode(EnrollmentDecisionInput.self), actor: actor)
        return try await enrollmentResponse(id, req)
    }

    static func assignMentors(_ req: Request) async throws -> EnrollmentResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await EnrollmentService(req.application).assignMentors(id, try req.content.decode(MentorInput.self), actor: actor)
        return try await enrollmentResponse(id, req)
    }

    static func listProgress(_ req: Request) async throws -> APIPage<ProgressEntryResponse> {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        let (d, en) = try await EnrollmentService.enrollmentDetail(id, .viewProgram, actor: actor, on: req.db)
        guard d.visibleEnrollments(for: actor).contains(where: { $0.record.id == en.record.id }) else { throw DomainError.notFound }
        let cursor = try CursorRequest(req)
        let rows = try await cursor.apply(ProgramStore(req.db).progress(id)).all()
        return cursor.page(rows, ProgressEntryResponse.init)
    }

    static func logProgress(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let entry = try await EnrollmentService(req.application).logProgress(
            try req.idParameter(), try req.content.decode(ProgressInput.self), actor: actor)
        return try ResourceAPI.created(ProgressEntryResponse(entry))
    }

    // MARK: agreements

    static func actOnAgreement(_ req: Request) async throws -> AgreementResponse {
        let actor = try req.requireActor()
        return AgreementResponse(
            try await EnrollmentService(req.application).actOnAgreement(
                try req.idParameter(), try req.content.decode(AgreementActionInput.self), actor: actor))
    }

    // MARK: subsidy claims

    static func listSubsidyClaims(_ req: Request) async throws -> APIPage<SubsidyClaimResponse> {
        let actor = try req.requireActor()
        let cursor = try CursorRequest(req)
        let rows = try await cursor.apply(
            SubsidyService.query(actor: actor, status: try enumFilter(req, "status", SubsidyClaimStatus.self), on: req.db)
        ).all()
        return cursor.page(rows, SubsidyClaimResponse.init)
    }

    static func getSubsidyClaim(_ req: Request) async throws -> SubsidyClaimResponse {
        let actor = try req.requireActor()
        return SubsidyClaimResponse(try await SubsidyService.authorized(try req.idParameter(), .listSubsidyClaims, actor: actor, on: req.db))
    }

    static func createSubsidyClaim(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        return try ResourceAPI.created(
            SubsidyClaimResponse(try await SubsidyService(req.application).create(try req.content.decode(SubsidyClaimInput.self), actor: actor)))
    }

    static func requestSettlement(_ req: Request) async throws -> SubsidyClaimResponse {
        let actor = try req.requireActor()
        return SubsidyClaimResponse(
            try await SubsidyService(req.application).requestSettlement(
                try req.idParameter(), try req.content.decode(SubsidySettlementInput.self), actor: actor))
    }

    static func resubmitSubsidyClaim(_ req: Request) async throws -> SubsidyClaimResponse {
        let actor = try req.requireActor()
        return SubsidyClaimResponse(
            try await SubsidyService(req.application).resubmit(
                try req.idParameter(), try req.content.decode(SubsidyClaimInput.self), actor: actor))
    }

    static func decideSubsidyClaim(_ req: Request) async throws -> SubsidyClaimResponse {
        let actor = try req.requireActor()
        return SubsidyClaimResponse(
            try await SubsidyService(req.application).decide(
                try req.idParameter(), try req.content.decode(SubsidyDecisionInput.self), actor: actor))
    }
}
