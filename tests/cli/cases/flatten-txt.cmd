spf-flatten --offline --record 'v=spf1 ip4:192.0.2.0/24 ip4:192.0.3.0/24 -all' --format txt example.com
