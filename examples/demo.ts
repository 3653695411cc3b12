// The main job lands with the connector; until then the demo says so and exits 0.
process.stdout.write("phoenix-connector demo: the connector demo is not built yet.\n");
