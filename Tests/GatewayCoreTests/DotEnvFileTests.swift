import Testing

@testable import GatewayCore

/// `.env` parsing: quoting, comments, line numbers in errors, and values read scalar by scalar,
/// so a combining or prepended mark never joins a quote or a backslash (fuzz finding F1).
@Suite struct DotEnvFileTests {
    /// The one value parsed from `text`, compared scalar by scalar: `String`'s `==` treats
    /// canonically equivalent spellings as equal, which would hide a changed scalar.
    func onlyValue(_ text: String) -> [Unicode.Scalar]? {
        let parsed = DotEnvFile.parse(text)
        guard parsed.errors.isEmpty, parsed.values.count == 1 else { return nil }
        return parsed.values.first.map { Array($0.value.unicodeScalars) }
    }

    @Test func malformedLinesAreReportedWithTheirNumber() {
        let parsed = DotEnvFile.parse("GOOD=1\nthis is not an assignment\nBAD=\"unterminated\n1X=2\n")
        #expect(parsed.values == ["GOOD": "1"])
        #expect(parsed.errors.map(\.line) == [2, 3, 4])
    }

    @Test func quotingRules() {
        let parsed = DotEnvFile.parse("A='single # kept'\nB=\"a\\nb\"\nC=bare value\nD=\nE=x=y\r\nexport F=bare # comment\n")
        #expect(parsed.values == ["A": "single # kept", "B": "a\nb", "C": "bare value", "D": "", "E": "x=y", "F": "bare"])
        #expect(parsed.errors.isEmpty)
    }

    @Test func anEscapedCarriageReturnKeepsTheCombiningMarkAfterIt() {
        // `K="a\ŕ"`: as grapheme clusters, `r` and U+0301 were one Character `ŕ`, not an escape.
        #expect(onlyValue("K=\"a\\r\u{301}\"") == Array("a\r\u{301}".unicodeScalars))
    }

    @Test func aCombiningMarkAfterTheOpeningQuoteIsPartOfTheValue() {
        // `K="́x"`: as grapheme clusters, the quote and U+0301 were one Character, so the value
        // was read as bare, quotes included.
        #expect(onlyValue("K=\"\u{301}x\"") == Array("\u{301}x".unicodeScalars))
        #expect(onlyValue("K='\u{301}x'") == Array("\u{301}x".unicodeScalars))
    }

    @Test func aPrependedMarkBeforeABackslashDoesNotHideTheEscape() {
        // U+0601 (a prepended mark) joins the following backslash into one grapheme cluster.
        #expect(onlyValue("K=\"\u{601}\\\"\"") == Array("\u{601}\"".unicodeScalars))
        #expect(onlyValue("K=\"x\u{601}\\\\\"") == Array("x\u{601}\\".unicodeScalars))
    }

    @Test func aMarkBeforeTheClosingQuoteOrTheCommentStaysInTheValue() {
        #expect(onlyValue("K=\"x\u{601}\"") == Array("x\u{601}".unicodeScalars))
        #expect(onlyValue("K=x\u{301} # comment") == Array("x\u{301}".unicodeScalars))
    }

    @Test func marksNextToEveryEscapeKeepTheirMeaning() {
        let quotedAndValue: [(String, String)] = [
            (#""\"\#u{301}""#, "\"\u{301}"), (#""\#u{601}\"""#, "\u{601}\""), (#""\\\#u{301}""#, "\\\u{301}"),
            (#""a\n\#u{301}""#, "a\n\u{301}"), (#""\#u{601}\\""#, "\u{601}\\"), (#""\r\#u{301}\t\#u{301}""#, "\r\u{301}\t\u{301}"),
        ]
        for (quoted, value) in quotedAndValue {
            #expect(onlyValue("K=\(quoted)") == Array(value.unicodeScalars), "K=\(quoted)")
        }
    }

    @Test func windowsLineEndsAndALoneCarriageReturn() {
        let parsed = DotEnvFile.parse("A=1\r\nB=\"2\"\r\n\r\n")
        #expect(parsed.values == ["A": "1", "B": "2"])
        #expect(parsed.errors.isEmpty)
        // A carriage return that does not end the line is part of a bare value.
        #expect(onlyValue("A=1\r2\r\n") == Array("1\r2".unicodeScalars))
    }
}
