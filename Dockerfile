# introspection-gateway as a container image.
#
#   docker build -t introspection-gateway .
#   docker run --rm -p 8080:8080 --env-file gateway.env introspection-gateway
#
# See deploy/README.md (and deploy/compose.yaml for the gateway behind nginx). CI has no Docker
# engine: scripts/deploy-test checks that the build line below is the very command it builds
# and tests the release binary with.

# ---- build: the release binary, Swift's runtime linked in statically
FROM swift:6.3-bookworm AS build
WORKDIR /build
# .dockerignore leaves out .build*, .git and Package.resolved (pinned to a local package
# mirror's commits on the developers' machines): dependencies are resolved here, from Package.swift.
COPY . .
RUN swift build -c release --static-swift-stdlib
RUN install -D -m 0755 "$(swift build -c release --static-swift-stdlib --show-bin-path)/introspection-gateway" /out/introspection-gateway

# ---- runtime: Debian of the same release as the build image (same glibc)
FROM debian:bookworm-slim
# ca-certificates: the identity provider is reached over https. libstdc++6 and zlib1g: the
# binary's only libraries besides glibc (both already in the slim image; named so it stays so).
# No curl: the health check below uses bash's /dev/tcp.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates libstdc++6 zlib1g \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /usr/app --shell /usr/sbin/nologin gateway \
    && install -d -o gateway -g gateway /usr/app
COPY --from=build /out/introspection-gateway /usr/local/bin/introspection-gateway
# The original project read /usr/app/.env; the gateway reads ./.env, so that file keeps working
# (mount it read-only, or better, pass variables and *_FILE secrets).
WORKDIR /usr/app
USER gateway:gateway
EXPOSE 8080
# GET /healthz over bash's /dev/tcp (no HTTP client in the image). It asks 127.0.0.1:$PORT, so
# HOST must include loopback (the default 0.0.0.0 does).
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["bash", "-c", "exec 3<>\"/dev/tcp/127.0.0.1/${PORT:-8080}\" && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -c 12 <&3 | grep -q '^HTTP/1.[01] 200'"]
# SIGTERM (docker stop) drains in-flight requests and exits 0.
ENTRYPOINT ["introspection-gateway"]
