import Fluent
import Foundation
import SkillChainCore
import Vapor

/// The training side of the demo: positions, three programs at different stages, double mentors,
/// hours, agreements in every state and subsidy claims pending and approved. Loaded once, through the services.
enum DemoTraining {
    static func load(_ app: Application, ids: [String: UUID], today: Day? = nil) async throws {
        let today = today ?? app.today
        guard try await ProgramRecord.query(on: app.db).count() == 0,
            let hr = try await DemoData.actor(app, username: "hr"),
            let school = try await DemoData.actor(app, username: "school"),
            let master = try await DemoData.actor(app, username: "master", role: .master),
            let teacher = try await DemoData.actor(app, username: "teacher"),
            let gov = try await DemoData.actor(app, username: "gov"),
            let trainer = try await DemoData.actor(app, username: "trainer")
        else { return }
        let region = DemoData.region

        // Positions: the lead's and two members' job demand.
        var positionIDs: [String: UUID] = [:]
        let positions: [(String, String, String, SkillLevel, Int, Int, Int, Bool)] = [
            ("lead", "视觉检测设备装调工", "6-21-04-01", .level4, 40, 6500, 9000, true),
            ("lead", "工业机器人系统运维员", "6-31-07-01", .level3, 20, 7500, 11000, true),
            ("lead", "来料质检员", "6-31-03-05", .level5, 30, 5000, 6500, true),
        ]
        for (_, title, code, level, headcount, low, high, frontLine) in positions {
            let p = try await PositionService(app).create(
                .init(
                    title: title, occupationCode: code, requiredLevel: level.rawValue, headcount: headcount,
                    regionCode: region, wageMin: low, wageMax: high, frontLine: frontLine,
                    description: "东莞松山湖基地，两班倒，提供住宿。"), actor: hr)
            positionIDs[code] = p.id
        }
        for (username, title, code, level, headcount) in [
            ("optics", "光学镜头装配工", "6-20-07-05", SkillLevel.level4, 50),
            ("chips", "芯片封装装调工", "6-25-02-06", SkillLevel.level4, 30),
        ] {
            let p = PositionRecord()
            p.version = 1
            p.organizationID = ids[username]!
            p.title = title
            p.occupationEdition = "2022"
            p.occupationCode = code
            p.requiredLevel = level.rawValue
            p.headcount = headcount
            p.regionCode = region
            p.wageMin = 6000
            p.wageMax = 8500
            p.frontLine = true
            p.description = ""
            p.status = PositionStatus.open.rawValue
            try await app.write { db in try await p.create(on: db) }
        }

        /// The person record of that name (in an organization, where one human has records in two).
        func person(_ name: String, in org: String? = nil) async throws -> UUID {
            let q = PersonRecord.query(on: app.db).filter(\.$name == name)
            if let org { q.filter(\.$organizationID == ids[org]!) }
            return try await q.first()!.id!
        }
        let firstOfMonth = Day(year: today.year, month: today.month, day: 1)

        // A. New apprenticeship in training: cooperation approved, apprentices at different stages, hours, subsidies.
        let aStart = firstOfMonth.addingMonths(-4)
        let a = try await ProgramService(app).create(
            .init(
                kind: ProgramKind.newApprenticeship.rawValue, name: "视觉检测设备装调工新型学徒班（\(aStart.year)级）", occupationCode: "6-21-04-01",
                targetLevel: SkillLevel.level4.rawValue, startDate: aStart.description, endDate: aStart.addingMonths(12).previous.description,
                capacity: 30, hoursGeneral: 60, hoursBasics: 120, hoursOperational: 420, subsidyPerYear: 5000,
                partnerIds: [ids["college"]!], positionIds: [positionIDs["6-21-04-01"]!],
                cooperationTerms: "一、企校双方按“一班一方案”共同培养；二、企业提供实训工位与师傅，学院提供理论课程与教师；三、学徒考核合格后由企业按自主评价颁发职业技能等级证书。"),
            actor: hr)
        let aDetail = try await ProgramService.load(a.id!, on: app.db)
        let coopA = aDetail.cooperationAgreements[0].id!
        _ = try await EnrollmentService(app).actOnAgreement(coopA, .init(action: "send"), actor: hr)
        _ = try await EnrollmentService(app).actOnAgreement(coopA, .init(action: "approve"), actor: school)
        let contract = (aStart.description, aStart.addingMonths(36).previous.description)
        var apprentices: [UUID] = []
        for name in ["王强", "李娜"] {
            let e = try await EnrollmentService(app).enroll(
                a.id!,
                .init(
                    personId: try await person(name), contractStart: contract.0, contractEnd: contract.1,
                    masterMembershipId: master.membershipID, teacherMembershipId: teacher.membershipID,
                    trainingTerms: "培养目标：四级/中级工；培养期限 12 个月；考核标准：国家职业技能标准 + 企业岗位标准。"),
                actor: hr)
            apprentices.append(e.id!)
            let agreement = try await AgreementRecord.query(on: app.db).filter(\.$enrollmentID == e.id!).first()!
            _ = try await EnrollmentService(app).actOnAgreement(agreement.id!, .init(action: "send"), actor: hr)
            // These apprentices have no login: HR records the signed paper agreement.
            _ = try await EnrollmentService(app).actOnAgreement(agreement.id!, .init(action: "recordSignature"), actor: hr)
        }
        try await ProgramService(app).changeStatus(a.id!, .init(action: "start"), actor: hr)
        var day = aStart
        var week = 0
        while day <= today && week < 16 {
            let category: HourCategory = week % 5 == 0 ? .generalQualities : (week % 5 == 1 ? .professionalBasics : .operationalSkills)
            _ = try await EnrollmentService(app).logProgress(
                apprentices[0],
                .init(
                    day: day.description, category: category.rawValue, hours: 8,
                    attendance: "present", assessment: week % 4 == 3 ? "操作规范，进步明显" : nil,
                    score: week % 4 == 3 ? 85 : nil), actor: master, today: today)
            if week % 2 == 0 {
                _ = try await EnrollmentService(app).logProgress(
                    apprentices[1],
                    .init(
                        day: day.description, category: HourCategory.professionalBasics.rawValue,
                        hours: 6, attendance: week == 4 ? "excused" : "present"),
                    actor: teacher, today: today)
            }
            day = day.plusDays(7)
            week += 1
        }
        let approvedClaim = try await SubsidyService(app).create(
            .init(enrollmentId: apprentices[0], yearIndex: 1, advanceAmount: 2500), actor: hr)
        _ = try await SubsidyService(app).decide(approvedClaim.id!, .init(decision: "approve"), actor: gov)
        _ = try await SubsidyService(app).create(.init(enrollmentId: apprentices[1], yearIndex: 1, advanceAmount: 2000), actor: hr)
        // A new hire joins later: the training agreement waits for the apprentice.
        let late = try await EnrollmentService(app).enroll(
            a.id!,
            .init(
                personId: try await person("陈晓东"), contractStart: today.description,
                contractEnd: today.addingMonths(24).description, masterMembershipId: master.membershipID,
                teacherMembershipId: teacher.membershipID, trainingTerms: "培养目标：四级/中级工。"),
            actor: hr)
        if let agreement = try await AgreementRecord.query(on: app.db).filter(\.$enrollmentID == late.id!).first() {
            _ = try await EnrollmentService(app).actOnAgreement(agreement.id!, .init(action: "send"), actor: hr)
        }

        // B. Post + training class co-taught with the technician college, in training; the demo learner is in it.
        let bStart = firstOfMonth.addingMonths(-2)
        let b = try await ProgramService(app).create(
            .init(
                kind: ProgramKind.postTraining.rawValue, name: "工业机器人系统运维员 岗位+培训班", occupationCode: "6-31-07-01",
                targetLevel: SkillLevel.level3.rawValue, startDate: bStart.description, endDate: bStart.addingMonths(6).previous.description,
                capacity: 40, hoursGeneral: 40, hoursBasics: 100, hoursOperational: 260, subsidyPerYear: 0,
                partnerIds: [ids["college"]!], positionIds: [positionIDs["6-31-07-01"]!], cooperationTerms: "企业先开岗位、后开班：企业提出岗位标准，学院组织教学，结业合格者优先录用。"),
            actor: hr)
        let coopB = try await ProgramService.load(b.id!, on: app.db).cooperationAgreements[0].id!
        _ = try await EnrollmentService(app).actOnAgreement(coopB, .init(action: "send"), actor: hr)
        _ = try await EnrollmentService(app).actOnAgreement(coopB, .init(action: "approve"), actor: school)
        var students: [UUID] = []
        for name in ["黄小明", "周婷"] {
            let applied = try await EnrollmentService(app).enroll(b.id!, .init(personId: try await person(name, in: "college")), actor: school)
            try await EnrollmentService(app).decide(applied.id!, .init(action: "enroll"), actor: hr)
            try await EnrollmentService(app).assignMentors(
                applied.id!, .init(masterMembershipId: master.membershipID, teacherMembershipId: teacher.membershipID),
                actor: hr)
            // The students' training agreements: the enterprise sends, the school signs for its students.
            if let agreement = try await AgreementRecord.query(on: app.db).filter(\.$enrollmentID == applied.id!).first() {
                _ = try await EnrollmentService(app).actOnAgreement(
                    agreement.id!, .init(action: "send", terms: "岗位+培训：结业考核合格者由企业录用为工业机器人系统运维员。"),
                    actor: hr)
                _ = try await EnrollmentService(app).actOnAgreement(agreement.id!, .init(action: "approve"), actor: school)
            }
            students.append(applied.id!)
        }
        try await ProgramService(app).changeStatus(b.id!, .init(action: "start"), actor: hr)
        day = bStart.plusDays(2)
        for i in 0..<6 where day <= today {
            for s in students {
                _ = try await EnrollmentService(app).logProgress(
                    s,
                    .init(
                        day: day.description, category: (i % 3 == 0 ? HourCategory.professionalBasics : .operationalSkills).rawValue,
                        hours: 4, attendance: "present"), actor: i % 3 == 0 ? teacher : master, today: today)
            }
            day = day.plusDays(7)
        }
        if let learner = try await UserRecord.query(on: app.db).filter(\.$username == "learner").first() {
            learner.personID = try await person("黄小明", in: "college")
            try await app.write { db in try await learner.update(on: db) }
        }

        // C. Project-based training with the college and the training school, still being agreed: one agreement awaits the
        // college, the other was returned with a reason.
        let cStart = firstOfMonth.addingMonths(1)
        let c = try await ProgramService(app).create(
            .init(
                kind: ProgramKind.projectTraining.rawValue, name: "来料质检员 项目制培训（岗位需求+技能培训+就业服务）", occupationCode: "6-31-03-05",
                targetLevel: SkillLevel.level5.rawValue, startDate: cStart.description, endDate: cStart.addingMonths(3).previous.description,
                capacity: 30, hoursGeneral: 30, hoursBasics: 60, hoursOperational: 210, subsidyPerYear: 0,
                partnerIds: [ids["college"]!, ids["training"]!], positionIds: [positionIDs["6-31-03-05"]!],
                cooperationTerms: "按企业来料检验岗位需求定向培训 3 个月，结业考核合格者由企业录用，培训机构提供就业跟踪服务。"),
            actor: hr)
        let cDetail = try await ProgramService.load(c.id!, on: app.db)
        for agreement in cDetail.cooperationAgreements {
            _ = try await EnrollmentService(app).actOnAgreement(agreement.id!, .init(action: "send"), actor: hr)
            if agreement.counterpartyOrganizationID == ids["training"] {
                _ = try await EnrollmentService(app).actOnAgreement(
                    agreement.id!, .init(action: "return", reason: "请写明培训场地与就业跟踪期限（建议 6 个月）。"),
                    actor: trainer)
            }
        }
        _ = try await EnrollmentService(app).enroll(c.id!, .init(personId: try await person("吴刚")), actor: hr)

        // Evaluation bodies: the lead enterprise's filing is approved; the college's waits for the bureau.
        let validFrom = Day(year: today.year - 1, month: 1, day: 1)
        let validUntil = Day(year: today.year + 2, month: 12, day: 31)
        let lead = try await FilingService(app).create(
            .init(
                institutionType: "Y", institutionCode: "0000", siteSerial: "190001", validFrom: validFrom.description,
                validUntil: validUntil.description,
                scopes: [
                    .init(occupationCode: "6-21-04-01", levels: ["level5", "level4", "level3"]),
                    .init(occupationCode: "6-31-07-01", levels: ["level4", "level3"]),
                ]), actor: hr)
        try await FilingService(app).submit(lead.id!, actor: hr)
        try await FilingService(app).decide(lead.id!, .init(decision: "approve"), actor: gov)
        let college = try await FilingService(app).create(
            .init(
                institutionType: "S", institutionCode: "0000", siteSerial: "190002", validFrom: validFrom.description,
                validUntil: validUntil.description,
                scopes: [.init(occupationCode: "6-31-07-01", levels: ["level4", "level3"])]), actor: school)
        try await FilingService(app).submit(college.id!, actor: school)
    }
}
