bimi-gen --help
