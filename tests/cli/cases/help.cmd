spf-lint --help
