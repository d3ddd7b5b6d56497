import Fluent
import SkillChainCore
import Vapor

/// JSON endpoints for organizations, chains, people and memberships. Each loads, asks the policy,
/// calls a service and answers; out-of-scope rows are 404.
enum ResourceAPI {
    static func created<T: Content>(_ value: T) throws -> Response {
        let r = Response(status: .created)
        try r.content.encode(value)
        return r
    }

    // MARK: organizations

    static func listOrganizations(_ req: Request) async throws -> APIPage<OrganizationResponse> {
        _ = try req.requireActor()
        let cursor = try CursorRequest(req)
        let filter = OrganizationService.Filter(
            q: req.query[String.self, at: "q"], kind: try enumFilter(req, "kind", OrganizationKind.self),
            region: req.query[String.self, at: "region"], archived: try archivedFilter(req))
        let rows = try await cursor.apply(OrganizationService.query(filter, on: req.db)).all()
        return cursor.page(rows, OrganizationResponse.init)
    }

    static func getOrganization(_ req: Request) async throws -> Response {
        _ = try req.requireActor()
        guard let org = try await OrganizationRecord.find(try req.idParameter(), on: req.db) else { throw DomainError.notFound }
        return try versioned(OrganizationResponse(org), version: org.version)
    }

    static func patchOrganization(_ req: Request) async throws -> Response {
        let org = try await OrganizationEditService(req.application).update(
            try req.idParameter(), try req.content.decode(OrganizationPatch.self),
            expected: RecordVersion.parse(ifMatch: req.headers.first(name: .ifMatch)),
            actor: try req.requireActor())
        return try versioned(OrganizationResponse(org), version: org.version)
    }

    static func createOrganization(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.content.decode(OrganizationInput.self)
        return try created(OrganizationResponse(try await OrganizationService(req.application).create(input, actor: actor)))
    }

    // MARK: chains

    static func listChains(_ req: Request) async throws -> APIPage<ChainResponse> {
        let actor = try req.requireActor()
        let cursor = try CursorRequest(req)
        let store = try ChainStore(req.db)
        let visible: ChainStore.Visible =
            switch Policy.grant(actor.role, .listChains) {
            case .all: .all
            case .own: .memberOf(actor.organizationID)
            case .region, .none: .ids(try await ChainService.visibleIDs(actor: actor, on: req.db) ?? [])
            }
        let rows = try await store.page(visible, after: cursor.after, limit: cursor.limit + 1)
        let thresholds = req.application.config.chainThresholds
        let items = rows.prefix(cursor.limit).map { ChainResponse($0.chain, members: $0.members, thresholds: thresholds) }
        return APIPage(items: items, nextCursor: rows.count > cursor.limit ? items.last?.id.uuidString.lowercased() : nil)
    }

    static func getChain(_ req: Request) async throws -> ChainResponse {
        let actor = try req.requireActor()
        let d = try await ChainService.authorized(try req.idParameter(), .viewChain, actor: actor, on: req.db)
        return ChainResponse(d, thresholds: req.application.config.chainThresholds)
    }

    static func createChain(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.content.decode(ChainInput.self)
        let chain = try await ChainService(req.application).create(input, actor: actor)
        return try created(ChainResponse(try await ChainService.load(chain.id!, on: req.db), thresholds: req.application.config.chainThresholds))
    }

    static func addChainMember(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await ChainService(req.application).addMember(id, try req.content.decode(ChainMemberInput.self), actor: actor)
        return try created(ChainResponse(try await ChainService.load(id, on: req.db), thresholds: req.application.config.chainThresholds))
    }

    static func changeChainMember(_ req: Request) async throws -> ChainResponse {
        let id = try req.idParameter()
        try await ChainMemberService(req.application).change(
            id, member: try req.idParameter("org"), try req.content.decode(ChainMemberService.ChangeInput.self),
            actor: try req.requireActor())
        return ChainResponse(try await ChainService.load(id, on: req.db), thresholds: req.application.config.chainThresholds)
    }

    static func removeChainMember(_ req: Request) async throws -> ChainResponse {
        let id = try req.idParameter()
        try await ChainMemberService(req.application).remove(id, member: try req.idParameter("org"), actor: try req.requireActor())
        return ChainResponse(try await ChainService.load(id, on: req.db), thresholds: req.application.config.chainThresholds)
    }

    static func listChainChanges(_ req: Request) async throws -> APIPage<ChainChangeResponse> {
        APIPage(items: try await ChainChangeService.list(try req.idParameter(), actor: try req.requireActor(), on: req.db), nextCursor: nil)
    }

    static func requestChainChange(_ req: Request) async throws -> Response {
        let r = try await ChainChangeService(req.application).request(
            try req.idParameter(), try req.content.decode(ChainChangeInput.self), actor: try req.requireActor())
        let name = try await OrganizationRecord.find(r.organizationID, on: req.db)?.name ?? ""
        return try created(ChainChangeService.response(r, name: name))
    }

    static func decideChainChange(_ req: Request) async throws -> ChainChangeResponse {
        let r = try await ChainChangeService(req.application).decide(
            try req.idParameter(), try req.content.decode(ChainChangeService.DecisionInput.self),
            actor: try req.requireActor())
        return ChainChangeService.response(r, name: try await OrganizationRecord.find(r.organizationID, on: req.db)?.name ?? "")
    }

    /// A draft chain never submitted, deleted with its members.
    static func deleteChain(_ req: Request) async throws -> Response {
        try await DraftDeletionService(req.application).chain(try req.idParameter(), actor: try req.requireActor())
        return Response(status: .noContent)
    }

    /// A position nothing refers to (no programme, invitation or placement); otherwise close it instead.
    static func deletePosition(_ req: Request) async throws -> Response {
        try await DraftDeletionService(req.application).position(try req.idParameter(), actor: try req.requireActor())
        return Response(status: .noContent)
    }

    static func submitChain(_ req: Request) async throws -> ChainResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await ChainService(req.application).submit(id, actor: actor)
        return ChainResponse(try await ChainService.load(id, on: req.db), thresholds: req.application.config.chainThresholds)
    }

    static func decideChain(_ req: Request) async throws -> ChainResponse {
        let actor = try req.requireActor()
        let id = try req.idParameter()
        try await ChainService(req.application).decide(id, try req.content.decode(ChainDecisionInput.self), actor: actor)
        return ChainResponse(try await ChainService.load(id, on: req.db), thresholds: req.application.config.chainThresholds)
    }

    // MARK: people

    static func listPeople(_ req: Request) async throws -> APIPage<PersonResponse> {
        let actor = try req.requireActor()
        let cursor = try CursorRequest(req)
        let filter = PersonService.Filter(
            q: req.query[String.self, at: "q"], category: try enumFilter(req, "category", PersonCategory.self),
            archived: try archivedFilter(req))
        let rows = try await cursor.apply(
            PersonService(req.application).query(
                filter, organizationID: PeoplePages.scopeOrganization(actor), on: req.db)
        ).all()
        return cursor.page(rows) { PersonResponse($0) }
    }

    static func getPerson(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard let p = try await PersonRecord.find(try req.idParameter(), on: req.db) else { throw DomainError.notFound }
        try actor.require(.viewPerson, actor.scope(owner: p.organizationID))
        return try versioned(PersonResponse(p), version: p.version)
    }

    /// A partial update; `If-Match` with the version from the `ETag` makes a stale edit answer 412 instead of overwriting.
    static func patchPerson(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let expected = RecordVersion.parse(ifMatch: req.headers.first(name: .ifMatch))
        let p = try await PersonEditService(req.application).update(
            try req.idParameter(), try req.content.decode(PersonPatch.self), expected: expected,
            actor: actor)
        return try versioned(PersonResponse(p), version: p.version)
    }

    /// `?archived=true` lists archived records instead of the active ones; anything but `true` or `false` (an empty
    /// value too) is refused.
    static func archivedFilter(_ req: Request) throws -> Bool {
        guard let raw = req.query[String.self, at: "archived"] else { return false }
        guard let value = Bool(raw.lowercased()) else { throw ValidationFailure([FieldError("archived", "field.wrongType", ["archived"])]) }
        return value
    }

    static func archiveOrganization(_ req: Request) async throws -> OrganizationResponse {
        OrganizationResponse(
            try await ArchiveService(req.application).organization(
                try req.idParameter(), archived: true, try req.content.decode(ArchiveInput.self),
                actor: try req.requireActor()))
    }

    static func restoreOrganization(_ req: Request) async throws -> OrganizationResponse {
        OrganizationResponse(
            try await ArchiveService(req.application).organization(
                try req.idParameter(), archived: false, .init(), actor: try req.requireActor()))
    }

    static func archivePerson(_ req: Request) async throws -> Response {
        let p = try await ArchiveService(req.application).person(try req.idParameter(), archived: true, actor: try req.requireActor())
        return try versioned(PersonResponse(p), version: p.version)
    }

    static func restorePerson(_ req: Request) async throws -> Response {
        let p = try await ArchiveService(req.application).person(try req.idParameter(), archived: false, actor: try req.requireActor())
        return try versioned(PersonResponse(p), version: p.version)
    }

    /// A single record's answer with its version as the `ETag`.
    static func versioned<T: Content>(_ value: T, version: Int) throws -> Response {
        let response = Response(status: .ok)
        try response.content.encode(value)
        response.headers.replaceOrAdd(name: .eTag, value: RecordVersion.etag(version))
        return response
    }

    static func createPerson(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.content.decode(PersonInput.self)
        let org = input.organizationId ?? actor.organizationID
        try actor.require(.createPerson, actor.scope(owner: org))
        return try created(PersonResponse(try await PersonService(req.application).create(input, organizationID: org, actor: actor)))
    }

    // MARK: memberships

    static func listMemberships(_ req: Request) async throws -> APIPage<MembershipResponse> {
        let actor = try req.requireActor()
        let cursor = try CursorRequest(req)
        let rows = try await cursor.apply(AccountService.visibleMemberships(actor, on: req.db)).all()
        let byID = try await UserRecord.byID(rows.map(\.userID), on: req.db)
        return cursor.page(rows) {
            MembershipResponse(
                id: $0.id!, userId: $0.userID, username: byID[$0.userID]?.username ?? "", organizationId: $0.organizationID, role: $0.role,
                active: $0.deactivatedAt == nil && byID[$0.userID]?.isActive == true)
        }
    }

    static func createMembership(_ req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let input = try req.content.decode(MembershipInput.self)
        let m = try await AccountService(req.application).addMembership(input, actor: actor)
        return try created(try await AccountAPI.response(m, on: req.db))
    }

    // MARK: audit

    struct AuditVerification: Content {
        let intact: Bool
        let checked: Int
        let firstBroken: Int64?
        let failure: String?
    }

    static func verifyAudit(_ req: Request) async throws -> AuditVerification {
        let r = try await AuditLog.verify(on: req.db)
        return AuditVerification(intact: r.isIntact, checked: r.checked, firstBroken: r.firstBroken, failure: r.failure?.rawValue)
    }
}
