import Foundation

/// Server-drawn charts (no script): horizontal bars with their values written beside them. Each chart is
/// paired on its page with a data table holding the same numbers, for screen readers and for copying.
enum ChartSVG {
    struct Bar {
        let label: String
        let value: Double
        let display: String
        let highlight: Bool
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func bars(_ bars: [Bar], title: String, width: Int = 620) -> String {
        let row = 30
        let labelWidth = 230
        let valueWidth = 80
        let height = max(1, bars.count) * row + 8
        let top = max(bars.map(\.value).max() ?? 0, 1)
        let span = Double(width - labelWidth - valueWidth)
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(escape(title))\">"
        out += "<title>\(escape(title))</title>"
        for (i, b) in bars.enumerated() {
            let y = 4 + i * row
            let w = max(b.value > 0 ? 2 : 0, Int((b.value / top * span).rounded()))
            // Long names are shortened in the chart only; the table beside it has them in full.
            let label = fitted(b.label, width: Double(labelWidth - 12))
            out +=
                "<text x=\"\(labelWidth - 8)\" y=\(quote(y + 19)) text-anchor=\"end\" class=\"chart-label\"><title>\(escape(b.label))</title>\(escape(label))</text>"
            out +=
                "<rect x=\"\(labelWidth)\" y=\(quote(y + 5)) width=\(quote(w)) height=\"20\" rx=\"3\" class=\"\(b.highlight ? "chart-bar chart-bar-alert" : "chart-bar")\"></rect>"
            out += "<text x=\(quote(labelWidth + w + 6)) y=\(quote(y + 19)) class=\"chart-value\">\(escape(b.display))</text>"
        }
        return out + "</svg>"
    }

    private static func quote(_ n: Int) -> String { "\"\(n)\"" }

    /// The label cut to fit `width` pixels at 13 px (CJK characters a full em, others about half), with an ellipsis.
    static func fitted(_ label: String, width: Double) -> String {
        var used = 0.0
        var out = ""
        for ch in label {
            let w = ch.unicodeScalars.first.map { $0.value >= 0x2E80 ? 13.0 : 7.2 } ?? 7.2
            if used + w > width - 13 { return out + "…" }
            used += w
            out.append(ch)
        }
        return out
    }
}
