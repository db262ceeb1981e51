dmarc-lint --help
