// The phoenix-connector CLI; commands land with the CLI issue.
process.stdout.write("phoenix-connector: no commands yet\n");
