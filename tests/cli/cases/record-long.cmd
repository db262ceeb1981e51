spf-lint --offline --record "v=spf1 $(for i in $(seq 1 40); do printf 'ip4:85.1.2.%d ' $i; done)-all" example.com
