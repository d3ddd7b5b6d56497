/// What may change on a training programme: every field while it is being planned; once training has started only the
/// end date, the capacity and the hours plan, each change with a reason; nothing once it is completed or cancelled. The
/// capacity never drops below the learners currently enrolled.
public enum ProgramEdit {
    public static let fields = [
        "name", "occupationCode", "targetLevel", "startDate", "endDate", "capacity", "hoursGeneral", "hoursBasics",
        "hoursOperational", "subsidyPerYear",
    ]
    public static let afterStart: Set<String> = ["endDate", "capacity", "hoursGeneral", "hoursBasics", "hoursOperational"]

    public static func problems(status: ProgramStatus, changing: Set<String>, reasonGiven: Bool, capacity: Int?, activeEnrollments: Int)
        -> [FieldError]
    {
        var out: [FieldError] = []
        switch status {
        case .planning: break
        case .inTraining:
            for f in fields where changing.contains(f) && !afterStart.contains(f) { out.append(FieldError(f, "program.edit.started")) }
            if !changing.isEmpty && !reasonGiven { out.append(FieldError("reason", "program.edit.reasonRequired")) }
        case .completed, .cancelled:
            if !changing.isEmpty { out.append(FieldError("", "program.edit.closed")) }
        }
        if let capacity, capacity < activeEnrollments {
            out.append(FieldError("capacity", "program.capacity.belowEnrolled", [String(activeEnrollments)]))
        }
        return out
    }
}
