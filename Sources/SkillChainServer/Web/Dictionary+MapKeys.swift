import Fluent
import SkillChainCore
import Vapor

extension Dictionary {
    func mapKeys(_ transform: (Key) -> Key) -> [Key: Value] {
        Dictionary(map { (transform($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
    }
}
