mtasts-gen --help
