import Testing; import GatewayCore; @Test func placeholder() { #expect(Bool(true)) }
