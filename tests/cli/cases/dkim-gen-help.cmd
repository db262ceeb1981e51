dkim-gen --help
