import Testing

@testable import SkillChainCore

@Suite struct WorkflowStateTests {
    @Test func a_revocation_is_final_and_only_a_suspension_is_lifted() {
        #expect(CertificateStatus.valid.applying(.revoke) == .revoked)
        #expect(CertificateStatus.suspended.applying(.revoke) == .revoked)
        #expect(CertificateStatus.valid.applying(.suspend) == .suspended)
        #expect(CertificateStatus.suspended.applying(.reinstate) == .valid)
        for change in CertificateStatus.Change.allCases { #expect(CertificateStatus.revoked.applying(change) == nil) }
        #expect(CertificateStatus.valid.applying(.reinstate) == nil)
        #expect(CertificateStatus.suspended.applying(.suspend) == nil)
    }

    @Test func a_valid_certificate_expires_the_day_after_its_end_date() throws {
        let until = try #require(Day("2026-06-30"))
        #expect(CertificateStatus.valid.standing(validUntil: until, on: until) == .valid)
        #expect(CertificateStatus.valid.standing(validUntil: until, on: until.plusDays(1)) == .expired)
        #expect(CertificateStatus.valid.standing(validUntil: nil, on: until.plusDays(9_000)) == .valid)
        #expect(CertificateStatus.suspended.standing(validUntil: until, on: until.plusDays(1)) == .suspended)
        #expect(CertificateFact.Status.today(stored: "revoked", validUntil: nil, on: until) == .revoked)
        #expect(CertificateFact.Status.today(stored: "lost", validUntil: nil, on: until) == nil)
        #expect(StatusPurpose.revocation.status == .revoked && StatusPurpose.suspension.status == .suspended)
    }

    @Test func a_campaign_moves_one_step_at_a_time() {
        #expect(HonourCampaignStatus.open.applying(.review) == .review)
        #expect(HonourCampaignStatus.review.applying(.notice) == .notice)
        #expect(HonourCampaignStatus.notice.applying(.award) == .awarded)
        #expect(HonourCampaignStatus.open.applying(.award) == nil)
        #expect(HonourCampaignStatus.review.applying(.review) == nil)
        #expect(HonourCampaignStatus.allCases.map(\.nextEvent) == [.review, .notice, .award, nil])
    }

    @Test func nominations_follow_their_campaign_and_the_ineligible_stay_out() {
        #expect(NominationStatus.nominated.after(campaign: .notice, shortlisted: true) == .shortlisted)
        #expect(NominationStatus.nominated.after(campaign: .notice, shortlisted: false) == .notAwarded)
        #expect(NominationStatus.shortlisted.after(campaign: .awarded, shortlisted: true) == .awarded)
        #expect(NominationStatus.notAwarded.after(campaign: .awarded, shortlisted: false) == .notAwarded)
        #expect(NominationStatus.ineligible.after(campaign: .notice, shortlisted: true) == .ineligible)
        #expect(NominationStatus.nominated.after(campaign: .review, shortlisted: true) == .nominated)
    }

    @Test func a_declined_invitation_is_no_longer_open() {
        #expect(InvitationStatus.invited.isOpen && InvitationStatus.accepted.isOpen)
        #expect(!InvitationStatus.declined.isOpen)
    }
}
