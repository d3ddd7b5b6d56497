import SkillChainCore
import Vapor

/// Builds a CSV download: UTF-8 with a byte-order mark (what Excel needs to read Chinese text), CRLF line ends.
struct CSVWriter {
    private var text: String

    init(header: [String]) {
        text = "\u{FEFF}"
        append(header)
    }

    mutating func append(_ fields: [String]) {
        text += CSV.line(fields) + "\r\n"
    }

    func response(filename: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(filename)\"")
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: text))
    }
}
