import AsyncHTTPClient
import DevIdentityProvider
import NIOCore
import NIOHTTP1
import Testing

@Suite("Client authentication and request recording")
struct ClientAuthenticationTests {
    @Test func basicCredentialsAreFormDecodedBeforeComparison() async throws {
        let provider = DevIdentityProvider(clients: ["client:id": "s3cr%t+/"])
        let token = provider.issueToken(clientID: "client:id", scope: "read")
        try await RunningProvider.run(provider) { server in
            // RFC 6749 §2.3.1: "client%3Aid:s3cr%25t%2B%2F" before base64.
            #expect(TestEncoding.basic(id: "client:id", secret: "s3cr%t+/") == TestEncoding.rawBasic("client%3Aid:s3cr%25t%2B%2F"))
            let answer = try await server.postForm("/introspect", [("token", token)], basic: ("client:id", "s3cr%t+/"))
            #expect(answer.status == 200)
            #expect(answer["active"] == .bool(true))
            #expect(answer["client_id"] == .string("client:id"))

            // A client that skips the form encoding is refused: the id ends at the first colon.
            var careless = HTTPClientRequestBuilder.form(server.url("/introspect"), body: "token=\(token)")
            careless.headers.add(name: "Authorization", value: TestEncoding.rawBasic("client:id:s3cr%t+/"))
            let refused = try await server.send(careless, timeout: .seconds(5))
            #expect(refused.status == 401)
            #expect(refused["error"] == .string("invalid_client"))

            let issued = try await server.postForm("/token", [("grant_type", "client_credentials")], basic: ("client:id", "s3cr%t+/"))
            #expect(issued.status == 200)
        }
    }

    @Test func clientSecretPostAuthenticatesAndTwoMethodsAtOnceAreRefused() async throws {
        let provider = DevIdentityProvider(clients: ["poster": "p@ss word"])
        let token = provider.issueToken(clientID: "poster")
        try await RunningProvider.run(provider) { server in
            let answer = try await server.postForm(
                "/introspect", [("token", token), ("client_id", "poster"), ("client_secret", "p@ss word")])
            #expect(answer.status == 200)
            #expect(answer["active"] == .bool(true))

            let issued = try await server.postForm(
                "/token", [("grant_type", "client_credentials"), ("client_id", "poster"), ("client_secret", "p@ss word")])
            #expect(issued.status == 200)

            let both = try await server.postForm(
                "/introspect", [("token", token), ("client_id", "poster"), ("client_secret", "p@ss word")], basic: ("poster", "p@ss word"))
            #expect(both.status == 400)
            #expect(both["error"] == .string("invalid_request"))
        }
    }

    @Test func wrongOrMissingCredentialsAre401AndStillCounted() async throws {
        let provider = DevIdentityProvider()
        let token = provider.issueToken(clientID: "demo-client")
        try await RunningProvider.run(provider) { server in
            let cases: [Reply] = [
                try await server.postForm("/introspect", [("token", token)], basic: ("demo-client", "wrong")),
                try await server.postForm("/introspect", [("token", token)], basic: ("stranger", "demo-secret")),
                try await server.postForm("/introspect", [("token", token)]),
                try await server.postForm("/introspect", [("token", token), ("client_id", "demo-client")]),
                try await server.postForm("/introspect", [("token", token)], extraHeaders: [("Authorization", "Bearer \(token)")]),
                try await server.postForm("/introspect", [("token", token)], extraHeaders: [("Authorization", "Basic !!!")]),
            ]
            for reply in cases {
                #expect(reply.status == 401)
                #expect(reply["error"] == .string("invalid_client"))
                #expect(reply.header("WWW-Authenticate") == #"Basic realm="dev-idp""#)
            }
            #expect(provider.introspectionCount == cases.count)
            #expect(provider.lastIntrospectionRequest?.header("Authorization") == "Basic !!!")
        }
    }

    @Test func lastIntrospectionRequestRecordsHeadersBodyAndFraming() async throws {
        let provider = DevIdentityProvider()
        try await RunningProvider.run(provider) { server in
            #expect(provider.lastIntrospectionRequest == nil)
            _ = try await server.postForm(
                "/introspect", [("token", "a+b"), ("token_type_hint", "access_token")], basic: ("demo-client", "demo-secret"),
                extraHeaders: [("X-Trace", "t-1")])
            let sized = try #require(provider.lastIntrospectionRequest)
            #expect(sized.body == "token=a%2Bb&token_type_hint=access_token")
            #expect(sized.hasContentLength)
            #expect(!sized.isChunked)
            #expect(sized.header("content-type") == "application/x-www-form-urlencoded")
            #expect(sized.header("Authorization") == TestEncoding.basic(id: "demo-client", secret: "demo-secret"))
            #expect(sized.header("X-Trace") == "t-1")
            #expect(sized.header("Host") == "127.0.0.1:\(server.port)")

            var chunked = HTTPClientRequestBuilder.chunkedForm(server.url("/introspect"), parts: ["token=", "abc", "&token_type_hint=x"])
            chunked.headers.add(name: "Authorization", value: TestEncoding.basic(id: "demo-client", secret: "demo-secret"))
            let reply = try await server.send(chunked, timeout: .seconds(5))
            #expect(reply.body == #"{"active":false}"#)
            let streamed = try #require(provider.lastIntrospectionRequest)
            #expect(streamed.body == "token=abc&token_type_hint=x")
            #expect(streamed.isChunked)
            #expect(!streamed.hasContentLength)

            #expect(provider.introspectionCount == 2)
            provider.resetCounters()
            #expect(provider.introspectionCount == 0)
            #expect(provider.lastIntrospectionRequest == nil)
        }
    }
}
