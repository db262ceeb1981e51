tlsa-gen --help
