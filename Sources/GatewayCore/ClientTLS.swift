import NIOSSL

/// The TLS settings of the gateway's outgoing connections (identity provider, destinations):
/// certificates verified unless `SSL_SECURE=false`, plus the roots of a CA file.
enum ClientTLS {
    static func configuration(verifiesCertificates: Bool, caFile: String?) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if !verifiesCertificates {
            tls.certificateVerification = .none
        }
        if let caFile {
            tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
        }
        return tls
    }
}
