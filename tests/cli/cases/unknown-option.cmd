spf-lint --frobnicate example.com
