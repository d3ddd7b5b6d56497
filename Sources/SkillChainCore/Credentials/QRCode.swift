/// A QR Code (ISO/IEC 18004) encoder: byte mode, error correction M or Q, the smallest version 1–40 that fits, the
/// mask with the lowest penalty. Output as module grid or SVG.
public struct QRCode: Sendable {
    public enum Correction: Int, Sendable {
        case medium = 0
        case quartile = 1
        var formatBits: Int { self == .medium ? 0 : 3 }
    }
    public enum Problem: Error, Sendable { case tooLong }

    public let version: Int
    public let size: Int
    public private(set) var mask = 0
    /// `modules[y][x]`, true = dark.
    public private(set) var modules: [[Bool]]
    private var isFunction: [[Bool]]

    // Per version 1…40 (index 0 unused): error correction codewords per block and number of blocks (M, Q).
    static let eccPerBlock: [[Int]] = [
        [
            -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
            28, 28, 28, 28, 28, 28, 28,
        ],
        [
            -1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30,
            30, 30, 30, 30, 30, 30, 30,
        ],
    ]
    static let blocks: [[Int]] = [
        [
            -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43,
            45, 47, 49,
        ],
        [
            -1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56,
            59, 62, 65, 68,
        ],
    ]

    static func rawDataModules(_ ver: Int) -> Int {
        var r = (16 * ver + 128) * ver + 64
        if ver >= 2 {
            let align = ver / 7 + 2
            r -= (25 * align - 10) * align - 55
            if ver >= 7 { r -= 36 }
        }
        return r
    }

    static func dataCodewords(_ ver: Int, _ ecl: Correction) -> Int {
        rawDataModules(ver) / 8 - eccPerBlock[ecl.rawValue][ver] * blocks[ecl.rawValue][ver]
    }

    public init(text: String, correction: Correction = .medium) throws(Problem) {
        try self.init(bytes: Array(text.utf8), correction: correction)
    }

    public init(bytes: [UInt8], correction: Correction = .medium) throws(Problem) {
        // The smallest version whose capacity holds the segment (mode 4 bits, count 8 or 16 bits, data).
        var chosen = 0
        for v in 1...40 {
            let countBits = v <= 9 ? 8 : 16
            if bytes.count < (1 << countBits), 4 + countBits + bytes.count * 8 <= Self.dataCodewords(v, correction) * 8 {
                chosen = v
                break
            }
        }
        guard chosen > 0 else { throw .tooLong }
        version = chosen
        size = chosen * 4 + 17
        modules = Array(repeating: Array(repeating: false, count: size), count: size)
        isFunction = modules
        // Data bits, terminator, padding.
        var bits: [Bool] = []
        func append(_ value: Int, _ n: Int) { for i in stride(from: n - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        append(0b0100, 4)
        append(bytes.count, chosen <= 9 ? 8 : 16)
        for b in bytes { append(Int(b), 8) }
        let capacity = Self.dataCodewords(chosen, correction) * 8
        append(0, min(4, capacity - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var pad = 0xEC
        while bits.count < capacity {
            append(pad, 8)
            pad ^= 0xEC ^ 0x11
        }
        var data: [UInt8] = []
        for i in stride(from: 0, to: bits.count, by: 8) { data.append(UInt8(bits[i..<i + 8].reduce(0) { $0 << 1 | ($1 ? 1 : 0) })) }

        drawFunctionPatterns(correction)
        drawCodewords(addEccAndInterleave(data, correction))
        // The mask with the lowest penalty.
        var best = 0
        var bestPenalty = Int.max
        for m in 0..<8 {
            applyMask(m)
            drawFormatBits(correction, mask: m)
            let p = penalty()
            if p < bestPenalty {
                best = m
                bestPenalty = p
            }
            applyMask(m)  // undo (XOR)
        }
        mask = best
        applyMask(best)
        drawFormatBits(correction, mask: best)
        isFunction = []
    }

    // MARK: Function patterns

    mutating func set(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y][x] = dark
        isFunction[y][x] = true
    }

    mutating func drawFunctionPatterns(_ ecl: Correction) {
        for i in 0..<size {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let d = max(abs(dx), abs(dy))
                    let xx = x + dx
                    let yy = y + dy
                    if (0..<size).contains(xx) && (0..<size).contains(yy) { set(xx, yy, d != 2 && d != 4) }
                }
            }
        }
        let positions = alignmentPositions()
        let n = positions.count
        for i in 0..<n {
            for j in 0..<n where !(i == 0 && j == 0) && !(i == 0 && j == n - 1) && !(i == n - 1 && j == 0) {
                for dy in -2...2 { for dx in -2...2 { set(positions[i] + dx, positions[j] + dy, max(abs(dx), abs(dy)) != 1) } }
            }
        }
        drawFormatBits(ecl, mask: 0)  // reserve
        if version >= 7 {
            var rem = version
            for _ in 0..<12 { rem = (rem << 1) ^ ((rem >> 11) * 0x1F25) }
            let bits = version << 12 | rem
            for i in 0..<18 {
                let bit = (bits >> i) & 1 == 1
                let a = size - 11 + i % 3
                let b = i / 3
                set(a, b, bit)
                set(b, a, bit)
            }
        }
    }

    func alignmentPositions() -> [Int] {
        guard version > 1 else { return [] }
        let n = version / 7 + 2
        let step = (version * 8 + n * 3 + 5) / (n * 4 - 4) * 2
        var result = [6]
        var pos = size - 7
        for _ in 0..<(n - 1) {
            result.insert(pos, at: 1)
            pos -= step
        }
        return result
    }

    mutating func drawFormatBits(_ ecl: Correction, mask: Int) {
        let data = ecl.formatBits << 3 | mask
        var rem = data
        for _ in 0..<10 { rem = (rem << 1) ^ ((rem >> 9) * 0x537) }
        let bits = (data << 10 | rem) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
        set(8, size - 8, true)
    }

    // MARK: Codewords

    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= Int((y >> UInt8(i)) & 1) * Int(x)
        }
        return UInt8(z & 0xFF)
    }

    static func divisor(_ degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], _ divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for b in data {
            let factor = b ^ result.removeFirst()
            result.append(0)
            for i in 0..<result.count { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }

    func addEccAndInterleave(_ data: [UInt8], _ ecl: Correction) -> [UInt8] {
        let numBlocks = Self.blocks[ecl.rawValue][version]
        let eccLen = Self.eccPerBlock[ecl.rawValue][version]
        let raw = Self.rawDataModules(version) / 8
        let numShort = numBlocks - raw % numBlocks
        let shortLen = raw / numBlocks
        let div = Self.divisor(eccLen)
        var blocks: [[UInt8]] = []
        var k = 0
        for i in 0..<numBlocks {
            var dat = Array(data[k..<k + shortLen - eccLen + (i < numShort ? 0 : 1)])
            k += dat.count
            let ecc = Self.remainder(dat, div)
            if i < numShort { dat.append(0) }
            blocks.append(dat + ecc)
        }
        var result: [UInt8] = []
        for i in 0..<blocks[0].count { for j in 0..<blocks.count where i != shortLen - eccLen || j >= numShort { result.append(blocks[j][i]) } }
        return result
    }

    mutating func drawCodewords(_ data: [UInt8]) {
        var i = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vert in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vert : vert
                    if !isFunction[y][x] && i < data.count * 8 {
                        modules[y][x] = (data[i >> 3] >> UInt8(7 - (i & 7))) & 1 == 1
                        i += 1
                    }
                }
            }
            right -= 2
        }
    }

    mutating func applyMask(_ m: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y][x] {
                let invert: Bool =
                    switch m {
                    case 0: (x + y) % 2 == 0
                    case 1: y % 2 == 0
                    case 2: x % 3 == 0
                    case 3: (x + y) % 3 == 0
                    case 4: (x / 3 + y / 2) % 2 == 0
                    case 5: x * y % 2 + x * y % 3 == 0
                    case 6: (x * y % 2 + x * y % 3) % 2 == 0
                    default: ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                if invert { modules[y][x].toggle() }
            }
        }
    }

    /// The standard penalty: runs of five or more, 2×2 blocks, finder-like patterns, dark/light balance.
    func penalty() -> Int {
        var p = 0
        func lines(_ get: (Int, Int) -> Bool) {
            for a in 0..<size {
                var run = 1
                for b in 1..<size {
                    if get(a, b) == get(a, b - 1) {
                        run += 1
                        if run == 5 { p += 3 } else if run > 5 { p += 1 }
                    } else {
                        run = 1
                    }
                }
                // Finder-like 1:1:3:1:1 with four light modules on one side.
                for b in 0..<(size - 10) {
                    let pattern = (0..<11).map { get(a, b + $0) }
                    let f1: [Bool] = [true, false, true, true, true, false, true, false, false, false, false]
                    if pattern == f1 || pattern == f1.reversed() { p += 40 }
                }
            }
        }
        lines { modules[$0][$1] }
        lines { modules[$1][$0] }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let c = modules[y][x]
                if c == modules[y][x + 1] && c == modules[y + 1][x] && c == modules[y + 1][x + 1] { p += 3 }
            }
        }
        let dark = modules.reduce(0) { $0 + $1.filter { $0 }.count }
        let total = size * size
        let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        return p + max(0, k) * 10
    }

    /// An SVG of the code with a four-module quiet zone, one path, `scale` user units per module.
    public func svg(scale: Int = 4, title: String? = nil) -> String {
        let border = 4
        let dim = (size + border * 2) * scale
        var path = ""
        for y in 0..<size {
            for x in 0..<size where modules[y][x] {
                path += "M\((x + border) * scale),\((y + border) * scale)h\(scale)v\(scale)h-\(scale)z"
            }
        }
        let t = title.map { "<title>\($0.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;"))</title>" } ?? ""
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(dim) \(dim)\" width=\"\(dim)\" height=\"\(dim)\" role=\"img\" shape-rendering=\"crispEdges\">\(t)<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"\(path)\" fill=\"#000\"/></svg>"
    }
}
