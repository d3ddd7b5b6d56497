import ConsoleKit
import Fluent
import Foundation
import SQLKit
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

@Suite struct CommandAndDemoTests {
    func run(_ app: Application, _ args: [String]) async throws {
        var context = CommandContext(console: Terminal(), input: CommandInput(arguments: ["skillchain"] + args))
        context.application = app
        try await app.asyncCommands.group().run(using: &context)
    }

    @Test func users_create_adds_a_membership_found_by_credit_code() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            setenv("SKILLCHAIN_NEW_PASSWORD", "a fine initial password", 1)
            defer { unsetenv("SKILLCHAIN_NEW_PASSWORD") }
            try await run(app, ["users", "create", "--username", "Newhr", "--org", org.creditCode.lowercased(), "--role", "enterpriseAdmin"])
            let user = try #require(try await UserRecord.query(on: app.db).filter(\.$username == "newhr").first())
            #expect(try await MembershipRecord.query(on: app.db).filter(\.$userID == user.id!).first()?.role == "enterpriseAdmin")
            #expect(try await Browser(app).login("newhr", password: "a fine initial password").status == .seeOther)
            await #expect(throws: CLIError.self) {
                try await run(app, ["users", "create", "--username", "x1", "--org", "no such org", "--role", "enterpriseAdmin"])
            }
            await #expect(throws: CLIError.self) {
                try await run(app, ["users", "create", "--username", "x2", "--org", org.name, "--role", "governmentOfficer"])
            }
        }
    }

    @Test func command_line_errors_are_localized_messages_not_swift_values() async throws {
        try await withTestApp { app in
            let short = ValidationFailure([FieldError("SKILLCHAIN_DEMO_PASSWORD", "password.tooShort", [String(Password.minimumLength)])])
            let zh = CommandLineFailure(short, localizer: app.localizer, environment: ["LANG": "zh_CN.UTF-8"])
            #expect(zh.description == "SKILLCHAIN_DEMO_PASSWORD: 密码至少 \(Password.minimumLength) 个字符。")
            let en = CommandLineFailure(short, localizer: app.localizer, environment: ["LANG": "C.UTF-8"])
            #expect(en.description.hasPrefix("SKILLCHAIN_DEMO_PASSWORD: ") && !en.description.contains("ValidationFailure"))
            let rule = CommandLineFailure(DomainError.rule(code: "program.closed"), localizer: app.localizer, environment: ["LANG": "zh_CN.UTF-8"])
            #expect(rule.description == app.localizer.string("program.closed", .zhHans))
        }
    }

    @Test func audit_verify_command_fails_on_a_broken_chain() async throws {
        try await withTestApp { app in
            try await Fixture.org(app)
            try await Fixture.org(app)
            try await run(app, ["audit", "verify"])
            try await (app.db as! any SQLDatabase).raw("UPDATE audit_events SET action = 'forged' WHERE sequence = 2").run()
            await #expect(throws: CLIError.self) { try await run(app, ["audit", "verify"]) }
        }
    }

    @Test func demo_loads_once_through_the_services_and_its_logins_work() async throws {
        try await withTestApp { app in
            setenv("SKILLCHAIN_DEMO_PASSWORD", "demo password 2026", 1)
            defer { unsetenv("SKILLCHAIN_DEMO_PASSWORD") }
            try await DemoData.load(app)
            let counts = (
                try await OrganizationRecord.query(on: app.db).count(), try await PersonRecord.query(on: app.db).count(),
                try await MembershipRecord.query(on: app.db).count(), try await ChainRecord.query(on: app.db).count()
            )
            try await DemoData.load(app)
            #expect(try await OrganizationRecord.query(on: app.db).count() == counts.0)
            #expect(try await PersonRecord.query(on: app.db).count() == counts.1)
            #expect(try await MembershipRecord.query(on: app.db).count() == counts.2)
            #expect(try await ChainRecord.query(on: app.db).count() == 1)
            #expect(counts.0 == 7 && counts.2 == 13)
            let gov = try await OrganizationRecord.query(on: app.db).filter(\.$kind == "governmentDepartment").first()
            #expect(gov?.regionCode == "441900")
            // The training side: three kinds of program at different stages, agreements in every state, hours, subsidies.
            #expect(Set(try await ProgramRecord.query(on: app.db).all().map(\.kind)) == ["newApprenticeship", "postTraining", "projectTraining"])
            #expect(try await ProgramRecord.query(on: app.db).count() == 3)
            #expect(Set(try await AgreementRecord.query(on: app.db).all().map(\.status)) == ["approved", "awaitingCounterparty", "returned"])
            #expect(Set(try await SubsidyClaimRecord.query(on: app.db).all().map(\.status)) == ["advanceApproved", "advanceRequested"])
            #expect(try await ProgressEntryRecord.query(on: app.db).count() > 10)
            #expect(Set(try await EvaluationFilingRecord.query(on: app.db).all().map(\.status)) == ["approved", "submitted"])
            #expect(
                try await EnrollmentRecord.query(on: app.db).filter(\.$masterMembershipID != nil).filter(\.$teacherMembershipID != nil).count() >= 4)
            // The evaluation side: a final batch with passed and failed candidates, one on notice with an open objection,
            // one with exams under way for the demo learner.
            #expect(Set(try await EvaluationBatchRecord.query(on: app.db).all().map(\.status)) == ["final", "inNotice", "examsHeld"])
            #expect(Set(try await RegistrationRecord.query(on: app.db).all().compactMap(\.outcome)) == ["passed", "failed"])
            #expect(try await NoticeObjectionRecord.query(on: app.db).filter(\.$status == "open").count() == 1)
            #expect(Set(try await CertificateRecord.query(on: app.db).all().map(\.status)) == ["valid", "revoked", "suspended"])
            #expect(try await AuditLog.verify(on: app.db).isIntact)
            for user in ["admin", "gov", "hr", "school", "master", "assessor", "assessor2", "supervisor", "learner", "teacher", "trainer"] {
                #expect(try await Browser(app).login(user, password: "demo password 2026").status == .seeOther, "\(user)")
            }
            let chain = try #require(try await ChainRecord.query(on: app.db).first())
            #expect(chain.status == "submitted")
            #expect(try await ChainMemberRecord.query(on: app.db).count() == 6)
            #expect(try await AuditLog.verify(on: app.db).isIntact)
            // the HR bureau sees the chain waiting for it
            let gb = Browser(app)
            _ = try await gb.login("gov", password: "demo password 2026")
            #expect(try await gb.get("/").body.string.contains("审批生态链：东莞智能视觉传感器产教评技能生态链"))
            // The chain's conversion from training to employment, against the records counted one by one.
            let lead = chain.leadOrganizationID
            let memberIDs = Set(try await ChainMemberRecord.query(on: app.db).filter(\.$chainID == chain.id!).all().map(\.organizationID)).union([
                lead
            ])
            let programs = try await ProgramRecord.query(on: app.db).filter(\.$leadOrganizationID ~~ memberIDs).all()
            let enrollments = try await EnrollmentRecord.query(on: app.db).filter(\.$programID ~~ programs.compactMap(\.id)).all()
            let people = Dictionary(
                uniqueKeysWithValues: try await PersonRecord.query(on: app.db).filter(\.$id ~~ Set(enrollments.map(\.personID))).all().map {
                    ($0.id!, $0.citizenIDIndex)
                })
            let placements = try await PlacementRecord.query(on: app.db).all()
            let conversion = try await ChainStore(app.db).conversion(chain.id!, lead: lead, today: app.today)
            #expect(conversion.trained == Set(enrollments.compactMap { people[$0.personID] }).count && conversion.trained > 0)
            #expect(conversion.completed == Set(enrollments.filter { $0.status == "completed" }.compactMap { people[$0.personID] }).count)
            let trainedIndexes = Set(enrollments.compactMap { people[$0.personID] })
            #expect(conversion.placed == Set(placements.map(\.citizenIDIndex)).intersection(trainedIndexes).count)
            #expect(try await gb.get("/chains/\(chain.id!.uuidString.lowercased())").body.string.contains("培养转化"))
        }
    }
}
