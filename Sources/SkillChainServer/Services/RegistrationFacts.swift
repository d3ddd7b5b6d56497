import Fluent
import Foundation
import SkillChainCore
import Vapor

extension RegistrationRecord {
    func score(_ s: Subject) -> Double? {
        switch s {
        case .theory: theoryScore
        case .practical: practicalScore
        case .review: reviewScore
        }
    }

    var declared: RegistrationFacts? { try? JSONDecoder().decode(RegistrationFacts.self, from: Data(facts.utf8)) }
    var employerID: UUID? { declared?.employerID }
    var department: String? { declared?.department }
}

/// What a candidate declared on registration, kept with the registration.
struct RegistrationFacts: Codable, Sendable {
    var facts: CandidateFacts
    var employerID: UUID
    var department: String?
}
