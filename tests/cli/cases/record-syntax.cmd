spf-lint --offline --record 'v=spf1 ipv4:85.1.2.3 a:foo ip4:85.1.2.0/33 mx:%{x}.example.com include=_spf.example.com redirect=a.example.com redirect=b.example.com -all' example.com
