mx-tls --help
