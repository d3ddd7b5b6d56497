import Fluent
import SkillChainCore
import Vapor

/// A page of a collection with an opaque cursor for the next one.
struct APIPage<Item: Content>: Content {
    let items: [Item]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey { case items, nextCursor }

    /// `nextCursor` is always present: `null` on the last page.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(items, forKey: .items)
        try c.encode(nextCursor, forKey: .nextCursor)
    }
}

/// `?limit=&cursor=` keyset pagination over ids (stable under inserts).
struct CursorRequest {
    let limit: Int
    let after: UUID?

    /// `?limit=` (1…100, default 20); a bad value is a field error in `v`.
    static func parseLimit(_ req: Request, _ v: inout SkillChainCore.Validator) -> Int {
        guard let raw = req.query[String.self, at: "limit"] else { return 20 }
        if let n = Int(raw), (1...100).contains(n) { return n }
        v.add("limit", "field.outOfRange", ["1", "100"])
        return 20
    }

    init(_ req: Request) throws {
        var v = Validator()
        let limit = Self.parseLimit(req, &v)
        var after: UUID?
        if let c = req.query[String.self, at: "cursor"] {
            if let id = UUID(uuidString: c) { after = id } else { v.add("cursor", "cursor.invalid") }
        } else if req.url.query?.contains("cursor=") == true {
            v.add("cursor", "cursor.invalid")
        }
        try v.check()
        self.limit = limit
        self.after = after
    }

    func apply<M: Model>(_ q: QueryBuilder<M>) -> QueryBuilder<M> where M.IDValue == UUID {
        if let after { q.filter(\M._$id > after) }
        return q.sort(\M._$id).limit(limit + 1)
    }

    func page<M: Model, Item: Content>(_ rows: [M], _ map: (M) throws -> Item) rethrows -> APIPage<Item> where M.IDValue == UUID {
        let items = Array(rows.prefix(limit))
        let next = rows.count > limit ? items.last?.id?.uuidString.lowercased() : nil
        return APIPage(items: try items.map(map), nextCursor: next)
    }
}

/// Reads an optional enum-valued query filter; anything but one known value is a field error.
func enumFilter<E: RawRepresentable & CaseIterable>(_ req: Request, _ name: String, _: E.Type) throws -> String? where E.RawValue == String {
    let raw = req.url.query?.split(separator: "&").filter { $0.hasPrefix("\(name)=") } ?? []
    guard !raw.isEmpty else { return nil }
    guard raw.count == 1, let value = req.query[String.self, at: name], E(rawValue: value) != nil else {
        throw ValidationFailure([FieldError(name, "field.invalidChoice")])
    }
    return value
}

extension Request {
    /// The `{id}` path parameter; a malformed id is as unknown as a missing one.
    func idParameter(_ name: String = "id") throws -> UUID {
        guard let id = parameters.get(name, as: UUID.self) else { throw DomainError.notFound }
        return id
    }
}
