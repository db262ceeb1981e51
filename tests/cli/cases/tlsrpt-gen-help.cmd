tlsrpt-gen --help
