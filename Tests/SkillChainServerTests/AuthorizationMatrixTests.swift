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
            // Rows of another organization in another region (Beijing): nobody but the platform admin may reach them.
            let other = try await Fixture.org(app, region: "110000", flags: ["chainLeader"], name: "外地企业")
            try await Fixture.user(app, "otherhr", org: other, role: .enterpriseAdmin)
            let otherActor = try #require(try await DemoData.actor(app, username: "otherhr"))
            let otherChain = try await ChainService.create(.init(name: "外地链", industry: "x", regionCode: "110000"), actor: otherActor, app: app)
            let otherPerson = try await Fixture.person(app, org: other)
            // The training side of the other organization: a position, a program with a partner school (so a cooperation
            // agreement), an enrollment and a subsidy claim.
            let otherSchool = try await Fixture.org(app, kind: .technicalCollege, region: "110000", name: "外地技师学院")
            let otherPosition = try await PositionService.create(.init(title: "外地岗位", occupationCode: "6-18-02-04", requiredLevel: "level4", headcount: 3,
                                                                       regionCode: "110000", wageMin: 1, wageMax: 2), actor: otherActor, app: app)
            let otherProgram = try await ProgramService.create(.init(kind: "projectTraining", name: "外地项目", occupationCode: "6-18-02-04", targetLevel: "level4",
                                                                     startDate: "2026-03-01", endDate: "2026-08-31", capacity: 10, hoursGeneral: 60,
                                                                     hoursBasics: 120, hoursOperational: 420, partnerIds: [otherSchool.id!]),
                                                               actor: otherActor, app: app)
            let otherEnrollment = try await EnrollmentService.enroll(otherProgram.id!, .init(personId: otherPerson.id), actor: otherActor, app: app)
            let otherAgreement = try #require(try await AgreementRecord.query(on: app.db).filter(\.$programID == otherProgram.id!).first())
            let otherClaim = SubsidyClaimRecord()
            otherClaim.enrollmentID = otherEnrollment.id!; otherClaim.programID = otherProgram.id!; otherClaim.organizationID = other.id!
            otherClaim.regionCode = "110000"; otherClaim.yearIndex = 1; otherClaim.status = "advanceRequested"
            otherClaim.advanceRequested = 1000; otherClaim.advancePaid = 0
            try await otherClaim.create(on: app.db)
            let otherRows: [String: UUID] = ["people": otherPerson.id!, "chains": otherChain.id!, "positions": otherPosition.id!,
                                             "programs": otherProgram.id!, "enrollments": otherEnrollment.id!, "agreements": otherAgreement.id!,
                                             "subsidy-claims": otherClaim.id!]

            var failures: [String] = []
            var checked = 0
            for role in Role.allCases {
                let org = try await Fixture.org(app, kind: Self.kind(for: role), region: "441900")
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
                    let path = "/" + route.path.map { $0.description.hasPrefix(":") ? otherID.uuidString.lowercased() : $0.description }.joined(separator: "/")
                    let grant = Policy.grant(role, action)
                    let status: HTTPStatus
                    if isAPI {
                        var result: HTTPStatus = .ok
                        try await app.testing().test(route.method, path, headers: ["Authorization": "Bearer \(token)"], beforeRequest: { req in
                            if route.method == .POST || route.method == .PATCH { try req.content.encode([String: String]()) }
                        }) { res in result = res.status }
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
                        if status == .forbidden || status == .unauthorized || status.code >= 500 { failures.append("expected access: " + label) }
                        let rowScoped = route.path.contains { $0.description.hasPrefix(":") } && resource != "organizations"
                        if rowScoped && grant < .all && status != .notFound { failures.append("expected 404 for another organization's row: " + label) }
                    }
                }
                // Own rows are reachable where the policy grants it.
                if Policy.allows(role, .viewPerson, .own) {
                    if try await browser.get("/people/\(ownPerson.id!)").status != .ok { failures.append("\(role) cannot see own person") }
                }
                if role == .enterpriseAdmin {
                    let chain = try await ChainService.create(.init(name: "本地链\(role)", industry: "x", regionCode: "441900"), actor: ownActor, app: app)
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
                    status = res.status; location = res.headers.first(name: .location)
                } else {
                    try await app.testing().test(route.method, path) { res in status = res.status; location = res.headers.first(name: .location) }
                }
                switch access {
                case .public?:
                    // (a sign-in attempt without credentials is a failed login: 401/422, never 403 or 5xx)
                    #expect(status != .forbidden && status.code < 500, "\(route.method) \(path)")
                case .action?:
                    if isAPI { #expect(status == .unauthorized, "\(route.method) \(path)") } else {
                        #expect(status == .seeOther && location?.hasPrefix("/login") == true, "\(route.method) \(path) → \(status.code)")
                    }
                case nil:
                    Issue.record("no access declared for \(path)")
                }
            }
        }
    }
}
