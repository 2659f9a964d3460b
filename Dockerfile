# syntax=docker/dockerfile:1
# nest-bittorrent-tracker container image, following Torrust Tracker's conventions:
#   configuration  /etc/torrust/tracker/tracker.toml (TORRUST_TRACKER_CONFIG_TOML_PATH; the entry
#                  script installs a default when none is mounted, chosen by
#                  TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER = sqlite3 | mysql)
#   database       /var/lib/torrust/tracker (SQLite: database/sqlite3.db)
#   logs           /var/log/torrust/tracker
#   ports          6969/udp UDP tracker, 7070 HTTP tracker, 1212 REST API, 1313 health check API
#
#   docker build -t nest-bittorrent-tracker .
#   docker run -p 6969:6969/udp -p 7070:7070 -p 1212:1212 \
#     -e TORRUST_TRACKER_CONFIG_OVERRIDE_HTTP_API__ACCESS_TOKENS__ADMIN=secret nest-bittorrent-tracker

# ---- build: the same commands CI runs (.ci/run): npm ci, npm run build ------------------------
# The full bookworm image carries python3, make and g++ for sqlite3's native addon (node-gyp).
FROM node:20-bookworm AS builder
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build

# ---- production dependencies only (sqlite3 built here too, same Debian and Node as above) ------
FROM node:20-bookworm AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
  && node -e "require('sqlite3')" \
  && npm cache clean --force

# ---- runtime -------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
# tini is PID 1: it forwards SIGTERM/SIGINT to the tracker (which drains gracefully) and reaps zombies.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
  TORRUST_TRACKER_CONFIG_TOML_PATH=/etc/torrust/tracker/tracker.toml \
  HEALTH_CHECK_API_PORT=1313

WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=builder /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY share ./share
COPY share/container/entry.sh /usr/local/bin/entry.sh

# The image's user is node (uid/gid 1000, from the base image): it owns the writable directories.
RUN chmod 0755 /usr/local/bin/entry.sh \
  && mkdir -p /etc/torrust/tracker /var/lib/torrust/tracker/database /var/log/torrust/tracker \
  && chown -R 1000:1000 /etc/torrust/tracker /var/lib/torrust/tracker /var/log/torrust/tracker

VOLUME ["/var/lib/torrust/tracker", "/var/log/torrust/tracker", "/etc/torrust/tracker"]
EXPOSE 6969/udp 7070/tcp 1212/tcp 1313/tcp

USER 1000:1000

# Torrust's health check API (127.0.0.1:1313 in the default configurations) always answers 200
# with {"status":"Ok"|"Error"|"None",…}: healthy unless the status is Error or there is no answer.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HEALTH_CHECK_API_PORT||1313)+'/health_check',{signal:AbortSignal.timeout(4000)}).then(r=>r.json()).then(b=>process.exit(b.status==='Error'?1:0),()=>process.exit(1))"]

ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/entry.sh"]
# A 4 MiB young generation (V8's default grows to 16 MiB): the answer paths allocate little, so
# scavenges stay cheap and the process keeps ~20 MiB less RSS (README "Memory").
CMD ["node", "--max-semi-space-size=4", "dist/main.js"]
