import Foundation

/// One e-mail as RFC 5322 text: UTF-8 plain-text and HTML alternatives (base64), the subject and sender name as RFC 2047
/// encoded words, and a `Message-ID` fixed by the notification, so a message sent twice is recognisably one.
public struct MailMessage: Sendable, Equatable {
    public var fromAddress: String
    public var fromName: String
    public var to: String
    public var subject: String
    public var text: String
    public var html: String
    /// Without angle brackets: `<notification id>@<host>`.
    public var messageID: String
    public var date: Date
    public var language: AppLocale

    public init(
        fromAddress: String, fromName: String, to: String, subject: String, text: String, html: String, messageID: String,
        date: Date, language: AppLocale
    ) {
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
        self.language = language
    }

    /// The message as sent after `DATA` (CRLF line ends, no line over 78 characters; dot-stuffing is the SMTP
    /// client's).
    public var rendered: String {
        let boundary = "=_sc_" + String(messageID.unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) }.prefix(32))
        var lines = [
            "From: \(Self.encodedWord(fromName)) <\(fromAddress)>",
            "To: <\(to)>",
            "Subject: \(Self.encodedWord(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)>",
            "Content-Language: \(language == .en ? "en" : "zh-CN")",
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
            "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
            "",
        ]
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines += ["--\(boundary)", "Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            lines += Self.base64Lines(Data(body.utf8))
        }
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 64 characters (a header line stays under 78), split between characters; ASCII text without `=?`
    /// is left as it is.
    static func encodedWord(_ text: String) -> String {
        if text.allSatisfy({ $0.isASCII && !$0.isNewline }) && !text.contains("=?") { return text }
        var words: [String] = []
        var chunk = ""
        for ch in text where !ch.isNewline {
            if chunk.utf8.count + String(ch).utf8.count > 39 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(ch)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    static func base64Lines(_ data: Data) -> [String] {
        let all = data.base64EncodedString()
        return stride(from: 0, to: all.count, by: 76).map { start in
            let from = all.index(all.startIndex, offsetBy: start)
            return String(all[from..<(all.index(from, offsetBy: 76, limitedBy: all.endIndex) ?? all.endIndex)])
        }
    }

    static func rfc5322Date(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return f.string(from: date)
    }
}
