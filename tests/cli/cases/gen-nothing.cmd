spf-gen --offline example.com
