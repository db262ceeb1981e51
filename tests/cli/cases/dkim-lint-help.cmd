dkim-lint --help
