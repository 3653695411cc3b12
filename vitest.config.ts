import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // dist/ is built once per run, before the tests that pack or import it.
    globalSetup: ["test/package/build-once.ts"],
    pool: "forks",
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Tests talk to servers on 127.0.0.1 only; nothing here reaches the network.
    restoreMocks: true,
  },
});
