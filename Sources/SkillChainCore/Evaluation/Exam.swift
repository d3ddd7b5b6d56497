import Foundation

/// Kinds of theory questions. Localization keys `questionKind.<rawValue>`.
public enum QuestionKind: String, Sendable, Codable, CaseIterable {
    /// One correct option of several (单选).
    case single
    /// Two or more correct options; all must be chosen and nothing else (多选).
    case multiple
    /// True or false (判断), answered `T` or `F`.
    case trueFalse
}

/// One item of a question bank. Options are lettered A, B, C… in order; the answer is the letters of the correct
/// options in order (`"B"`, `"ACD"`) or `T`/`F` for true/false.
public struct QuestionItem: Sendable, Codable, Hashable {
    public var id: String
    public var kind: QuestionKind
    /// The knowledge area of the standard's theory weight table this item belongs to (e.g. `relatedKnowledge`).
    public var area: String
    /// Free knowledge-point tags (e.g. `安全`, `电气识图`).
    public var tags: [String]
    public var stem: String
    public var options: [String]
    public var answer: String

    public init(id: String, kind: QuestionKind, area: String, tags: [String] = [], stem: String, options: [String], answer: String) {
        self.id = id
        self.kind = kind
        self.area = area
        self.tags = tags
        self.stem = stem
        self.options = options
        self.answer = answer
    }

    static let letters = Array("ABCDEFGH").map(String.init)

    /// Problems with an item, as field errors (`kind`, `stem`, `options`, `answer`, `area`).
    public func problems(areas: Set<String>) -> [FieldError] {
        var out: [FieldError] = []
        if stem.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append(FieldError("stem", "field.required")) }
        if stem.count > 2000 { out.append(FieldError("stem", "field.tooLong", ["2000"])) }
        if !areas.isEmpty, !areas.contains(area) { out.append(FieldError("area", "question.area.unknown", [area])) }
        switch kind {
        case .trueFalse:
            if !options.isEmpty { out.append(FieldError("options", "question.options.trueFalse")) }
            if answer != "T" && answer != "F" { out.append(FieldError("answer", "question.answer.trueFalse")) }
        case .single, .multiple:
            if options.count < 2 || options.count > Self.letters.count {
                out.append(FieldError("options", "question.options.count", [String(Self.letters.count)]))
            }
            if options.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                out.append(FieldError("options", "question.options.empty"))
            }
            let valid = Set(Self.letters.prefix(options.count))
            let chosen = answer.map(String.init)
            if chosen.isEmpty || !chosen.allSatisfy(valid.contains) || Set(chosen).count != chosen.count || chosen != chosen.sorted() {
                out.append(FieldError("answer", "question.answer.letters"))
            } else if kind == .single && chosen.count != 1 {
                out.append(FieldError("answer", "question.answer.single"))
            } else if kind == .multiple && chosen.count < 2 {
                out.append(FieldError("answer", "question.answer.multiple"))
            }
        }
        return out
    }

    /// Whether a candidate's answer (letters in any order, or T/F) is right. Multiple choice is all or nothing.
    public func isCorrect(_ given: String?) -> Bool {
        guard let given else { return false }
        let normalized = String(given.uppercased().filter { !$0.isWhitespace }.sorted())
        return normalized == answer
    }
}

/// A deterministic generator (SplitMix64) so that a paper can be rebuilt from its recorded seed on any machine and
/// toolchain: the standard library's shuffling algorithm is not promised to stay the same.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<n without modulo bias.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let x = next()
            if x < limit { return Int(x % bound) }
        }
    }

    /// Fisher–Yates with this generator.
    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var a = items
        if a.count < 2 { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, below(i + 1)) }
        return a
    }
}

/// Builds a theory paper from a bank: the number of items per knowledge area follows the standard's weight table for
/// the level (largest remainder), items are drawn and ordered with a seeded generator, so the same bank, level and
/// seed always give the same paper.
public enum PaperAssembly {
    public enum Problem: Error, Sendable, Hashable {
        /// The bank has fewer items of an area than the paper needs: (area, needed, available).
        case bankTooSmall(area: String, needed: Int, available: Int)
        case noWeights

        public var code: String {
            switch self {
            case .bankTooSmall: "exam.bank.tooSmall"
            case .noWeights: "exam.weights.missing"
            }
        }
        public var args: [String] {
            switch self {
            case .bankTooSmall(let area, let needed, let available): ["@standard.area.\(area)", String(needed), String(available)]
            case .noWeights: []
            }
        }
    }

    /// How many items each area gets out of `count` (largest remainder; ties go to the earlier area).
    public static func allocation(count: Int, weights: [(area: String, percent: Int)]) -> [(area: String, items: Int)] {
        let total = weights.reduce(0) { $0 + $1.percent }
        guard total > 0, count > 0 else { return weights.map { ($0.area, 0) } }
        let exact = weights.map { Double(count) * Double($0.percent) / Double(total) }
        var items = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(items[$0]), -$0) > (exact[$1] - Double(items[$1]), -$1) }
        for i in order.prefix(count - items.reduce(0, +)) { items[i] += 1 }
        return zip(weights, items).map { ($0.area, $1) }
    }

    /// The item ids of a paper, in the order the candidate sees them.
    public static func assemble(bank: [QuestionItem], count: Int, weights: [(area: String, percent: Int)], seed: UInt64) throws(Problem) -> [String] {
        guard weights.contains(where: { $0.percent > 0 }) else { throw .noWeights }
        var rng = SeededGenerator(seed: seed)
        // The bank in a fixed order first, so that the database's row order cannot change the paper.
        let byArea = Dictionary(grouping: bank.sorted { $0.id < $1.id }, by: \.area)
        var chosen: [String] = []
        for (area, n) in allocation(count: count, weights: weights) where n > 0 {
            let pool = byArea[area] ?? []
            if pool.count < n { throw .bankTooSmall(area: area, needed: n, available: pool.count) }
            chosen += rng.shuffled(pool).prefix(n).map(\.id)
        }
        return rng.shuffled(chosen)
    }

    /// A fresh seed for a new paper.
    public static func newSeed(from random: any RandomSource) -> UInt64 {
        random.bytes(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } & 0x001F_FFFF_FFFF_FFFF  // 53 bits: exact in JSON numbers and doubles
    }
}

/// Scoring of an online paper: every item weighs the same, the score is out of 100 with one decimal.
public enum PaperScoring {
    public static func score(items: [QuestionItem], answers: [String: String]) -> (score: Double, correct: Int) {
        guard !items.isEmpty else { return (0, 0) }
        let correct = items.filter { $0.isCorrect(answers[$0.id]) }.count
        return ((Double(correct) * 1000 / Double(items.count)).rounded() / 10, correct)
    }
}

/// The clock of an online exam: it may not be handed in before the minimum time, and is handed in automatically when
/// the time is up (answers saved up to `grace` seconds after the end still count, for a slow network).
public struct ExamClock: Sendable, Hashable {
    public let startedAt: Date
    public let minimumMinutes: Int
    public let durationMinutes: Int
    public var grace: TimeInterval = 30

    public init(startedAt: Date, minimumMinutes: Int, durationMinutes: Int) {
        self.startedAt = startedAt
        self.minimumMinutes = minimumMinutes
        self.durationMinutes = durationMinutes
    }

    public var earliestSubmission: Date { startedAt.addingTimeInterval(TimeInterval(minimumMinutes * 60)) }
    public var deadline: Date { startedAt.addingTimeInterval(TimeInterval(durationMinutes * 60)) }
    public func maySubmit(at now: Date) -> Bool { now >= earliestSubmission }
    public func acceptsAnswers(at now: Date) -> Bool { now <= deadline.addingTimeInterval(grace) }
    public func isOver(at now: Date) -> Bool { now > deadline.addingTimeInterval(grace) }

    /// Problems with the minutes of a batch (field errors on `theoryMinutes` and `theoryMinimumMinutes`).
    public static func problems(minimum: Int, duration: Int, standardMinimum: Int) -> [FieldError] {
        var out: [FieldError] = []
        if duration < standardMinimum || duration > 600 {
            out.append(FieldError("theoryMinutes", "exam.duration.range", [String(standardMinimum), "600"]))
        }
        if minimum < 0 || minimum > duration { out.append(FieldError("theoryMinimumMinutes", "exam.minimum.range", [String(duration)])) }
        return out
    }
}

/// The question bank's CSV layout: `kind,area,tags,stem,A,B,C,D,E,F,answer` (tags separated by `;`).
public enum QuestionCSV {
    public static let header = ["kind", "area", "tags", "stem", "A", "B", "C", "D", "E", "F", "answer"]

    /// One item from a CSV record (the header row excluded); nil fields are reported as errors by `QuestionItem.problems`.
    public static func item(_ record: [String], id: String) -> QuestionItem? {
        guard record.count >= 5 else { return nil }
        func field(_ i: Int) -> String { i < record.count ? record[i].trimmingCharacters(in: .whitespacesAndNewlines) : "" }
        guard let kind = QuestionKind(rawValue: field(0)) else { return nil }
        let last = record.count - 1
        let options = (4..<max(4, last)).map(field).filter { !$0.isEmpty }
        return QuestionItem(
            id: id, kind: kind, area: field(1),
            tags: field(2).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            stem: field(3), options: kind == .trueFalse ? [] : options, answer: field(last).uppercased())
    }

    public static func record(_ item: QuestionItem) -> [String] {
        let opts = (0..<6).map { $0 < item.options.count ? item.options[$0] : "" }
        return [item.kind.rawValue, item.area, item.tags.joined(separator: ";"), item.stem] + opts + [item.answer]
    }
}
