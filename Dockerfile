# syntax=docker/dockerfile:1
# Parley's container image: one static binary (templates, assets and
# migrations are embedded) on distroless, running as nonroot.
#
#   docker build -t parley --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg COMMIT=$(git rev-parse --short HEAD) --build-arg DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ) .
#
# CI has no Docker engine; .ci/run builds the binary exactly as below
# (CGO_ENABLED=0, -trimpath, the same -ldflags) and checks that it is static.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=unknown
ARG DATE=unknown
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT} -X main.date=${DATE}" \
      -o /out/parley ./app \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/parley /parley
# SQLite's home when DATABASE_URL is left at sqlite:///data/parley.db;
# mount a volume here. With PostgreSQL nothing is written to disk.
COPY --from=build --chown=nonroot:nonroot /out/data /data
WORKDIR /data
USER nonroot
ENV PARLEY_ENV=production \
    BIND_ADDRESS=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=sqlite:///data/parley.db
EXPOSE 3000
VOLUME ["/data"]
# distroless has no shell or curl: the binary checks itself
# (GET http://127.0.0.1:$PORT/healthz, exit 0 or 1).
HEALTHCHECK --interval=10s --timeout=5s --start-period=15s --retries=3 \
  CMD ["/parley", "healthcheck"]
ENTRYPOINT ["/parley"]
CMD ["serve"]
