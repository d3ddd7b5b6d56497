import Fluent

/// Every migration, in order. Append only: never edit or reorder a migration that has shipped.
enum SkillChainMigrations {
    static let all: [any Migration] = [
        M0001CreateOrganizations(),
        M0002CreatePeople(),
        M0003CreateUsersAndMemberships(),
        M0004CreateSessionsAndTokens(),
        M0005CreateChains(),
        M0006CreateAuditEvents(),
        M0007CreateOccupations(),
        M0008CreateTraining(),
        M0009CreateEvaluationFilings(),
        M0010CreateEvaluationBatches(),
        M0011CreateCertificates(),
        M0012LegacyCertificates(),
        M0013CreateTalentPool(),
        M0014CreatePay(),
        M0015CreateHonours(),
        M0016MatchingIndexes(),
        M0017CreateRegistry(),
        M0018HonourNotice(),
        M0019DashboardSnapshots(),
        M0020CompetitionResultWithdrawal(),
        M0021AccountLifecycle(),
        M0022RecordVersions(),
        M0023OrganizationDetails(),
        M0024StaffDeactivation(),
        M0025QuestionVersions(),
        M0026PayGridVersions(),
        M0027ProgramVersions(),
        M0028ChainChangeRequests(),
        M0029Notifications(),
        M0030EmailDelivery(),
        M0031TransparencyLog(),
        M0032LookupIndexes(),
    ]
}
