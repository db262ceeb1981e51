mtasts-lint --help
