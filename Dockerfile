# One image builds every service; SERVICE picks which one runs.
#   docker build --build-arg SERVICE=gateway -t quire/gateway .
FROM node:24-bookworm-slim AS build
RUN corepack enable
WORKDIR /app
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
COPY packages ./packages
COPY services ./services
COPY proto ./proto
COPY tsconfig.base.json tsconfig.json ./
RUN pnpm install --frozen-lockfile && pnpm build && pnpm prune --prod

FROM node:24-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /app /app
USER node
WORKDIR /app/services/${SERVICE}
CMD ["node", "dist/main.js"]
