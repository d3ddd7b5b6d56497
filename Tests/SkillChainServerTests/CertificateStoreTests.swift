import Fluent
import Foundation
import SkillChainCore
import Testing
import Vapor
import VaporTesting

@testable import SkillChainServer

/// The certificate store owns the row layout: what it inserts reads back field for field through the model, on SQLite
/// and PostgreSQL, and its "which rows count" reads agree with Core's rules.
@Suite struct CertificateStoreTests {
    func row(_ org: UUID, person: UUID, number: String, status: CertificateStatus, validUntil: String? = nil, index: Int) -> CertificateStore.Row {
        CertificateStore.Row(
            id: UUID(), number: number, organizationID: org, batchID: nil, registrationID: nil, personID: person,
            citizenIDIndex: "index-\(person)", holderName: "张三", citizenIDMasked: "4419**********0014", occupationCode: "6-18-02-04",
            occupationName: "电工", workType: "--", level: .level4, issued: "2026-06-30", validUntil: validUntil, credential: "{}",
            jwt: "a..b", keyID: "z6Mk", revocationIndex: index, suspensionIndex: index + 1, status: status,
            createdAt: Date(timeIntervalSince1970: 1_780_000_000))
    }

    @Test func an_inserted_row_reads_back_field_for_field() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            let person = try await Fixture.person(app, org: org)
            let written = row(org.id!, person: person.id!, number: "Y000044190001264000001", status: .valid, validUntil: "2030-01-01", index: 7)
            try await app.write { db in try await CertificateStore(db).insert([written]) }
            let read = try #require(try await CertificateStore(app.db).find(number: "y000044190001264000001"))
            #expect(read.id == written.id && read.number == written.number && read.organizationID == written.organizationID)
            #expect(read.batchID == nil && read.registrationID == nil && read.personID == written.personID)
            #expect(read.citizenIDIndex == written.citizenIDIndex && read.holderName == "张三" && read.citizenIDMasked == written.citizenIDMasked)
            #expect(read.occupationCode == "6-18-02-04" && read.occupationName == "电工" && read.workType == "--" && read.level == "level4")
            #expect(read.issueDate == "2026-06-30" && read.validUntil == "2030-01-01" && read.credential == "{}" && read.jwt == "a..b")
            #expect(read.keyID == "z6Mk" && read.revocationIndex == 7 && read.suspensionIndex == 8 && read.status == "valid")
            #expect(read.createdAt.map { abs($0.timeIntervalSince(written.createdAt)) < 1 } == true)
            let used = try await CertificateStore(app.db).usedIndexes(org.id!)
            #expect(used.revocation == [7] && used.suspension == [8])
        }
    }

    @Test func status_lists_and_valid_facts_count_the_rows_core_says() async throws {
        try await withTestApp { app in
            let org = try await Fixture.org(app)
            let a = try await Fixture.person(app, org: org, name: "甲")
            let b = try await Fixture.person(app, org: org, name: "乙")
            let rows = [
                row(org.id!, person: a.id!, number: "N1", status: .valid, index: 10),
                row(org.id!, person: a.id!, number: "N2", status: .revoked, index: 20),
                row(org.id!, person: b.id!, number: "N3", status: .suspended, index: 30),
            ]
            try await app.write { db in try await CertificateStore(db).insert(rows) }
            let store = CertificateStore(app.db)
            #expect(try await store.flaggedIndexes(org.id!, .revocation) == [20])
            #expect(try await store.flaggedIndexes(org.id!, .suspension) == [31])
            let facts = try await store.validFacts(of: ["index-\(a.id!)", "index-\(b.id!)"])
            #expect(facts.count == 1 && facts.first?.citizenIDIndex == "index-\(a.id!)")
            #expect(try await store.holders(among: ["index-\(b.id!)", "nobody"]) == ["index-\(b.id!)"])
            let changed = try await store.changeStatus(rows[0].id, from: "valid", to: .suspended, category: "error", reasonSealed: "x")
            #expect(changed?.status == "suspended" && changed?.statusCategory == "error")
            #expect(try await store.changeStatus(rows[0].id, from: "valid", to: .revoked, category: nil, reasonSealed: nil) == nil)
        }
    }
}
