spf-lint --timeout 0 example.com
