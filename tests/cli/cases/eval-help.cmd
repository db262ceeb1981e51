spf-eval --help
