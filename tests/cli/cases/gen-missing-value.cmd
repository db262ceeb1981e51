spf-gen example.com --ip4
