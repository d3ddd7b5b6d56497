/// What may change on a published position: every field while it is open; once filled or closed only the headcount
/// (a correction of how many were wanted). The headcount never drops below the placements already made.
public enum PositionEdit {
    public static let fields = [
        "title", "occupationCode", "requiredLevel", "headcount", "regionCode", "wageMin", "wageMax", "frontLine", "description",
    ]

    public static func problems(status: PositionStatus, changing: Set<String>, headcount: Int?, placements: Int) -> [FieldError] {
        var out: [FieldError] = []
        if status != .open {
            for f in fields where f != "headcount" && changing.contains(f) { out.append(FieldError(f, "position.edit.notOpen")) }
        }
        if let headcount, headcount < placements { out.append(FieldError("headcount", "position.headcount.belowPlacements", [String(placements)])) }
        return out
    }
}
