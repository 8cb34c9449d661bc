/// What the identity provider said about a token. Failures are not results: they are thrown as
/// `IntrospectionFailure`, so "could not ask" can never be mistaken for "inactive".
public enum IntrospectionResult: Sendable, Equatable {
    /// `"active": true`, with the answer's claims.
    case active(TokenClaims)
    /// `"active": false`, or active but already expired or not yet valid.
    case inactive(InactiveReason)
}

/// Why a token counts as inactive, for the log line (never for the client).
public enum InactiveReason: String, Sendable, Equatable {
    case notActive = "not active"
    case expired
    case notYetValid = "not yet valid"
}
