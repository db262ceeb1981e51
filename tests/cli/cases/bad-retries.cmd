spf-lint --retries x example.com
