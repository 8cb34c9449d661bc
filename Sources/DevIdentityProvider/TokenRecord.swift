/// What the provider knows about a token it will be asked to introspect.
enum TokenRecord: Sendable {
    /// Issued by `/token`, `/_dev/tokens` or `issueToken`: claims are computed on each request.
    case issued(IssuedToken)
    /// Registered by a test: introspection returns exactly this JSON text.
    case registered(answer: String)
}
