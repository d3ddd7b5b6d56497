import Fluent
import SkillChainCore
import Vapor

/// A fictional Dongguan intelligent-vision-sensor chain, loaded through the same services users go
/// through. Idempotent: organizations, people and users that exist are kept; demo passwords are reset
/// to the current demo password so the printed logins always work.
enum DemoData {
    struct Org {
        let key: String
        let name: String
        let kind: OrganizationKind
        let code17: String
        let flags: [String]
        let employees: Int
    }

    static let region = "441900"
    static let orgs: [Org] = [
        Org(key: "operator", name: "技能生态链平台运营中心", kind: .hrServiceAgency, code17: "12441900MB2C00010", flags: [], employees: 20),
        Org(key: "gov", name: "东莞市人力资源和社会保障局", kind: .governmentDepartment, code17: "11441900MB2C00027", flags: [], employees: 200),
        Org(
            key: "lead", name: "东莞智感视觉科技有限公司", kind: .enterprise, code17: "91441900MA4W0A01L",
            flags: ["chainLeader", "specialisedSME", "aboveDesignatedSize"], employees: 1_280),
        Org(key: "optics", name: "东莞精密光学器件有限公司", kind: .enterprise, code17: "91441900MA4W0B02M", flags: ["aboveDesignatedSize"], employees: 420),
        Org(key: "chips", name: "东莞芯联电子有限公司", kind: .enterprise, code17: "91441900MA4W0C03N", flags: [], employees: 260),
        Org(key: "college", name: "东莞智造技师学院", kind: .technicalCollege, code17: "12441900MB2C00035", flags: [], employees: 610),
        Org(key: "training", name: "东莞鼎新职业培训学校", kind: .trainingInstitution, code17: "52441900MJ9C00043", flags: [], employees: 45),
    ]

    struct Login {
        let username: String
        let name: String
        let org: String
        let role: Role
    }
    static let logins: [Login] = [
        Login(username: "admin", name: "吴管理员", org: "operator", role: .platformAdmin),
        Login(username: "gov", name: "李科长", org: "gov", role: .governmentOfficer),
        Login(username: "hr", name: "王人事", org: "lead", role: .enterpriseAdmin),
        Login(username: "school", name: "陈主任", org: "college", role: .schoolAdmin),
        Login(username: "master", name: "张师傅", org: "lead", role: .master),
        Login(username: "master", name: "张师傅", org: "lead", role: .assessor),
        Login(username: "assessor", name: "刘考评员", org: "lead", role: .assessor),
        Login(username: "assessor2", name: "林考评员", org: "lead", role: .assessor),
        Login(username: "assessor3", name: "罗考评员", org: "lead", role: .assessor),
        Login(username: "supervisor", name: "郑督导", org: "lead", role: .supervisor),
        Login(username: "learner", name: "黄同学", org: "college", role: .learner),
        Login(username: "teacher", name: "孙老师", org: "college", role: .teacher),
        Login(username: "trainer", name: "何校长", org: "training", role: .schoolAdmin),
    ]

    struct DemoPerson {
        let name: String
        let id17: String
        let phone: String
        let education: Education
        let category: PersonCategory
        let org: String
    }
    static let people: [DemoPerson] = [
        DemoPerson(name: "张伟", id17: "44190019850312001", phone: "13800138001", education: .technicianCollege, category: .employee, org: "lead"),
        DemoPerson(name: "李娜", id17: "44190019920721002", phone: "13800138002", education: .associate, category: .employee, org: "lead"),
        DemoPerson(name: "王强", id17: "44190020000105003", phone: "13800138003", education: .seniorTechnicalSchool, category: .employee, org: "lead"),
        DemoPerson(name: "赵敏", id17: "44190019980909004", phone: "13800138004", education: .bachelor, category: .employee, org: "optics"),
        DemoPerson(name: "黄小明", id17: "44190020050618005", phone: "13800138005", education: .seniorSecondary, category: .student, org: "college"),
        DemoPerson(name: "周婷", id17: "44190020060227006", phone: "13800138006", education: .seniorSecondary, category: .student, org: "college"),
        DemoPerson(name: "吴刚", id17: "44190019950430007", phone: "13800138007", education: .juniorSecondary, category: .jobSeeker, org: "training"),
        DemoPerson(name: "陈晓东", id17: "44190020030815008", phone: "13800138008", education: .technicalSchool, category: .employee, org: "lead"),
        // The lead enterprise's evaluation staff and further employees (DemoEvaluation).
        DemoPerson(name: "刘建国", id17: "44190019800312011", phone: "13800138011", education: .technicianCollege, category: .employee, org: "lead"),
        DemoPerson(name: "张德明", id17: "44190019780506012", phone: "13800138012", education: .seniorTechnicalSchool, category: .employee, org: "lead"),
        DemoPerson(name: "林芳", id17: "44190019850920013", phone: "13800138013", education: .associate, category: .employee, org: "lead"),
        DemoPerson(name: "郑伟", id17: "44190019821111014", phone: "13800138014", education: .bachelor, category: .employee, org: "lead"),
        DemoPerson(name: "何静", id17: "44190019900202015", phone: "13800138015", education: .associate, category: .employee, org: "lead"),
        DemoPerson(name: "钱磊", id17: "44190019910303016", phone: "13800138016", education: .associate, category: .employee, org: "lead"),
        DemoPerson(name: "罗斌", id17: "44190019830404022", phone: "13800138022", education: .technicianCollege, category: .employee, org: "lead"),
        DemoPerson(name: "钟涛", id17: "44190019840505023", phone: "13800138023", education: .technicianCollege, category: .employee, org: "lead"),
        DemoPerson(name: "孙浩", id17: "44190019990101017", phone: "13800138017", education: .technicalSchool, category: .employee, org: "lead"),
        DemoPerson(name: "马丽", id17: "44190019970707018", phone: "13800138018", education: .associate, category: .employee, org: "lead"),
        DemoPerson(name: "杨帆", id17: "44190020010909019", phone: "13800138019", education: .technicalSchool, category: .employee, org: "lead"),
        DemoPerson(name: "徐静", id17: "44190019960606020", phone: "13800138020", education: .seniorSecondary, category: .employee, org: "lead"),
        DemoPerson(name: "邓超", id17: "44190020000808021", phone: "13800138021", education: .juniorSecondary, category: .employee, org: "lead"),
        DemoPerson(name: "高明", id17: "44190019941212024", phone: "13800138024", education: .technicalSchool, category: .employee, org: "lead"),
        // The post + training learner, hired by the lead as an intern: its own record of the same person.
        DemoPerson(name: "黄小明", id17: "44190020050618005", phone: "13800138005", education: .seniorSecondary, category: .employee, org: "lead"),
    ]

    static func load(_ app: Application) async throws {
        let password = Environment.get("SKILLCHAIN_DEMO_PASSWORD").flatMap { $0.isEmpty ? nil : $0 } ?? app.random.token(bytes: 9)
        if let problem = Password.problem(password) {
            throw ValidationFailure([FieldError("SKILLCHAIN_DEMO_PASSWORD", problem, [String(Password.minimumLength)])])
        }
        var ids: [String: UUID] = [:]
        for o in orgs {
            let code = CreditCode.completing(o.code17)!.value
            if let existing = try await OrganizationRecord.query(on: app.db).filter(\.$creditCode == code).first() {
                ids[o.key] = existing.id
                continue
            }
            let record = try await OrganizationService(app).create(
                .init(
                    name: o.name, kind: o.kind.rawValue, creditCode: code, regionCode: region,
                    flags: o.flags, insuredEmployees: o.employees), actor: nil)
            ids[o.key] = record.id
        }
        for p in people {
            let org = ids[p.org]!
            let id = CitizenID.completing(p.id17)!
            let index = app.personalData.blindIndex(id.value)
            if try await PersonRecord.query(on: app.db).filter(\.$organizationID == org).filter(\.$citizenIDIndex == index).first() != nil {
                continue
            }
            _ = try await PersonService(app).create(
                .init(
                    name: p.name, citizenId: id.value, phone: p.phone, education: p.education.rawValue,
                    category: p.category.rawValue), organizationID: org, actor: nil)
        }
        for l in logins {
            let org = ids[l.org]!
            if let user = try await UserRecord.query(on: app.db).filter(\.$username == l.username).first(),
                try await MembershipRecord.query(on: app.db).filter(\.$userID == user.id!).filter(\.$organizationID == org)
                    .filter(\.$role == l.role.rawValue).first() != nil
            {
                continue
            }
            try await AccountService(app).addMembership(
                .init(
                    username: l.username, displayName: l.name, password: password,
                    organizationId: org, role: l.role.rawValue), actor: nil)
        }
        let hash = try await app.passwordHasher.hash(password)
        let usernames = Set(logins.map(\.username))
        try await app.write { db in
            try await UserRecord.query(on: db).filter(\.$username ~~ usernames).set(\.$passwordHash, to: hash).update()
        }
        try await loadChain(app, ids: ids)
        try await DemoTraining.load(app, ids: ids)
        try await DemoEvaluation.load(app, ids: ids)
        try await DemoTalent.load(app, ids: ids)
        try await DemoHonours.load(app, ids: ids)
        try await DemoRegistry.load(app, ids: ids)
        let list = logins.map(\.username).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let banner = """

            SkillChain demo: Dongguan intelligent-vision-sensor chain loaded.
            Logins (password for all): \(list.joined(separator: ", "))
            Password: \(password)
            Open \(app.config.publicURL.absoluteString)

            """
        print(banner)
    }

    static func loadChain(_ app: Application, ids: [String: UUID]) async throws {
        let name = "东莞智能视觉传感器产教评技能生态链"
        if try await ChainRecord.query(on: app.db).filter(\.$name == name).first() != nil { return }
        guard let hr = try await actor(app, username: "hr") else { return }
        let chain = try await ChainService(app).create(
            .init(name: name, industry: "智能视觉传感器", regionCode: region, postsCommitted: 180), actor: hr)
        let members: [(String, [ChainContribution], Int)] = [
            ("optics", [.posts, .standards, .masters], 80),
            ("chips", [.posts, .masters], 60),
            ("college", [.students, .teachers, .teachingResources], 0),
            ("training", [.teachers, .teachingResources, .services], 0),
            ("gov", [.policy, .services, .management], 0),
        ]
        for (key, contributions, posts) in members {
            try await ChainService(app).addMember(
                chain.id!,
                .init(
                    organizationId: ids[key], contributions: contributions.map(\.rawValue),
                    postsCommitted: posts), actor: hr)
        }
        try await ChainService(app).submit(chain.id!, actor: hr)
    }

    static func actor(_ app: Application, username: String, role: Role? = nil) async throws -> Actor? {
        guard let user = try await UserRecord.query(on: app.db).filter(\.$username == username).first() else { return nil }
        let q = MembershipRecord.query(on: app.db).filter(\.$userID == user.id!)
        if let role { q.filter(\.$role == role.rawValue) }
        guard let m = try await q.sort(\.$createdAt).first() else { return nil }
        return try await ActorLoader.load(userID: user.id!, membershipID: m.id!, sessionID: nil, tokenID: nil, now: app.now, on: app.db)
    }
}
