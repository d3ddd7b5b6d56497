import Fluent
import Foundation
import SkillChainCore
import Vapor

/// The evaluation side of the demo, run through the services like a user would: the lead enterprise's judges,
/// a question bank, one batch final (passed and failed), one on public notice with an open objection, and one with
/// exams under way where the demo `learner` can sit the online theory exam and the `assessor` can score.
enum DemoEvaluation {
    static let occupation = "6-21-04-01"

    static func load(_ app: Application, ids: [String: UUID], today: Day? = nil) async throws {
        let today = today ?? app.today
        guard try await EvaluationBatchRecord.query(on: app.db).count() == 0,
            let hr = try await DemoData.actor(app, username: "hr"),
            let gov = try await DemoData.actor(app, username: "gov")
        else { return }
        let lead = ids["lead"]!
        func person(_ name: String) async throws -> UUID {
            try await PersonRecord.query(on: app.db).filter(\.$name == name).filter(\.$organizationID == lead).first()!.id!
        }
        // Accounts are people: judges act as themselves (recusal and blind scoring need it).
        for (username, name) in [("assessor", "刘建国"), ("assessor2", "林芳"), ("assessor3", "罗斌"), ("supervisor", "郑伟"), ("master", "张德明")] {
            guard let user = try await UserRecord.query(on: app.db).filter(\.$username == username).first() else { continue }
            user.personID = try await person(name)
            try await app.write { db in try await user.update(on: db) }
        }
        guard let a1 = try await DemoData.actor(app, username: "assessor"), let a2 = try await DemoData.actor(app, username: "assessor2"),
            let a3 = try await DemoData.actor(app, username: "assessor3"), let supervisor = try await DemoData.actor(app, username: "supervisor")
        else { return }

        // The registry: assessors with the level they hold, proctors, a supervisor. 张德明 (the apprentices' master) declares a relative.
        for (name, level, department) in [
            ("刘建国", "level2", "质量部"), ("林芳", "level2", "技术部"), ("罗斌", "level2", "设备部"), ("张德明", "level2", "装调车间"),
            ("钟涛", "level3", "装调车间"),
        ] {
            _ = try await BatchService(app).addStaff(
                .init(
                    personId: try await person(name), duty: "assessor", occupationCode: occupation, level: level,
                    department: department, relatives: name == "张德明" ? [CitizenID.completing("44190020000808021")!.value] : []),
                actor: hr)
        }
        for (name, duty) in [("何静", "proctor"), ("钱磊", "proctor"), ("郑伟", "supervisor")] {
            _ = try await BatchService(app).addStaff(.init(personId: try await person(name), duty: duty, department: "人力资源部"), actor: hr)
        }

        // The question bank for level 4: basic requirements and related knowledge, as the weight table asks.
        let basics: [(QuestionKind, String, [String], String)] = [
            (.single, "进入洁净装调车间前必须穿戴的是？", ["安全帽", "防静电服和防静电手环", "电焊手套", "反光背心"], "B"),
            (.trueFalse, "发现设备漏电时，应先切断电源再处理。", [], "T"),
            (.single, "《劳动法》规定，用人单位应当保证劳动者每周至少休息几日？", ["半日", "一日", "两日", "三日"], "B"),
            (.trueFalse, "为赶进度，可以临时拆除设备的安全防护罩。", [], "F"),
            (.multiple, "下列属于职业道德基本要求的有？", ["爱岗敬业", "诚实守信", "办事公道", "投机取巧"], "ABC"),
        ]
        let related: [(QuestionKind, String, [String], String)] = [
            (.single, "工业相机分辨率为 500 万像素，视野 50 mm × 40 mm 时，单像素精度约为？", ["0.02 mm", "0.2 mm", "0.002 mm", "2 mm"], "A"),
            (.single, "远心镜头的主要优点是？", ["价格低", "放大倍率不随物距变化", "景深极小", "体积小"], "B"),
            (.multiple, "视觉检测系统的常用光源有？", ["环形光", "背光", "同轴光", "紫外杀菌灯"], "ABC"),
            (.trueFalse, "相机标定的目的是建立像素坐标与实际尺寸之间的对应关系。", [], "T"),
            (.single, "检测划痕等表面缺陷时，通常首选的照明方式是？", ["低角度照明", "背光照明", "自然光", "顶部强光直射"], "A"),
            (.trueFalse, "更换镜头后无需重新对焦和标定。", [], "F"),
            (.single, "GigE 工业相机通过什么接口传输图像？", ["USB 2.0", "千兆以太网", "HDMI", "RS-232"], "B"),
            (.multiple, "影响图像清晰度的因素有？", ["对焦", "曝光时间", "振动", "工件颜色编码"], "ABC"),
            (.single, "PLC 与视觉控制器握手时，视觉控制器一般输出什么信号表示检测完成？", ["OK/NG 与完成信号", "模拟量 4–20 mA", "视频信号", "无需信号"], "A"),
            (.trueFalse, "景深随光圈缩小（F 值增大）而增大。", [], "T"),
        ]
        for (area, items) in [("basicRequirements", basics), ("relatedKnowledge", related)] {
            for (kind, stem, options, answer) in items {
                _ = try await ExamService(app).addItem(
                    .init(
                        occupationCode: occupation, level: "level4", kind: kind.rawValue, area: area,
                        tags: area == "basicRequirements" ? "安全;职业道德" : "视觉检测",
                        stem: stem, options: options, answer: answer), actor: hr)
            }
        }

        func batch(_ title: String, level: SkillLevel, created: Day, theory: Day, assessors: [String]) async throws -> UUID {
            let b = try await BatchService(app).create(
                .init(
                    title: title, occupationCode: occupation, level: level.rawValue, method: EvaluationMethod.examination.rawValue,
                    site: "东莞智感视觉科技有限公司 松山湖基地 实训楼", theoryDay: theory.description,
                    practicalDay: theory.next.description, theoryMinutes: 90, theoryMinimumMinutes: 1, questionCount: 10),
                actor: hr, today: created)
            for name in assessors {
                try await BatchService(app).assign(b.id!, .init(personId: try await person(name), duty: "assessor"), actor: hr)
            }
            for name in ["何静", "钱磊"] {
                try await BatchService(app).assign(b.id!, .init(personId: try await person(name), duty: "proctor", room: "A101"), actor: hr)
            }
            try await BatchService(app).assign(b.id!, .init(personId: try await person("郑伟"), duty: "supervisor"), actor: hr)
            try await BatchService(app).transition(b.id!, .init(event: "submitPlan"), actor: hr, today: created)
            try await BatchService(app).transition(b.id!, .init(event: "approvePlan"), actor: gov, today: created)
            try await BatchService(app).transition(b.id!, .init(event: "openRegistration"), actor: hr, today: created)
            return b.id!
        }
        func register(_ batch: UUID, _ name: String, clause: String, certificate: SkillLevel, years: Double) async throws -> UUID {
            try await RegistrationService(app).register(
                batch,
                .init(
                    personId: try await person(name), clauseId: clause, yearsInOccupation: years + 1,
                    certificateOccupationCode: occupation, certificateLevel: certificate.rawValue,
                    certificateYears: years, department: "装调车间"), actor: hr
            ).id!
        }
        /// Theory (paper) and the three assessors' practical scores, each through the service that audits it.
        func score(_ registration: UUID, theory: Double, practical: [Double]) async throws {
            try await RegistrationService(app).enterTheory(registration, .init(score: theory), actor: hr)
            for (assessor, s) in zip([a1, a2, a3], practical) {
                try await RegistrationService(app).score(registration, .init(subject: "practical", score: s), actor: assessor)
            }
        }
        let panel = ["刘建国", "林芳", "罗斌"]

        // 1. Final: two passed, one failed on theory.
        let start1 = today.plusDays(-75)
        let b1 = try await batch("电子专用设备装调工（四级）\(start1.year) 年第一批", level: .level4, created: start1, theory: start1.plusDays(10), assessors: panel)
        let r1 = [
            try await register(b1, "李娜", clause: "A-4-1", certificate: .level5, years: 3),
            try await register(b1, "王强", clause: "A-4-1", certificate: .level5, years: 2),
            try await register(b1, "孙浩", clause: "A-4-1", certificate: .level5, years: 4),
            try await register(b1, "高明", clause: "A-4-1", certificate: .level5, years: 5),
        ]
        _ = try await RegistrationService(app).reviewAll(b1, actor: hr)
        try await BatchService(app).transition(b1, .init(event: "closeRegistration"), actor: hr, today: start1.plusDays(5))
        try await BatchService(app).transition(b1, .init(event: "holdExams"), actor: hr, today: start1.plusDays(10))
        for (r, theory, practical) in zip3(r1, [82.0, 55, 90, 77], [[85.0, 88, 80], [70.0, 72, 68], [78.0, 80, 76], [83.0, 86, 81]]) {
            try await score(r, theory: theory, practical: practical)
        }
        try await BatchService(app).transition(b1, .init(event: "signOff"), actor: supervisor, today: start1.plusDays(12))
        try await BatchService(app).transition(b1, .init(event: "publishNotice"), actor: hr, today: start1.plusDays(14))
        // Final results: certificates are issued in the same transaction. Then one is revoked and one suspended.
        try await BatchService(app).transition(b1, .init(event: "finalize"), actor: hr, today: start1.plusDays(30))
        let issued = try await CertificateStore(app.db).ofBatch(b1)
        let byName = Dictionary(uniqueKeysWithValues: issued.map { ($0.holderName, $0.number) })
        if let n = byName["孙浩"] {
            _ = try await CertificateService(app).changeStatus(
                n, .init(action: "revoke", category: "error", reason: "复核发现操作技能评分录入错误，证书作废后重新评价。"), actor: hr)
        }
        if let n = byName["高明"] {
            _ = try await CertificateService(app).changeStatus(
                n, .init(action: "suspend", category: "misconduct", reason: "接到举报，核查期间暂停。"), actor: hr)
        }

        // 2. On notice now, with an objection from the public waiting for the body.
        let start2 = today.plusDays(-25)
        let b2 = try await batch("电子专用设备装调工（三级）\(start2.year) 年第一批", level: .level3, created: start2, theory: start2.plusDays(10), assessors: panel)
        let r2 = [
            try await register(b2, "马丽", clause: "A-3-1", certificate: .level4, years: 5),
            try await register(b2, "杨帆", clause: "A-3-1", certificate: .level4, years: 4),
            try await register(b2, "徐静", clause: "A-3-1", certificate: .level4, years: 4.5),
        ]
        _ = try await RegistrationService(app).reviewAll(b2, actor: hr)
        try await BatchService(app).transition(b2, .init(event: "closeRegistration"), actor: hr, today: start2.plusDays(5))
        try await BatchService(app).transition(b2, .init(event: "holdExams"), actor: hr, today: start2.plusDays(10))
        for (r, theory, practical) in zip3(r2, [88.0, 75, 62], [[81.0, 84, 79], [70.0, 73, 69], [50.0, 55, 52]]) {
            try await score(r, theory: theory, practical: practical)
        }
        try await BatchService(app).transition(b2, .init(event: "signOff"), actor: supervisor, today: start2.plusDays(12))
        try await BatchService(app).transition(b2, .init(event: "publishNotice"), actor: hr, today: today)
        _ = try await NoticeService(app).object(
            b2,
            .init(
                candidate: "杨帆 4419**********0019", text: "据了解该考生实际从事本职业不满四年，申报条件存疑，请核实。",
                contact: "13900139000"), today: today)

        // 3. Exams under way: the demo learner may sit the online theory exam; the assessor may score practicals.
        //    张德明 mentors 陈晓东, 黄小明 and 王强 and stands aside for them; 邓超's declared clause is not met.
        let b3 = try await batch(
            "电子专用设备装调工（四级）\(today.year) 年第二批", level: .level4, created: today, theory: today,
            assessors: panel + ["张德明", "钟涛"])
        _ = try await register(b3, "黄小明", clause: "A-4-1", certificate: .level5, years: 2.5)
        _ = try await register(b3, "陈晓东", clause: "A-4-1", certificate: .level5, years: 2)
        _ = try await register(b3, "邓超", clause: "A-4-1", certificate: .level5, years: 1)
        // 王强 failed only theory in the first batch: he retakes theory; his practical score is carried over.
        _ = try await register(b3, "王强", clause: "A-4-1", certificate: .level5, years: 2)
        _ = try await RegistrationService(app).reviewAll(b3, actor: hr)
        try await BatchService(app).transition(b3, .init(event: "closeRegistration"), actor: hr, today: today)
        try await BatchService(app).transition(b3, .init(event: "holdExams"), actor: hr, today: today)
    }

    private static func zip3<A, B, C>(_ a: [A], _ b: [B], _ c: [C]) -> [(A, B, C)] {
        zip(a, zip(b, c)).map { ($0, $1.0, $1.1) }
    }
}
