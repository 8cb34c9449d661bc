import Foundation

/// One `-----BEGIN LABEL----- … -----END LABEL-----` block of a PEM file (RFC 7468).
struct PEMBlock: Sendable {
    let label: String
    /// The block as text, for the crypto library's PEM parsers.
    let text: String
    /// The decoded body; nil when it is not base64.
    let der: [UInt8]?
    /// A legacy OpenSSL-encrypted block (`Proc-Type: 4,ENCRYPTED`).
    let hasEncryptionHeaders: Bool

    /// Every block in `text`, in order; text between blocks is ignored.
    static func blocks(in text: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var lines: [Substring] = []
        var body = ""
        var headers = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if let open = label {
                lines.append(Substring(line))
                if line == "-----END \(open)-----" {
                    blocks.append(PEMBlock(
                        label: open, text: lines.joined(separator: "\n") + "\n",
                        der: Data(base64Encoded: body).map { Array($0) }, hasEncryptionHeaders: headers))
                    label = nil
                } else if line.contains(":") {
                    headers = true
                } else {
                    body += line
                }
            } else if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 {
                label = String(line.dropFirst(11).dropLast(5))
                lines = [Substring(line)]
                body = ""
                headers = false
            }
        }
        return blocks
    }
}
