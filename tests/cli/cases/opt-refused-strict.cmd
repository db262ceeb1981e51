spf-eval --strict --offline --record 'v=spf1 -all' --ip 192.0.2.5 --sender a@example.com
