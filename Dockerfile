# codesuite server image.
#   docker build -t codesuite .
#   docker build --build-arg BASE_IMAGE=<a local Node.js 20 Debian image> -t codesuite .
# The base is a build argument so the image builds where no registry is reachable (CI makes a
# local one with .ci/base-image); any Debian-based Node.js 20 image with apt, or one that already
# has git (and python3, make and g++ to compile better-sqlite3), will do.
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
# better-sqlite3 compiles from source when no prebuilt binary can be fetched; a base image that
# already has the tools (the CI one) skips the install.
RUN if ! (command -v python3 && command -v make && command -v g++) >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
      && rm -rf /var/lib/apt/lists/*; \
    fi
WORKDIR /app
# Dependencies in a layer of their own, rebuilt only when the lock file changes (compiling
# better-sqlite3 takes minutes). Only the two packages whose install scripts codesuite needs run
# them: the native SQLite binding and esbuild's binary.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild better-sqlite3 esbuild
# The sources, the bundler script, data files and models (.dockerignore lists exactly what is sent).
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${BASE_IMAGE}
# codesuite serves git's upload-pack and receive-pack, so the runtime needs git.
RUN if ! command -v git >/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends git \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# A fixed, unprivileged user owns the data; builds reach Docker through a mounted socket, which
# the user may use once the container is given the socket's group (docker run --group-add, or
# group_add in docker-compose.yml).
RUN groupadd --system --gid 10001 codesuite \
    && useradd --system --uid 10001 --gid codesuite --home-dir /data --no-create-home --shell /usr/sbin/nologin codesuite \
    && mkdir -p /data && chown codesuite:codesuite /data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/data ./data
COPY --from=build /app/models ./models
COPY --from=build /app/runtimes ./runtimes
ENV NODE_ENV=production CODESUITE_HOST=0.0.0.0 CODESUITE_DATA_DIR=/data
USER codesuite
VOLUME /data
EXPOSE 4577
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=5s --timeout=3s --retries=10 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.CODESUITE_PORT ?? 4577}/_codesuite/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Arguments go to codesuite: docker run codesuite --enforce-iam
ENTRYPOINT ["node", "/app/dist/cli.js"]
