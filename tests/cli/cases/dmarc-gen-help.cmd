dmarc-gen --help
