spf-lint
