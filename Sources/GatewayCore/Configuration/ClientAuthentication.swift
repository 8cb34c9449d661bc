/// How the gateway authenticates itself at the introspection endpoint (RFC 7662 §2.1, RFC 6749 §2.3.1).
public enum ClientAuthentication: String, Sendable {
    /// HTTP Basic with the form-urlencoded client id and secret.
    case clientSecretBasic = "client_secret_basic"
    /// `client_id` and `client_secret` in the form body.
    case clientSecretPost = "client_secret_post"
}

/// How log lines are written.
public enum LogFormat: String, Sendable {
    case text
    case json
}
