# codesuite server image. Build: docker build -t codesuite .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY models ./models
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY models ./models
COPY package.json ./
ENV CODESUITE_HOST=0.0.0.0 CODESUITE_DATA_DIR=/data
VOLUME /data
EXPOSE 4577
STOPSIGNAL SIGTERM
CMD ["node", "dist/cli.js"]
