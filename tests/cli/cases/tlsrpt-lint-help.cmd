tlsrpt-lint --help
