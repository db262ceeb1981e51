spf-eval --offline --record 'v=spf1 ip4:192.0.2.0/24 -all' --ip 192.0.2.5 --sender a@example.com
