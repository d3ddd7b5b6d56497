import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// Walks every registered route × every role × own/other organization. A route added without a
/// declared access, or one that lets a role through that the policy denies, fails here.
@Suite struct AuthorizationMatrixTests {
    static func kind(for role: Role) -> OrganizationKind {
        switch role {
        case .platformAdmin: .hrServiceAgency
        case .governmentOfficer: .governmentDepartment
        case .enterpriseAdmin, .master, .assessor, .supervisor: .enterprise
        case .schoolAdmin, .teacher, .learner: .technicalCollege
        }
    }

    @Test func every_route_declares_its_access() async throws {
        try await withTestApp { app in
            let undeclared = app.routes.all.filter { $0.userInfo[RouteAccessKey()] == nil }
                .map { "\($0.method) /\($0.path.map(\.description).joined(separator: "/"))" }
            #expect(undeclared.isEmpty, "routes without RouteAccess: \(undeclared)")
            #expect(app.routes.all.count >= 40)
        }
    }

    @Test func every_route_every_role_own_and_other_organization() async throws {
        try await withTestApp { app in
            // The demo chain (Dongguan) gives a real row of every other kind the API serves: the roles below sit in Shanghai,
            // so each of those rows is another organization's in another region, and a 404 proves the scope, not a bad id.
            let demo = try await DemoRows.load(app)
            // Rows of another organization in another region (Beijing): nobody but the platform admin may reach them.
            let other = try await Fixture.org(app, region: "110000", flags: ["chainLeader"], name: "外地企业")
            try await Fixture.user(app, "otherhr", org: other, role: .enterpriseAdmin)
            let otherActor = try #require(try await DemoData.actor(app, username: "otherhr"))
            let otherChain = try await ChainService(app).create(.init(name: "外地链", industry: "x", regionCode: "110000"), actor: otherActor)
            let otherPerson = try await Fixture.person(app, org: other)
            // The training side of the other organization: a position, a program with a partner school (so a cooperation
            // agreement), an enrollment and a subsidy claim.
            let otherSchool = try await Fixture.org(app, kind: .technicalCollege, region: "110000", name: "外地技师学院")
            let otherPosition = try await PositionService(app).create(
                .init(
                    title: "外地岗位", occupationCode: "6-18-02-04", requiredLevel: "level4", headcount: 3,
                    regionCode: "110000", wageMin: 1, wageMax: 2), actor: otherActor)
            let otherProgram = try await ProgramService(app).create(
                .init(
                    kind: "projectTraining", name: "外地项目", occupationCode: "6-18-02-04", targetLevel: "level4",
                    startDate: "2026-03-01", endDate: "2026-08-31", capacity: 10, hoursGeneral: 60,
                    hoursBasics: 120, hoursOperational: 420, partnerIds: [otherSchool.id!]),
                actor: otherActor)
            let otherEnrollment = try await EnrollmentService(app).enroll(otherProgram.id!, .init(personId: otherPerson.id), actor: otherActor)
            let otherAgreement = try #require(try await AgreementRecord.query(on: app.db).filter(\.$programID == otherProgram.id!).first())
            let otherClaim = SubsidyClaimRecord()
            otherClaim.enrollmentID = otherEnrollment.id!
            otherClaim.programID = otherProgram.id!
            otherClaim.organizationID = other.id!
            otherClaim.regionCode = "110000"
            otherClaim.yearIndex = 1
            otherClaim.status = "advanceRequested"
            otherClaim.advanceRequested = 1000
            otherClaim.advancePaid = 0
            try await otherClaim.create(on: app.db)
            var otherRows: [String: UUID] = [
                "people": otherPerson.id!, "chains": otherChain.id!, "positions": otherPosition.id!,
                "programs": otherProgram.id!, "enrollments": otherEnrollment.id!, "agreements": otherAgreement.id!,
                "subsidy-claims": otherClaim.id!,
            ]
            otherRows.merge(demo.byResource) { mine, _ in mine }

            var failures: [String] = []
            var checked = 0
            for role in Role.allCases {
                let org = try await Fixture.org(app, kind: Self.kind(for: role), region: "310000")
                let username = "m_\(role.rawValue.lowercased())"
                try await Fixture.user(app, username, org: org, role: role)
                let ownActor = try #require(try await DemoData.actor(app, username: username))
                // An own row for roles that can have one.
                let ownPerson = try await Fixture.person(app, org: org)
                var token = try await Fixture.token(app, username)
                let browser = Browser(app)
                _ = try await browser.login(username)

                for route in app.routes.all {
                    guard case .action(let action)? = route.userInfo[RouteAccessKey()] as? RouteAccess else { continue }
                    let isAPI = route.path.first?.description == "api"
                    let resource = route.path.count > 1 ? route.path[isAPI ? 2 : 0].description : ""
                    let otherID = otherRows[resource] ?? other.id!
                    let second = route.path.count > (isAPI ? 3 : 1) ? route.path[isAPI ? 3 : 1].description : ""
                    let path =
                        "/"
                        + route.path.map { c in
                            let d = c.description
                            guard d.hasPrefix(":") else { return d }
                            return demo.id(resource: resource, second: second, parameter: d) ?? otherID.uuidString.lowercased()
                        }.joined(separator: "/")
                    let grant = Policy.grant(role, action)
                    let status: HTTPStatus
                    if isAPI {
                        var result: HTTPStatus = .ok
                        try await app.testing().test(
                            route.method, path, headers: ["Authorization": "Bearer \(token)"],
                            beforeRequest: { req in
                                if route.method == .POST || route.method == .PATCH { try req.content.encode([String: String]()) }
                            }
                        ) { res in result = res.status }
                        status = result
                        if route.method == .DELETE && status == .noContent { token = try await Fixture.token(app, username) }
                    } else if route.method == .GET {
                        status = try await browser.get(path).status
                    } else {
                        status = try await browser.post(path, form: [:]).status
                        if path == "/logout" { _ = try await browser.login(username) }
                    }
                    checked += 1
                    let label = "\(role.rawValue) \(route.method) \(path) → \(status.code)"
                    if grant == .none {
                        if status != .forbidden { failures.append("expected 403: " + label) }
                    } else {
                        // Publishing and withdrawing a contest's results is its organizer's own act (RegistryService): the platform
                        // admin, granted everything else, is refused there on a real contest, as it signs for no party.
                        let organizerAct = role == .platformAdmin && resource == "competitions" && path.contains("/results")
                        if (status == .forbidden && !organizerAct) || status == .unauthorized || status.code >= 500 {
                            failures.append("expected access: " + label)
                        }
                        let rowScoped = route.path.contains { $0.description.hasPrefix(":") } && resource != "organizations"
                        if rowScoped && grant < .all && status != .notFound {
                            failures.append("expected 404 for another organization's row: " + label)
                        }
                    }
                }
                // Own rows are reachable where the policy grants it.
                if Policy.allows(role, .viewPerson, .own) {
                    if try await browser.get("/people/\(ownPerson.id!)").status != .ok { failures.append("\(role) cannot see own person") }
                }
                if role == .enterpriseAdmin {
                    let chain = try await ChainService(app).create(
                        .init(name: "本地链\(role)", industry: "x", regionCode: "310000"), actor: ownActor)
                    if try await browser.get("/chains/\(chain.id!)").status != .ok { failures.append("lead cannot see own chain") }
                }
            }
            #expect(checked == Role.allCases.count * app.routes.all.filter { ($0.userInfo[RouteAccessKey()] as? RouteAccess) != .public }.count)
            #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) violations:\n" + failures.joined(separator: "\n")))
        }
    }

    @Test func signed_out_visitors_are_sent_to_login_or_get_401() async throws {
        try await withTestApp { app in
            for route in app.routes.all {
                let access = route.userInfo[RouteAccessKey()] as? RouteAccess
                let path = "/" + route.path.map { $0.description.hasPrefix(":") ? UUID().uuidString : $0.description }.joined(separator: "/")
                let isAPI = path.hasPrefix("/api/")
                var status: HTTPStatus = .ok
                var location: String?
                if route.method == .POST && !isAPI {
                    let b = Browser(app)
                    _ = try await b.get("/login")
                    let res = try await b.post(path, form: [:])
                    status = res.status
                    location = res.headers.first(name: .location)
                } else {
                    try await app.testing().test(route.method, path) { res in
                        status = res.status
                        location = res.headers.first(name: .location)
                    }
                }
                switch access {
                case .public?:
                    // (a sign-in attempt without credentials is a failed login: 401/422, never 403 or 5xx)
                    #expect(status != .forbidden && status.code < 500, "\(route.method) \(path)")
                case .action?:
                    if isAPI {
                        #expect(status == .unauthorized, "\(route.method) \(path)")
                    } else {
                        #expect(status == .seeOther && location?.hasPrefix("/login") == true, "\(route.method) \(path) → \(status.code)")
                    }
                case nil:
                    Issue.record("no access declared for \(path)")
                }
            }
        }
    }
}

/// Real rows of the demo chain for every kind of record the API serves by id, for the matrix above.
struct DemoRows {
    let byResource: [String: UUID]
    let certificateNumber: String
    let competitionResult: UUID
    let nomination: UUID
    let honourObjection: UUID?
    let chainMember: UUID

    static func load(_ app: Application) async throws -> DemoRows {
        try await DemoData.load(app)
        func first<M: Model>(_ type: M.Type) async throws -> M where M.IDValue == UUID {
            try #require(try await M.query(on: app.db).first(), "the demo has no \(M.schema)")
        }
        let registration = try await first(RegistrationRecord.self)
        // A correction request and a browser session of demo users, so those routes have real rows too.
        let learner = try #require(try await DemoData.actor(app, username: "learner"))
        let mine = try await PersonalDataService.ownRecords(learner, on: app.db)
        let correction = try await PersonalDataService(app).requestCorrection(
            .init(personId: mine.first?.id, field: "phone", value: "13900139000"),
            actor: learner)
        let membership = try await first(MembershipRecord.self)
        let session = BrowserSessionRecord()
        session.tokenHash = Tokens.digest(SystemRandomSource().token())
        session.userID = membership.userID
        session.membershipID = membership.id!
        session.createdAt = Date()
        session.lastSeenAt = Date()
        session.expiresAt = Date().addingTimeInterval(3600)
        session.secondFactorPending = false
        try await session.create(on: app.db)
        let chain = try await first(ChainRecord.self)
        let member = try #require(try await ChainMemberRecord.query(on: app.db).filter(\.$chainID == chain.id!).first())
        // A membership change request on the demo chain (written directly: the demo chain waits for the bureau).
        let change = ChainChangeRequestRecord()
        change.chainID = chain.id!
        change.organizationID = member.organizationID
        change.kind = ChainChangeKind.change.rawValue
        change.contributions = "posts"
        change.explanation = "矩阵测试"
        change.status = ChainChangeStatus.pending.rawValue
        change.requestedBy = membership.userID
        change.createdAt = Date()
        try await change.create(on: app.db)
        var rows: [String: UUID] = [
            "chain-change-requests": change.id!,
            "evaluation-bodies": try await first(EvaluationFilingRecord.self).id!,
            "evaluation-plans": registration.batchID,
            "registrations": registration.id!,
            "exams": registration.id!,
            "objections": try await first(NoticeObjectionRecord.self).id!,
            "invitations": try await first(InvitationRecord.self).id!,
            "competitions": try await first(CompetitionRecord.self).id!,
            "skill-bases": try await first(SkillBaseRecord.self).id!,
            "registry": try await first(SkillBaseRecord.self).id!,
            "honours": try await first(HonourCampaignRecord.self).id!,
            "memberships": membership.id!,
            "accounts": membership.id!,
            "correction-requests": correction.id!,
            "evaluation-staff": try await first(EvaluationStaffRecord.self).id!,
            "corrections": correction.id!,
        ]
        rows["account"] = session.id!
        rows["me"] = session.id!
        return DemoRows(
            byResource: rows,
            certificateNumber: try await first(CertificateRecord.self).number,
            competitionResult: try await first(CompetitionResultRecord.self).id!,
            nomination: try await first(HonourNominationRecord.self).id!,
            honourObjection: try await HonourObjectionRecord.query(on: app.db).first()?.id,
            chainMember: member.organizationID)
    }

    /// The row for one path parameter of a route, when it is not the resource's own id.
    func id(resource: String, second: String, parameter: String) -> String? {
        switch (resource, second, parameter) {
        case ("certificates", _, ":number"): return certificateNumber
        case ("competitions", _, ":result"): return competitionResult.uuidString.lowercased()
        case ("honours", "nominations", _): return nomination.uuidString.lowercased()
        case ("honours", "objections", _): return honourObjection?.uuidString.lowercased()
        case ("chains", _, ":org"): return chainMember.uuidString.lowercased()
        default: return nil
        }
    }
}
