spf-lint --server 300.1.1.1 example.com
