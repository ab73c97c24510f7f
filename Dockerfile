# syntax=docker/dockerfile:1
# Isotherm in one image: every role, the site commands and the embedded PostgreSQL (Linux x86-64 only).

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
# The cache mount keeps downloaded dependencies between builds. Tests are run by ./scripts/test, not here.
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -DskipTests package

# Debian, for its chromium and chromium-driver packages: the dashboard shoots page screenshots with them.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-17-jre-headless chromium chromium-driver curl \
       fonts-liberation fonts-dejavu-core fonts-noto-color-emoji ca-certificates \
    && rm -rf /var/lib/apt/lists/*
# Run unprivileged. /data belongs to that user, so a named volume mounted there is writable.
RUN groupadd --system isotherm \
    && useradd --system --gid isotherm --home-dir /app --no-create-home isotherm \
    && mkdir -p /app /data \
    && chown isotherm:isotherm /data
COPY --from=build /src/launcher/target/isotherm.jar /app/isotherm.jar
USER isotherm
WORKDIR /app
# Used only by the embedded database; with ISOTHERM_DATABASE_URL set, /data stays empty.
ENV ISOTHERM_DATA_DIR=/data
# Chromium wants a writable home for its caches; the service user has none.
ENV HOME=/tmp
EXPOSE 8080
# /health answers 503 when the database is unreachable, which makes curl -f fail.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null "http://localhost:${ISOTHERM_PORT:-8080}/health" || exit 1
ENTRYPOINT ["java", "-jar", "/app/isotherm.jar"]
CMD ["serve"]
