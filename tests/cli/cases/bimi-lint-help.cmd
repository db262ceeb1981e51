bimi-lint --help
