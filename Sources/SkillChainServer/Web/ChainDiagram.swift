import Foundation
import SkillChainCore

/// Draws a chain as an accessible SVG: the lead enterprise in the centre, members around it, each
/// labelled with what it provides. Text is escaped; the SVG carries a title and description.
enum ChainDiagram {
    struct Node {
        let name: String
        let kind: String
        let provides: String
        let isLead: Bool
    }

    static func svg(title: String, description: String, nodes: [Node]) -> String {
        let width = 760.0
        let cx = width / 2
        let cy = 260.0
        let others = nodes.filter { !$0.isLead }
        var positions: [(Double, Double)] = []
        for i in others.indices {
            let angle = Double(i) / Double(max(others.count, 1)) * 2 * Double.pi - Double.pi / 2
            positions.append((cx + 190 * cos(angle) * 1.25, cy + 170 * sin(angle)))
        }
        // Fit the picture to the boxes actually drawn, with a margin.
        let ys = positions.map(\.1) + [cy]
        let top = (ys.min() ?? cy) - 45
        let bottom = (ys.max() ?? cy) + 45
        var parts: [String] = []
        parts.append(
            #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 \#(fmt(top)) \#(Int(width)) \#(fmt(bottom - top))" role="img" aria-labelledby="chain-svg-title chain-svg-desc" class="chain-diagram">"#
        )
        parts.append("<title id=\"chain-svg-title\">\(escape(title))</title><desc id=\"chain-svg-desc\">\(escape(description))</desc>")
        for (x, y) in positions {
            parts.append(#"<line x1="\#(fmt(cx))" y1="\#(fmt(cy))" x2="\#(fmt(x))" y2="\#(fmt(y))" class="edge"/>"#)
        }
        if let lead = nodes.first(where: \.isLead) { parts.append(box(lead, x: cx, y: cy)) }
        for (node, (x, y)) in zip(others, positions) { parts.append(box(node, x: x, y: y)) }
        parts.append("</svg>")
        return parts.joined()
    }

    private static func box(_ n: Node, x: Double, y: Double) -> String {
        let w = 200.0
        let h = 62.0
        return
            #"<g class="node \#(n.isLead ? "lead" : n.kind)"><rect x="\#(fmt(x - w / 2))" y="\#(fmt(y - h / 2))" width="\#(Int(w))" height="\#(Int(h))" rx="8"/>"#
            + #"<text x="\#(fmt(x))" y="\#(fmt(y - 8))" text-anchor="middle" class="name">\#(escape(fit(n.name, em: 12.5)))</text>"#
            + #"<text x="\#(fmt(x))" y="\#(fmt(y + 16))" text-anchor="middle" class="provides">\#(escape(fit(n.provides, em: 14.5)))</text></g>"#
    }

    /// Shortens `s` to about `em` font-sizes of width (CJK characters are one em wide, Latin about half).
    static func fit(_ s: String, em: Double) -> String {
        func width(_ c: Character) -> Double { c.unicodeScalars.first.map { $0.value < 0x2E80 ? 0.55 : 1.0 } ?? 1.0 }
        guard s.reduce(0, { $0 + width($1) }) > em else { return s }
        var used = 0.0
        var out = ""
        for c in s {
            if used + width(c) > em - 1 { break }
            used += width(c)
            out.append(c)
        }
        return out + "…"
    }

    static func fmt(_ v: Double) -> String { String(Int(v.rounded())) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
