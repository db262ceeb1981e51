spf-gen --help
