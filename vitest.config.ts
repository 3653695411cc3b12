import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // dist/ is built once per run, before the tests that pack or import it.
    globalSetup: ["test/package/build-once.ts"],
    pool: "forks",
    // Limits that catch a hang, not timing assertions: child-process tests take several times longer on a busy 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests talk to servers on 127.0.0.1 only; nothing here reaches the network.
    restoreMocks: true,
  },
});
