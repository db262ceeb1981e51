nomail-gen --help
