printf 'v=spf1 ip4:85.1.2.3 -all\n' | spf-lint --offline --record - example.com
