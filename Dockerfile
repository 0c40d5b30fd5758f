FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY bin ./bin
COPY src ./src
COPY seeds ./seeds
COPY tsconfig.json ./
ENV NODE_ENV=production PORT=4000
EXPOSE 4000
CMD ["node", "bin/cablegraph.js", "serve", "--seed-if-empty"]
